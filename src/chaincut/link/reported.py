"""Two chains that the same victims report and that share a value they own are one gang.

A victim's report names the apps, pages and QR codes of one scam; a gang whose apps fall
into two chains (two waves, two builders) is named across both by its victims. Reports
never join chains on their own: one victim may have been taken by two gangs, or report a
genuine app beside the fake one. Two chains merge when both hold:

- at least ``min_cases`` distinct case reports each name artifacts in both chains;
- at least one value the operation owns (``OWNED_KINDS``: its domains, the accounts its
  URLs name, contacts, payment channels; not a developer's certificates, builder ids, SDK
  keys or packages, nor hosting addresses) is carried by ``min_carriers``+ artifacts of
  each, by no third chain, and votes fully (not a distributor's host on pages).

A chat account two gangs rent from one supplier ties them only where several victims
report both; a supplier's server on both, however many reports, is no owned value.
"""

from __future__ import annotations

import numpy as np

from chaincut.link.graph import FloatArray, IndicatorGraph, IntArray
from chaincut.link.rotation import merge_pairs, owned_counts


def merge_reported(
    graph: IndicatorGraph,
    labels: IntArray,
    kinds: list[str],
    weight: FloatArray,
    case_links: tuple[IntArray, IntArray] | None,
    min_cases: int,
    min_carriers: int,
) -> IntArray:
    """Labels after merging chain pairs named by ``min_cases``+ reports that share a value."""
    if min_cases <= 0 or case_links is None or not case_links[0].size:
        return labels
    # chain pairs several reports name together
    art, case = case_links
    lab = labels[art]
    on = lab >= 0
    pairs = np.unique(np.stack([case[on].astype(np.int64), lab[on]]), axis=1)
    reported: dict[tuple[int, int], int] = {}
    for c in np.unique(pairs[0]).tolist():
        chains = sorted(pairs[1][pairs[0] == c].tolist())
        for i in range(len(chains)):
            for j in range(i + 1, len(chains)):
                key = (chains[i], chains[j])
                reported[key] = reported.get(key, 0) + 1
    named = {pair for pair, k in reported.items() if k >= min_cases}
    if not named:
        return labels
    # owned values on exactly two chains, min_carriers+ on each, voting fully
    counts = owned_counts(graph, labels, kinds, weight)
    if counts is None:
        return labels
    per = np.diff(counts.indptr)
    two = per == 2
    if graph.vote is not None:
        two &= graph.vote >= 1.0
    joined: list[tuple[int, int]] = []
    for v in np.flatnonzero(two).tolist():
        lo = counts.indptr[v]
        a, b = sorted(counts.indices[lo:lo + 2].tolist())
        if min(counts.data[lo:lo + 2]) >= min_carriers and (a, b) in named:
            joined.append((a, b))
    if not joined:
        return labels
    return merge_pairs(labels, joined)
