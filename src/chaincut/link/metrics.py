"""Adjusted Rand index, to score chains against planted gangs (tests, benchmark)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike
from scipy import sparse


def _pairs(counts: np.ndarray) -> float:
    c = counts.astype(np.float64)
    return float((c * (c - 1) / 2).sum())


def adjusted_rand_index(
    truth: ArrayLike | Sequence[object], found: ArrayLike | Sequence[object]
) -> float:
    """ARI of two labelings of the same items (1.0 = identical partitions)."""
    _, a = np.unique(np.asarray(truth), return_inverse=True)
    _, b = np.unique(np.asarray(found), return_inverse=True)
    n = a.shape[0]
    if n != b.shape[0]:
        raise ValueError("labelings differ in length")
    if n < 2:
        return 1.0
    table = sparse.csr_matrix((np.ones(n), (a, b)))
    table.sum_duplicates()
    index = _pairs(table.data)
    rows = _pairs(np.asarray(table.sum(axis=1)).ravel())
    cols = _pairs(np.asarray(table.sum(axis=0)).ravel())
    expected = rows * cols / (n * (n - 1) / 2)
    top = (rows + cols) / 2
    if top == expected:
        return 1.0
    return float((index - expected) / (top - expected))
