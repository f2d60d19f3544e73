"""Communities by Leiden modularity on the bipartite artifact–indicator graph.

Why modularity: a gang's apps share many private keys, domains and chat accounts, while
a supplier adds one or two indicators across gangs. Modularity compares the weight inside
a group with what chance would put there, so a supplier carried by two gangs' apps does
not pay for merging them, and the satellites of one gang (its IPA, profile, landing page)
join it through their backends. Leiden (Traag et al. 2019) guarantees connected
communities. Its known limit is resolution: in a graph far larger than one gang, joining
two small gangs costs almost nothing, hence the second level in ``leiden_labels``. Past
``LinkParams.leiden_max_links`` links ``cluster`` uses label propagation, ten times faster
(docs/linking.md).

The result is deterministic: nodes come in canonical order (sha256, then (kind, value))
and igraph draws from a seeded generator that is restored afterwards.
"""

from __future__ import annotations

import random

import igraph as ig
import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from chaincut.link.graph import BoolArray, FloatArray, IntArray

RNG_SEED = 20261129
# a fixed number of passes: "until stable" can cycle on tied moves
LEIDEN_ITERATIONS = 10
# a part of a split community is an operation when it runs this many apps: one app
# ships as an APK and an IPA, so two can be a single app's builds
MIN_OPERATION_APPS = 3


def _communities(graph: ig.Graph, resolution: float) -> list[int]:
    ig.set_random_number_generator(random.Random(RNG_SEED))
    try:
        part = graph.community_leiden(
            objective_function="modularity",
            weights="weight",
            resolution=resolution,
            n_iterations=LEIDEN_ITERATIONS,
        )
    finally:
        ig.set_random_number_generator(random)
    return list(part.membership)


def _smallest_member(member: IntArray, n: int) -> IntArray:
    first = np.full(int(member.max(initial=0)) + 1, n, dtype=np.int64)
    np.minimum.at(first, member, np.arange(n))
    labels: IntArray = first[member]
    return labels


def _leiden(
    r: IntArray, c: IntArray, w: FloatArray, n_art: int, resolution: float
) -> tuple[IntArray, float]:
    """Leiden on one bipartite edge list (artifact rows, indicator columns, both compact).

    Returns the artifacts' communities and the partition's modularity at resolution 1.
    """
    n_ind = int(c.max(initial=-1)) + 1
    # pairs of Python ints: igraph reads them twice as fast as the rows of an ndarray
    edges = list(zip(r.tolist(), (c + n_art).tolist(), strict=True))
    graph = ig.Graph(n=n_art + n_ind, edges=edges)
    graph.es["weight"] = w.tolist()
    member = _communities(graph, resolution)
    quality = float(graph.modularity(member, weights="weight"))
    return np.asarray(member[:n_art], dtype=np.int64), quality


def _fold_minor(
    sub: IntArray, apps: BoolArray, r: IntArray, c: IntArray, w: FloatArray
) -> IntArray | None:
    """Sub-communities with minor parts folded into operations; None: under two operations.

    A minor part joins the operation whose artifacts carry the most weight of the
    indicators the part carries (smallest label on ties); one sharing nothing stays.
    """
    n_sub = int(sub.max(initial=-1)) + 1
    app_count = np.bincount(sub[apps], minlength=n_sub)
    major = app_count >= MIN_OPERATION_APPS
    if int(np.count_nonzero(major)) < 2:
        return None
    n_ind = int(c.max(initial=-1)) + 1
    present = sparse.csr_matrix(
        (np.ones(r.size), (sub[r], c)), shape=(n_sub, n_ind)
    )
    present.data[:] = 1.0
    on_major = present[np.flatnonzero(major)]
    affinity = (present.multiply(_weight_per_indicator(c, w, n_ind)) @ on_major.T).toarray()
    target = np.arange(n_sub)
    majors = np.flatnonzero(major)
    for part in np.flatnonzero(~major).tolist():
        row = affinity[part]
        if row.max(initial=0.0) > 0:
            target[part] = int(majors[int(np.argmax(row))])
    result: IntArray = target[sub]
    return result


def _weight_per_indicator(c: IntArray, w: FloatArray, n_ind: int) -> FloatArray:
    """One weight per indicator column from the per-edge weights (all equal per column)."""
    out = np.zeros(n_ind, dtype=np.float64)
    out[c] = w
    return out


def leiden_labels(
    rows: NDArray[np.int32],
    cols: NDArray[np.int32],
    weight: FloatArray,
    n_artifacts: int,
    resolution: float,
    split_quality: float,
    apps: BoolArray | None = None,
) -> IntArray:
    """Community of every artifact, labelled by its smallest member index.

    Two levels, because modularity's null model is global: after the whole graph, each
    community is partitioned again on its own, so gangs that were merged only because
    the graph is large come apart. That split is kept only when it is clear (modularity
    of at least ``split_quality``): a lone gang always has some sub-structure.
    ``merge_communities`` afterwards rejoins the parts of one gang that share nearly all
    their infrastructure.

    With ``apps`` (per artifact: an app, not a delivery step), a split must also find two
    operations: parts running ``MIN_OPERATION_APPS`` apps or more each. A lone gang's
    sub-structure is one app with its landing page, QR code and profile, or a page and
    its QR code sharing their address: such parts rejoin the operation they share the
    most weight with (``_fold_minor``), and a split with fewer than two operations is
    dropped.
    """
    keep = weight[cols] > 0
    r, c, w = rows[keep].astype(np.int64), cols[keep].astype(np.int64), weight[cols[keep]]
    top = _leiden(r, c, w, n_artifacts, resolution)[0] if r.size else np.arange(n_artifacts)
    member = top * n_artifacts  # room for sub-community numbers below each top label
    edge_top = top[r]
    order = np.argsort(edge_top, kind="stable")
    bounds = np.flatnonzero(np.diff(edge_top[order])) + 1
    for part in np.split(order, bounds) if order.size else []:
        arts, r_local = np.unique(r[part], return_inverse=True)
        if arts.size < 4:
            continue
        _, c_local = np.unique(c[part], return_inverse=True)
        sub, quality = _leiden(r_local, c_local, w[part], int(arts.size), resolution)
        if quality < split_quality:
            continue
        if apps is not None:
            folded = _fold_minor(sub, apps[arts], r_local, c_local, w[part])
            if folded is None:
                continue
            sub = folded
        member[arts] = top[arts] * n_artifacts + sub
    _, compact = np.unique(member, return_inverse=True)
    return _smallest_member(compact.astype(np.int64), n_artifacts)
