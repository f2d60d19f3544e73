"""Supplier candidates by structure, before any grouping: values that bridge groups.

A gang's own values (its domains, chat accounts, payment channels) sit on artifacts that
the gang's other, narrower values already tie together. A supplier's value (a developer's
signing certificate, a rented builder account, a distributor's landing host) sits on
artifacts of several gangs, and those artifacts are tied together, below it, only within
each gang. That tells them apart without knowing the kind of value or a count:

    take the indicators in order of how many seed artifacts carry them, narrowest first;
    an indicator whose carriers fall in two or more groups (of ``min_group`` carriers each)
    that the strictly narrower indicators alone connect, is a bridge between groups.

Indicators of equal breadth never tie each other's carriers, so two values one supplier
hands out together (its certificate and its builder account, on the same artifacts) cannot
hide each other. This is Kruskal's order on a union–find: one pass over the links.

Candidates only vote weakly when communities are found (cluster.py); whether a value is
*reported* as a supplier is still decided on the final chains, so a gang's value that
merely spans its own rotation (old and new certificate) is not listed.
"""

from __future__ import annotations

import itertools

import numpy as np
from numpy.typing import NDArray

from chaincut.link.graph import BoolArray


def bridge_candidates(
    rows: NDArray[np.int32],
    cols: NDArray[np.int32],
    usable: BoolArray,
    n_artifacts: int,
    min_group: int,
) -> BoolArray:
    """Per indicator: its carriers split into ≥ 2 groups tied by narrower indicators.

    ``rows``/``cols`` are the seed links; only ``usable`` indicators tie or are tested.
    """
    n_ind = usable.shape[0]
    out = np.zeros(n_ind, dtype=bool)
    keep = usable[cols]
    r, c = rows[keep].astype(np.int64), cols[keep].astype(np.int64)
    if r.size == 0:
        return out
    order = np.lexsort((r, c))
    r, c = r[order], c[order]
    starts = np.flatnonzero(np.r_[True, c[1:] != c[:-1]])
    ends = np.r_[starts[1:], c.size]
    breadth = ends - starts
    parent = np.arange(n_artifacts, dtype=np.int64)

    def find(x: int) -> int:
        root = x
        while parent[root] != root:
            root = int(parent[root])
        while parent[x] != root:
            parent[x], x = root, int(parent[x])
        return root

    by_breadth = np.argsort(breadth, kind="stable")
    level_of = breadth[by_breadth]
    cut = np.flatnonzero(np.r_[True, level_of[1:] != level_of[:-1]])
    bounds = np.r_[cut, by_breadth.size]
    for lo, hi in itertools.pairwise(bounds.tolist()):
        batch = by_breadth[lo:hi]
        if level_of[lo] >= 2 * min_group:
            for g in batch:
                carriers = r[starts[g] : ends[g]].tolist()
                roots = [find(a) for a in carriers]
                _, counts = np.unique(roots, return_counts=True)
                if int(np.count_nonzero(counts >= min_group)) >= 2:
                    out[c[starts[g]]] = True
        for g in batch:  # tie after testing the whole level: equals never hide each other
            carriers = r[starts[g] : ends[g]].tolist()
            first = find(carriers[0])
            for a in carriers[1:]:
                other = find(a)
                if other != first:
                    parent[other] = first
    return out
