"""Merge communities that label propagation split inside one operation.

Propagation can stop at sub-communities of one gang (the apps behind one landing page, say),
and then the gang's own domains and chat accounts would look like bridges between them. Two
communities A and B are one operation when their shared infrastructure is nearly as dense
as their own: with ``f(i, A)`` the share of A's artifacts carrying indicator i,

    assoc(A, B) = Σ_i w_i · f(i, A) · f(i, B)

and A, B merge when ``assoc(A, B) ≥ merge_ratio × min(assoc(A, A), assoc(B, B))``. A supplier
serving two gangs adds one term to assoc(A, B) against the many private terms of
assoc(A, A); two halves of one gang share almost all of theirs.

Merging is transitive, so each community keeps only its strongest passing pair with a
community at least as large (``_best_partner``).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from scipy.sparse import csgraph

from chaincut.link.graph import FloatArray, IntArray


def merge_communities(
    rows: NDArray[np.int32],
    cols: NDArray[np.int32],
    weight: FloatArray,
    labels: IntArray,
    ratio: float,
) -> IntArray:
    """Community labels after merging the pairs that pass the association test."""
    n_art, n_ind = labels.shape[0], weight.shape[0]
    found = _counts(rows, cols, weight, labels)
    if found is None:
        return labels
    counts, sizes = found
    touched = np.diff(counts.indptr)
    ind = np.repeat(np.arange(n_ind), touched)
    frac = counts.data / sizes[counts.indices]
    self_assoc = np.bincount(counts.indices, weights=weight[ind] * frac * frac, minlength=n_art)
    bridge = touched[ind] >= 2
    if not bridge.any():
        return labels
    share = sparse.csr_matrix(
        (frac[bridge] * np.sqrt(weight[ind[bridge]]), (ind[bridge], counts.indices[bridge])),
        shape=(n_ind, n_art),
    )
    assoc = sparse.triu((share.T @ share).tocoo(), k=1).tocoo()
    limit = ratio * np.minimum(self_assoc[assoc.row], self_assoc[assoc.col])
    ok = assoc.data >= limit
    if not ok.any():
        return labels
    strength = assoc.data / np.maximum(limit, 1e-12)
    ok &= _best_partner(assoc.row, assoc.col, strength, ok, sizes)
    return _join(labels, assoc.row[ok], assoc.col[ok])


def _counts(
    rows: NDArray[np.int32], cols: NDArray[np.int32], weight: FloatArray, labels: IntArray
) -> tuple[sparse.csr_matrix, FloatArray] | None:
    """Indicator × community carrier counts over weighted links, and community sizes."""
    n_art, n_ind = labels.shape[0], weight.shape[0]
    keep = (weight[cols] > 0) & (labels[rows] >= 0)
    c, lab = cols[keep], labels[rows[keep]]
    if c.shape[0] == 0:
        return None
    sizes = np.bincount(labels[labels >= 0], minlength=n_art).astype(np.float64)
    counts = sparse.csr_matrix(
        (np.ones(c.shape[0], dtype=np.float64), (c, lab)), shape=(n_ind, n_art)
    )
    counts.sum_duplicates()
    return counts, sizes


def _join(labels: IntArray, a: IntArray, b: IntArray) -> IntArray:
    """Labels after joining community pairs (a, b), transitively; smallest label wins."""
    n_art = labels.shape[0]
    link = sparse.csr_matrix(
        (np.ones(a.shape[0], dtype=np.int8), (a, b)), shape=(n_art, n_art)
    )
    _, comp = csgraph.connected_components(link, directed=False)
    first = np.full(n_art, n_art, dtype=np.int64)
    np.minimum.at(first, comp, np.arange(n_art))
    merged = first[comp]  # smallest label of each merged group
    out: IntArray = np.where(labels >= 0, merged[np.maximum(labels, 0)], labels)
    return out


def _best_partner(
    a: IntArray, b: IntArray, strength: FloatArray, ok: NDArray[np.bool_], sizes: FloatArray
) -> NDArray[np.bool_]:
    """Per community, only its strongest passing pair with a community at least as large.

    Merging is transitive: without this, a small community carrying a value of each of two
    operations passes the test with both and chains them into one. Each community now
    joins one larger partner; two halves of one operation still find each other.
    """
    small = np.where((sizes[a] < sizes[b]) | ((sizes[a] == sizes[b]) & (a < b)), a, b)
    idx = np.flatnonzero(ok)
    # strongest first, then by pair order: the first row per small community wins
    order = idx[np.lexsort((idx, -strength[idx]))]
    _, first = np.unique(small[order], return_index=True)
    keep = np.zeros(a.shape[0], dtype=bool)
    keep[order[first]] = True
    return keep


def merge_whole(
    rows: NDArray[np.int32],
    cols: NDArray[np.int32],
    weight: FloatArray,
    labels: IntArray,
    share: float,
    ratio_min: float,
) -> IntArray:
    """Merge two communities one value runs through: on ``share`` of each, in no third.

    Modularity halves a large gang whose apps draw random subsets of its values, and the
    halves' shared values, each on part of them, can stay just below
    ``merge_communities``' density test. A value nearly every member of both carries is
    evidence of one operation, so the pair merges at the lower density ``ratio_min``
    (same measure: shared association over the smaller self-association). Two gangs
    renting one chat account for all their apps share that one value against all their
    own (association ratio well under a half): they stay apart.
    """
    n_art, n_ind = labels.shape[0], weight.shape[0]
    found = _counts(rows, cols, weight, labels)
    if found is None:
        return labels
    counts, sizes = found
    two = np.flatnonzero(np.diff(counts.indptr) == 2)
    at = counts.indptr[two]
    a, b = counts.indices[at].astype(np.int64), counts.indices[at + 1].astype(np.int64)
    na, nb = counts.data[at], counts.data[at + 1]
    whole = (na >= share * sizes[a]) & (nb >= share * sizes[b]) & (sizes[a] >= 2) & (sizes[b] >= 2)
    if not whole.any():
        return labels
    a, b = a[whole], b[whole]
    touched = np.diff(counts.indptr)
    ind = np.repeat(np.arange(n_ind), touched)
    frac = counts.data / sizes[counts.indices]
    self_assoc = np.bincount(counts.indices, weights=weight[ind] * frac * frac, minlength=n_art)
    share_m = sparse.csr_matrix(
        (frac * np.sqrt(weight[ind]), (counts.indices, ind)), shape=(n_art, n_ind)
    )
    assoc = np.asarray(share_m[a].multiply(share_m[b]).sum(axis=1)).ravel()
    ratio = assoc / np.maximum(np.minimum(self_assoc[a], self_assoc[b]), 1e-12)
    ok = ratio >= ratio_min
    if not ok.any():
        return labels
    return _join(labels, a[ok], b[ok])
