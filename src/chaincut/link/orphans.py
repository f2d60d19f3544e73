"""Communities that own nothing join the operation they hang on.

A gang's landing pages, QR codes, profiles and IPA manifests often carry nothing but the
gang's download or backend domain. Modularity may leave such a star of pointers as a
community of its own, but an operation owns infrastructure: a community none of whose
indicators is private to it (every one it carries is also carried elsewhere) is adopted by
the community it shares the most weight with, when that community clearly leads (at least
``margin`` times the runner-up), so a pointer to a distributor serving three gangs stays
where it was.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from chaincut.link.graph import BoolArray, FloatArray, IntArray


def _private_weight(counts: sparse.csr_matrix, weight: FloatArray, n_art: int) -> FloatArray:
    """Per community, the weight of indicators (on 2+ artifacts) found in it alone."""
    n_comm = np.diff(counts.indptr)
    df = np.asarray(counts.sum(axis=1)).ravel()
    private: BoolArray = (n_comm == 1) & (df >= 2)
    ind = np.repeat(np.arange(counts.shape[0]), n_comm)
    mine = private[ind]
    summed = np.bincount(counts.indices[mine], weights=weight[ind[mine]], minlength=n_art)
    result: FloatArray = summed.astype(np.float64)
    return result


def _choice(
    row: sparse.csr_matrix, self_label: int, owners: BoolArray, margin: float
) -> int | None:
    """The community one orphan joins, or None when no owner clearly leads."""
    scores = {
        int(d): float(v)
        for d, v in zip(row.indices, row.data, strict=True)
        if d != self_label and owners[d]
    }
    if not scores:
        return None
    ranked = sorted(scores.values(), reverse=True)
    if len(ranked) > 1 and ranked[0] < margin * ranked[1]:
        return None
    return min(scores, key=lambda d: (-scores[d], d))


def adopt_orphans(
    rows: NDArray[np.int32],
    cols: NDArray[np.int32],
    weight: FloatArray,
    labels: IntArray,
    margin: float,
) -> IntArray:
    """Labels after every community without private infrastructure joined its host."""
    n_art, n_ind = labels.shape[0], weight.shape[0]
    keep = (weight[cols] > 0) & (labels[rows] >= 0)
    c, lab = cols[keep], labels[rows[keep]]
    if c.size == 0:
        return labels
    counts = sparse.csr_matrix((np.ones(c.shape[0]), (c, lab)), shape=(n_ind, n_art))
    counts.sum_duplicates()
    owned = _private_weight(counts, weight, n_art)
    present = np.zeros(n_art, dtype=bool)
    present[lab] = True
    orphans = np.flatnonzero(present & (owned <= 0))
    if orphans.size == 0:
        return labels
    df = np.asarray(counts.sum(axis=1)).ravel()
    share = sparse.diags(1.0 / np.maximum(df, 1)) @ counts  # indicator -> community shares
    carried = sparse.csr_matrix((weight[c], (lab, c)), shape=(n_art, n_ind))
    affinity = (carried[orphans] @ share).tocsr()
    target = np.arange(n_art)
    owners: BoolArray = owned > 0
    for k, label in enumerate(orphans.tolist()):
        chosen = _choice(affinity[k], label, owners, margin)
        if chosen is not None:
            target[label] = chosen
    out: IntArray = np.where(labels >= 0, target[np.maximum(labels, 0)], labels)
    return out
