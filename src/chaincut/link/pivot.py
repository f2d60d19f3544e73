"""Chains grow past what detection flagged: pivoting on private, strong indicators.

Detection misses an app, the gang does not: the missed app is still signed with the
gang's key, built under its builder account, wired to its SDK keys, chat and payment
accounts, and downloaded from its hosts. After the seed artifacts are grouped, every
other artifact that carries an indicator *private to one chain* (carried inside that
chain and by no other chain) joins it, and records which indicator brought it in. Rounds
repeat, so an artifact linked only to a joined one joins too (a QR code whose page was
itself a detection miss).

What never pulls an artifact in: knowledge-base common infrastructure (CDNs, app stores,
SDK endpoints, public builder certificates, big platforms) and indicators the graph
excludes (``IndicatorGraph.excluded``); indicators shared by several chains (suppliers:
a rented key makes no one a member); weak kinds (package names, paths, packers, signing
services), which anyone can copy, and server IPs, which hosting shares. An artifact
whose private indicators point at two chains joins the one that holds clearly more of
its weight, or none.

Who carries an indicator decides too: it pivots only when the grouped chains' members
(the artifacts detection flagged or victims reported, before any pivoting) are at least
as many of its carriers as the artifacts outside every chain. A gang's key or download
host is mostly on its flagged apps, with a few missed copies beside them; a crash-report
or map SDK's domain, or a builder account many companies use, sits on many clean apps
and a few of a chain's, and pulling all of those in would make bystanders members. It is
decided once, before the rounds, so joined artifacts cannot tip it.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

from chaincut.link.graph import BoolArray, FloatArray, IndicatorGraph, IntArray

PIVOT_MIN_PRIOR = 0.6  # kinds at least as specific as a domain (kinds.py)
NEVER_PIVOT = frozenset({"packer", "sign_service", "package", "bundle_id", "path", "ip", "file"})


def pivot_indicators(graph: IndicatorGraph, weight: FloatArray, kinds: list[str]) -> BoolArray:
    """Indicators that may bring an artifact into a chain (see the module docstring)."""
    allowed = np.array([k not in NEVER_PIVOT for k in kinds], dtype=bool)
    result: BoolArray = allowed & (graph.prior >= PIVOT_MIN_PRIOR) & (weight > 0)
    return result


def _owner(rows: IntArray, cols: IntArray, labels: IntArray, n_ind: int) -> IntArray:
    """Per indicator: the one chain label its members carry it in, -1 for none or several."""
    lab = labels[rows]
    on = lab >= 0
    big = np.iinfo(np.int64).max
    lo = np.full(n_ind, big, dtype=np.int64)
    hi = np.full(n_ind, -1, dtype=np.int64)
    np.minimum.at(lo, cols[on], lab[on])
    np.maximum.at(hi, cols[on], lab[on])
    owner: IntArray = np.where((lo == hi) & (hi >= 0), hi, -1)
    return owner


def pivot(
    graph: IndicatorGraph,
    labels: IntArray,
    weight: FloatArray,
    usable: BoolArray,
    rounds: int,
    margin: float,
) -> tuple[IntArray, IntArray]:
    """Labels after pivoting, and per artifact the indicator it joined through (-1: seed).

    ``usable`` marks pivot indicators; ``margin``: the chosen chain must hold at least
    this factor more private weight than the runner-up.
    """
    n_art, n_ind = graph.n_artifacts, graph.n_indicators
    rows = graph.rows.astype(np.int64)
    cols = graph.cols.astype(np.int64)
    labels = labels.copy()
    via = np.full(n_art, -1, dtype=np.int64)
    # an indicator that two chains already share stays a supplier, whoever joins later
    shared = _owner(rows, cols, labels, n_ind) < 0
    grouped = labels[rows] >= 0
    held = np.bincount(cols[grouped], minlength=n_ind) >= np.bincount(
        cols[~grouped], minlength=n_ind
    )
    usable = usable & held
    for _ in range(rounds):
        owner = np.where(shared, -1, _owner(rows, cols, labels, n_ind))
        cand = (labels[rows] < 0) & usable[cols] & (owner[cols] >= 0)
        if not cand.any():
            break
        r, c = rows[cand], cols[cand]
        votes = sparse.csr_matrix((weight[c], (r, owner[c])), shape=(n_art, n_art))
        votes.sum_duplicates()
        chosen = _decide(votes, margin)
        joined = chosen >= 0
        if not joined.any():
            break
        hit = chosen[r] == owner[c]
        best = sparse.csr_matrix((weight[c[hit]] + 1e-9, (r[hit], c[hit])), shape=(n_art, n_ind))
        via_now = np.asarray(best.argmax(axis=1)).ravel()
        via[joined] = via_now[joined]
        labels[joined] = chosen[joined]
    return labels, via


def _decide(votes: sparse.csr_matrix, margin: float) -> IntArray:
    """Per row, the label with the most weight when it leads the runner-up by ``margin``."""
    n = votes.shape[0]
    out = np.full(n, -1, dtype=np.int64)
    nnz = np.diff(votes.indptr)
    single = np.flatnonzero(nnz == 1)
    out[single] = votes.indices[votes.indptr[single]]
    for row in np.flatnonzero(nnz > 1).tolist():
        lo, hi = votes.indptr[row], votes.indptr[row + 1]
        data, idx = votes.data[lo:hi], votes.indices[lo:hi]
        order = np.lexsort((idx, -data))
        if len(order) > 1 and data[order[0]] < margin * data[order[1]]:
            continue
        out[row] = int(idx[order[0]])
    return out
