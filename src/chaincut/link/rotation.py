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

from chaincut.link.graph import FloatArray, IndicatorGraph, IntArray

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


# values an operation owns and keeps through a rotation: its own domains (backend, chat,
# payment), the accounts its URLs name, its contacts and payment channels. Developer
# template values (certificates, builder ids, SDK keys, packages, emails) and hosting
# addresses are left out: a developer or host serving exactly two gangs carries those.
OWNED_KINDS = frozenset({
    "domain", "param", "qq", "wechat", "phone", "cs_key", "customer_service", "payment",
    "payment_key", "payment_endpoint",
})
MIN_VALUES = 2  # owned values two chains must share to be one operation


def merge_operations(
    graph: IndicatorGraph,
    labels: IntArray,
    kinds: list[str],
    weight: FloatArray,
    share: float,
    min_carriers: int,
) -> IntArray:
    """Merge chains that are halves of one rotated operation.

    Two chains are one operation when values it owns (``OWNED_KINDS``, weighted, not
    common) run through both and through no third chain: at least ``MIN_VALUES`` such
    values, at least one voting fully (not a delivery host), and, summed over those
    carried by ``min_carriers``+ artifacts of each, the smaller of the two shares of
    carriers reaches ``share``. A rotated gang keeps a backend domain, a chat account, a
    merchant id on a good part of each half; two gangs meeting at one supplier share its
    one value, on a small part of each, or share it with a third gang.
    """
    if share <= 0:
        return labels
    owned = np.array([k in OWNED_KINDS for k in kinds], dtype=bool)
    owned &= (weight > 0) & ~graph.common
    on = (labels[graph.rows] >= 0) & owned[graph.cols]
    if not on.any():
        return labels
    n = labels.shape[0]
    size = np.bincount(labels[labels >= 0], minlength=n).astype(np.float64)
    counts = csr_matrix(
        (np.ones(int(on.sum()), dtype=np.float64),
         (graph.cols[on].astype(np.int64), labels[graph.rows[on]])),
        shape=(weight.shape[0], n),
    )
    counts.sum_duplicates()
    two = np.flatnonzero(np.diff(counts.indptr) == 2)
    at = counts.indptr[two]
    a, b = counts.indices[at].astype(np.int64), counts.indices[at + 1].astype(np.int64)
    na, nb = counts.data[at], counts.data[at + 1]
    # the pairs two or more owned values tie: a supplier sells one value, an operation
    # keeps several (a domain and a chat account, a backend and a payment merchant)
    values: dict[tuple[int, int], int] = defaultdict(int)
    for x, y in zip(a.tolist(), b.tolist(), strict=True):
        values[(x, y)] += 1
    ok = (na >= min_carriers) & (nb >= min_carriers)
    if not ok.any():
        return labels
    a, b, c = a[ok], b[ok], two[ok]
    part = np.minimum(na[ok] / size[a], nb[ok] / size[b])
    # a distributor's host on the pages of exactly two gangs is no evidence on its own
    full = np.ones(c.shape[0], dtype=bool) if graph.vote is None else graph.vote[c] >= 1.0
    total: dict[tuple[int, int], float] = defaultdict(float)
    direct: set[tuple[int, int]] = set()
    for x, y, p, f in zip(a.tolist(), b.tolist(), part.tolist(), full.tolist(), strict=True):
        total[(x, y)] += p
        if f:
            direct.add((x, y))
    joined = [pair for pair, s in total.items()
              if s >= share and pair in direct and values[pair] >= MIN_VALUES]
    if not joined:
        return labels
    ja, jb = np.array(joined, dtype=np.int64).T
    link = csr_matrix((np.ones(ja.shape[0], dtype=np.int8), (ja, jb)), shape=(n, n))
    _, comp = csgraph.connected_components(link, directed=False)
    first = np.full(n, n, dtype=np.int64)
    np.minimum.at(first, comp, np.arange(n))
    out: IntArray = np.where(labels >= 0, first[comp][np.maximum(labels, 0)], labels)
    return out
