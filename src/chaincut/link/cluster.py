"""Chains from the indicator graph: communities, then the suppliers that bridge them.

Graphs up to ``leiden_max_links`` seed links (every investigation-sized store): Leiden
modularity on the bipartite graph (leiden.py); each community of seed artifacts is a
chain, and an indicator whose artifacts fall in several chains is a supplier. Indicators
that distributors hand to many gangs vote with ``distributor_vote`` of their weight.

Larger graphs, where modularity's resolution limit would merge small gangs, use the
propagation pipeline below:

1. Community detection: weighted label propagation on the bipartite graph. Each indicator
   takes the majority label of its artifacts; each artifact takes the label with the most
   votes, an indicator voting ``weight × purity`` (purity = share of its artifacts already
   holding its label). A supplier serving three gangs has purity ≈ 1/3 and cannot outvote a
   gang's own keys, domains and chat accounts. Ties go to the smallest label (artifacts are
   labelled by sha256 rank), so the result is deterministic.
2. Suppliers: a glue-strength indicator whose artifacts fall in ≥ ``min_supplier_chains``
   communities of ≥ ``min_group`` artifacts bridges operations: it is a supplier, not glue.
3. Chains: connected components of seed artifacts over the remaining glue indicators.
4. Iterate: propagate again without the suppliers found so far (starting from the current
   labels), until no new supplier appears or ``rounds`` is reached.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from scipy.sparse import csgraph

from chaincut.link.bridges import bridge_candidates
from chaincut.link.fragments import split_templates, value_owners
from chaincut.link.graph import BoolArray, FloatArray, IndicatorGraph, IntArray
from chaincut.link.leiden import leiden_labels
from chaincut.link.merge import merge_communities, merge_whole
from chaincut.link.orphans import adopt_orphans
from chaincut.link.params import LinkParams
from chaincut.link.pivot import pivot, pivot_indicators
from chaincut.link.reported import merge_reported
from chaincut.link.rotation import merge_operations, merge_rotations
from chaincut.link.satellites import adopt_satellites
from chaincut.link.strays import send_home
from chaincut.link.suppliers import listable

# a pair of communities one value runs through (on WHOLE_SHARE of each member) merges at
# half the density: a supplier serves part of each gang, an operation's own key all of it
WHOLE_SHARE = 0.9
WHOLE_MERGE_RATIO = 0.5


@dataclass(frozen=True)
class Clustering:
    """Per artifact its chain label (-1: not in a chain); per indicator its status."""

    labels: IntArray
    weights: FloatArray
    suppliers: BoolArray
    iterations: int
    via: IntArray | None = None  # per artifact: indicator it joined through (-1: grouped)
    shown: BoolArray | None = None  # per indicator: not excluded (as the grouping saw it)


def _row_argmax(m: sparse.csr_matrix) -> tuple[IntArray, FloatArray]:
    """Per row: column of the largest value (smallest column on ties) and that value."""
    m.sum_duplicates()
    n = m.shape[0]
    indptr = m.indptr
    lengths = np.diff(indptr)
    label = np.full(n, -1, dtype=np.int64)
    top = np.zeros(n, dtype=np.float64)
    if m.nnz == 0:
        return label, top
    nonempty = lengths > 0
    rowmax = np.zeros(n, dtype=np.float64)
    rowmax[nonempty] = np.maximum.reduceat(m.data, indptr[:-1][nonempty])
    rowid = np.repeat(np.arange(n), lengths)
    hits = np.flatnonzero(m.data >= rowmax[rowid] * (1 - 1e-9))
    hit_rows = rowid[hits]
    first = hits[np.r_[True, hit_rows[1:] != hit_rows[:-1]]]
    label[rowid[first]] = m.indices[first]
    top[rowid[first]] = m.data[first]
    return label, top


def propagate(
    rows: NDArray[np.int32],
    cols: NDArray[np.int32],
    weight: FloatArray,
    labels: IntArray,
    max_iter: int,
) -> tuple[IntArray, int]:
    """Bipartite weighted label propagation; returns labels and iterations used."""
    n_art, n_ind = labels.shape[0], weight.shape[0]
    keep = weight[cols] > 0
    r, c = rows[keep], cols[keep]
    df = np.bincount(c, minlength=n_ind).astype(np.float64)
    ones = np.ones(r.shape[0], dtype=np.float64)
    labels = labels.copy()
    it = 0
    for it in range(1, max_iter + 1):  # noqa: B007 - the count is returned
        per_ind = sparse.csr_matrix((ones, (c, labels[r])), shape=(n_ind, n_art))
        ind_label, count = _row_argmax(per_ind)
        vote = weight * count / np.maximum(df, 1.0)
        per_art = sparse.csr_matrix((vote[c], (r, ind_label[c])), shape=(n_art, n_art))
        new, _ = _row_argmax(per_art)
        new = np.where(new < 0, labels, new)
        changed = int(np.count_nonzero(new != labels))
        labels = new
        if changed == 0:
            break
    return labels, it


def bridging(
    rows: NDArray[np.int32],
    cols: NDArray[np.int32],
    glue: BoolArray,
    labels: IntArray,
    min_group: int,
    min_chains: int,
) -> BoolArray:
    """Glue indicators whose artifacts fall in several groups of at least min_group."""
    n_ind = glue.shape[0]
    sizes = np.bincount(labels[labels >= 0], minlength=labels.shape[0])
    keep = glue[cols] & (labels[rows] >= 0)
    c, lab = cols[keep], labels[rows[keep]]
    big = sizes[lab] >= min_group
    c, lab = c[big], lab[big]
    pairs = sparse.csr_matrix(
        (np.ones(c.shape[0], dtype=np.float64), (c, lab)), shape=(n_ind, labels.shape[0])
    )
    pairs.sum_duplicates()
    result: BoolArray = np.diff(pairs.indptr) >= min_chains
    return result


def components(
    rows: NDArray[np.int32], cols: NDArray[np.int32], glue: BoolArray, seed: BoolArray
) -> IntArray:
    """Connected components of seed artifacts over glue indicators; -1 off seed."""
    n_art, n_ind = seed.shape[0], glue.shape[0]
    keep = glue[cols] & seed[rows]
    r, c = rows[keep].astype(np.int64), cols[keep].astype(np.int64) + n_art
    size = n_art + n_ind
    adj = sparse.csr_matrix((np.ones(r.shape[0], dtype=np.int8), (r, c)), shape=(size, size))
    _, comp = csgraph.connected_components(adj, directed=False)
    out = comp[:n_art].astype(np.int64)
    # label each component by its smallest artifact index: stable and comparable
    first = np.full(size, n_art, dtype=np.int64)
    np.minimum.at(first, out, np.arange(n_art))
    labels: IntArray = np.where(seed, first[out], -1)
    return labels


def cluster(
    graph: IndicatorGraph,
    params: LinkParams,
    kinds: list[str] | None = None,
    case_links: tuple[IntArray, IntArray] | None = None,
) -> Clustering:
    """Chains and suppliers of a graph (see the module docstring).

    ``kinds`` (indicator kind per column) enables pivoting (pivot.py); ``case_links``
    (artifact index, case index) pairs let reported artifacts seed chains (see
    ``_supported``).
    """
    flagged = graph.seed
    reported = _reported(graph.n_artifacts, case_links if params.report_seeds else None)
    seed = flagged | reported
    # who carries an indicator: reported artifacts are leads, not clean bystanders
    graph = replace(graph, seed=seed)
    full_weight = graph.weights(params)
    grouped = _group(graph, params, full_weight, seed, case_links)
    owned = _owned_only(graph, grouped.labels, flagged, full_weight)
    labels = _supported(owned, flagged, case_links)
    if kinds is not None:
        labels = split_templates(
            graph, labels, kinds, full_weight, flagged, params.template_core
        )
        labels = send_home(graph, labels, kinds, full_weight)
        labels = merge_rotations(
            graph, labels, kinds, params.rotation_kept, params.rotation_min_size
        )
        labels = merge_operations(
            graph, labels, kinds, full_weight, params.operation_share, params.operation_carriers
        )
        labels = merge_reported(
            graph, labels, kinds, full_weight, case_links, params.report_cases,
            params.operation_carriers,
        )
    via = np.full(graph.n_artifacts, -1, dtype=np.int64)
    if kinds is not None and params.pivot_rounds > 0:
        usable = pivot_indicators(graph, full_weight, kinds)
        labels, via = pivot(
            graph, labels, full_weight, usable, params.pivot_rounds, params.pivot_margin
        )
    # every value that names someone and that several chains carry is a supplier,
    # wherever it was seen (suppliers.py)
    listed = listable(graph, params, kinds)
    suppliers = bridging(graph.rows, graph.cols, listed, labels, 1, params.min_supplier_chains)
    return Clustering(
        labels=labels, weights=grouped.weights, suppliers=suppliers,
        iterations=grouped.iterations, via=via, shown=~graph.excluded(params),
    )


def _reported(n_art: int, case_links: tuple[IntArray, IntArray] | None) -> BoolArray:
    out = np.zeros(n_art, dtype=bool)
    if case_links is not None and case_links[0].size:
        out[case_links[0]] = True
    return out


def _owned_only(
    graph: IndicatorGraph, labels: IntArray, flagged: BoolArray, weight: FloatArray
) -> IntArray:
    """Drop reported, unflagged members that carry nothing their chain owns.

    A victim's report names an artifact, and the report ties it to the reporter's other
    leads; but a report can be false (a genuine bank app named beside the fake one). Such a
    member stays only when it carries a linking value its chain owns: two or more members
    carry it and more than half of all its carriers are members. A genuine app shares at
    most common infrastructure with the gang, which the gang does not own.
    """
    rows, cols = graph.rows.astype(np.int64), graph.cols.astype(np.int64)
    lab = labels[rows]
    on = (lab >= 0) & (weight[cols] > 0)
    if not on.any():
        return labels
    r, c, lb = rows[on], cols[on], lab[on]
    carriers = np.bincount(cols, minlength=graph.n_indicators)  # all carriers, not chained
    owner, _ = value_owners(c, lb, int(labels.max()) + 1, carriers)
    has_owned = np.zeros(graph.n_artifacts, dtype=bool)
    has_owned[r[owner[c] == lb]] = True
    drop = (labels >= 0) & ~flagged & ~has_owned
    out: IntArray = np.where(drop, -1, labels)
    return out


def _supported(
    labels: IntArray, flagged: BoolArray, case_links: tuple[IntArray, IntArray] | None
) -> IntArray:
    """Chains that detection flagged, or that victims reported in two or more cases.

    A report alone does not make an app malicious: a group of reported, unflagged
    artifacts stands as a chain only when at least two different reports name it (three
    screen-sharing apps under one key, reported in three provinces); a lone false report
    of a genuine app never does.
    """
    present = labels >= 0
    n = labels.shape[0]
    has_flag = np.zeros(n, dtype=bool)
    has_flag[labels[present & flagged]] = True
    cases = np.zeros(n, dtype=np.int64)
    if case_links is not None and case_links[0].size:
        art, case = case_links
        lab = labels[art]
        on = lab >= 0
        pairs = np.unique(np.stack([lab[on], case[on]]), axis=1)
        cases = np.bincount(pairs[0], minlength=n) if pairs.size else cases
    keep = has_flag | (cases >= 2)
    out: IntArray = np.where(present & keep[np.maximum(labels, 0)], labels, -1)
    return out


def _group(
    graph: IndicatorGraph,
    params: LinkParams,
    full_weight: FloatArray,
    seed: BoolArray,
    case_links: tuple[IntArray, IntArray] | None = None,
) -> Clustering:
    """Communities of the seed artifacts (flagged or reported)."""
    on_seed = seed[graph.rows]
    rows, cols = graph.rows[on_seed], graph.cols[on_seed]
    seed_df = np.bincount(cols, minlength=graph.n_indicators)
    weight = np.where(seed_df >= 2, full_weight, 0.0)
    glue = (graph.prior >= params.glue_min) & (weight > 0)
    if rows.shape[0] <= params.leiden_max_links:
        return _by_modularity(graph, rows, cols, weight, glue, seed, params, case_links)
    suppliers = np.zeros(graph.n_indicators, dtype=bool)
    labels = np.arange(graph.n_artifacts, dtype=np.int64)
    total = 0
    for _ in range(params.rounds):
        votes = np.where(suppliers, 0.0, weight)
        labels, used = propagate(rows, cols, votes, labels, params.max_iter)
        total += used
        labels = merge_communities(rows, cols, votes, labels, params.merge_ratio)
        community = np.where(seed, labels, -1)
        found = bridging(
            rows, cols, glue & ~suppliers, community, params.min_group, params.min_supplier_chains
        )
        if not found.any():
            break
        suppliers |= found
    chains = components(rows, cols, glue & ~suppliers, seed)
    final = bridging(rows, cols, glue, chains, 1, params.min_supplier_chains)
    return Clustering(labels=chains, weights=weight, suppliers=final, iterations=total)


def _by_modularity(
    graph: IndicatorGraph,
    rows: NDArray[np.int32],
    cols: NDArray[np.int32],
    weight: FloatArray,
    glue: BoolArray,
    seed: BoolArray,
    params: LinkParams,
    case_links: tuple[IntArray, IntArray] | None = None,
) -> Clustering:
    """Leiden communities as chains; bridging glue indicators as suppliers.

    Then who carries each indicator: one whose artifacts fall in ``spread_min`` or more
    communities (of ``min_group``+ artifacts each) is shared infrastructure, a supplier's
    or everybody's (an analytics SDK, a chat SaaS the knowledge base does not list), not
    one operation's; it votes with ``distributor_vote`` and the communities are found
    again, so it cannot hold several gangs in one community.
    """
    votes = weight if graph.vote is None else weight * graph.vote
    if case_links is not None:  # reports tie communities of seed artifacts only
        on_seed = seed[case_links[0]]
        case_links = (case_links[0][on_seed], case_links[1][on_seed])
    if params.bridge_vote < 1:
        bridges = bridge_candidates(rows, cols, glue, graph.n_artifacts, params.min_group)
        votes = np.where(bridges, votes * params.bridge_vote, votes)
    labels = _communities(graph, rows, cols, votes, params, case_links)
    if params.spread_min:
        community = np.where(seed, labels, -1)
        spread = bridging(rows, cols, weight > 0, community, params.min_group,
                          params.spread_min)
        if spread.any():
            votes = np.where(spread, votes * params.distributor_vote, votes)
            labels = _communities(graph, rows, cols, votes, params, case_links)
    chains: IntArray = np.where(seed, labels, -1)
    suppliers = bridging(rows, cols, glue, chains, 1, params.min_supplier_chains)
    return Clustering(labels=chains, weights=weight, suppliers=suppliers, iterations=0)


def _communities(
    graph: IndicatorGraph,
    rows: NDArray[np.int32],
    cols: NDArray[np.int32],
    votes: FloatArray,
    params: LinkParams,
    case_links: tuple[IntArray, IntArray] | None = None,
) -> IntArray:
    """Leiden communities, merged where halves of one operation, orphans adopted."""
    labels = leiden_labels(
        rows, cols, votes, graph.n_artifacts, params.leiden_resolution,
        params.leiden_split_quality, None if graph.delivery is None else ~graph.delivery,
    )
    # modularity splits even a lone, uniform gang; parts that share nearly all their
    # infrastructure are one operation (merge.py)
    labels = merge_communities(rows, cols, votes, labels, params.leiden_merge_ratio)
    labels = merge_whole(rows, cols, votes, labels, WHOLE_SHARE, WHOLE_MERGE_RATIO)
    labels = adopt_orphans(rows, cols, votes, labels, params.orphan_margin)
    if graph.delivery is None:
        return labels
    # a gang's pages and QR codes join the apps they deliver (satellites.py)
    return adopt_satellites(
        rows, cols, votes, labels, graph.delivery, params.orphan_margin, case_links
    )
