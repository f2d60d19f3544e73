"""A gang that rotated its keys and domains is still one chain: it kept its accounts.

Fraud operations change signing keys, domains and servers every few weeks; what they keep
is what their victims and payments reach: customer-service and chat accounts, QQ and
WeChat contacts, payment channels, SDK app keys. Two chains merge when at least
``rotation_kept`` such values are carried by most of the artifacts of both (the accounts run
through the whole operation, before and after the rotation) and by no third chain: a
supplier that sells a chat account to several gangs touches part of each, or more than
two chains, and merges nothing.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from scipy.sparse import csgraph, csr_matrix

from chaincut.link.graph import IndicatorGraph, IntArray

KEPT_KINDS = frozenset({
    "qq", "wechat", "phone", "email", "cs_key", "customer_service", "payment",
    "payment_key", "payment_endpoint", "sdk_app_key",
})
MOST = 0.5  # share of a chain's artifacts that carry a kept value


def merge_rotations(
    graph: IndicatorGraph, labels: IntArray, kinds: list[str], min_kept: int, min_size: int
) -> IntArray:
    """Labels after merging chain pairs (of ``min_size``+) sharing ``min_kept`` accounts."""
    if min_kept <= 0:
        return labels
    kept = np.array([k in KEPT_KINDS for k in kinds], dtype=bool)
    on = (labels[graph.rows] >= 0) & kept[graph.cols] & ~graph.common[graph.cols]
    if not on.any():
        return labels
    size = np.bincount(labels[labels >= 0], minlength=labels.shape[0])
    carriers: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for c, lab in zip(graph.cols[on].tolist(), labels[graph.rows[on]].tolist(), strict=True):
        carriers[c][lab] += 1
    pairs: dict[tuple[int, int], int] = defaultdict(int)
    for per in carriers.values():
        if len(per) != 2:
            continue
        (a, na), (b, nb) = sorted(per.items())
        big = size[a] >= min_size and size[b] >= min_size
        if big and na >= MOST * size[a] and nb >= MOST * size[b]:
            pairs[(a, b)] += 1
    joined = [pair for pair, n in pairs.items() if n >= min_kept]
    if not joined:
        return labels
    n = labels.shape[0]
    a, b = np.array(joined, dtype=np.int64).T
    link = csr_matrix((np.ones(a.shape[0], dtype=np.int8), (a, b)), shape=(n, n))
    _, comp = csgraph.connected_components(link, directed=False)
    first = np.full(n, n, dtype=np.int64)
    np.minimum.at(first, comp, np.arange(n))
    out: IntArray = np.where(labels >= 0, first[comp][np.maximum(labels, 0)], labels)
    return out
