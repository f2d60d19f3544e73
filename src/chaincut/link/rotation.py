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

from chaincut.link.graph import BoolArray, FloatArray, IndicatorGraph, IntArray

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
    return merge_pairs(labels, joined)


def merge_pairs(labels: IntArray, joined: list[tuple[int, int]]) -> IntArray:
    """Labels with every joined pair of chains (and what they chain to) made one.

    Each merged chain takes the smallest label among its parts, so the result does not
    depend on the order the pairs were found in.
    """
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
MAX_CHAINS = 3  # chains one owned value may tie: an operation rotated twice is three
STRAY = 1  # carriers a value may have beyond those chains: one app placed elsewhere
OWN_HOSTS = 3  # delivery domains two chains alone carry that make them one operation


def owned_counts(
    graph: IndicatorGraph, labels: IntArray, kinds: list[str], weight: FloatArray
) -> csr_matrix | None:
    """Chained carriers per (owned value, chain): values of ``OWNED_KINDS``, weighted and
    not common; None when no chained artifact carries one."""
    owned = np.array([k in OWNED_KINDS for k in kinds], dtype=bool)
    owned &= (weight > 0) & ~graph.common
    on = (labels[graph.rows] >= 0) & owned[graph.cols]
    if not on.any():
        return None
    counts = csr_matrix(
        (np.ones(int(on.sum()), dtype=np.float64),
         (graph.cols[on].astype(np.int64), labels[graph.rows[on]])),
        shape=(weight.shape[0], labels.shape[0]),
    )
    counts.sum_duplicates()
    return counts


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
    common) run through both: at least ``MIN_VALUES`` such values, at least one voting
    fully (not a delivery host) and on no third chain, and, summed over those carried by
    ``min_carriers``+ artifacts of each, the smaller of the two shares of carriers reaches
    ``share``. A rotated gang keeps a backend domain, a chat account, a merchant id on a
    good part of each half; two gangs meeting at one supplier share its one value, on a
    small part of each, or share it with a third gang.

    An operation rotated twice is three chains, and its other values run through all
    three: a value on ``min_carriers``+ artifacts of up to ``MAX_CHAINS`` chains, with at
    most ``STRAY`` carrier elsewhere (one app the grouping put in another gang's chain),
    counts for each pair of them. It only adds to a pair that the exclusive value above
    already ties, so a supplier's values, however few the chains they reach, merge
    nothing on their own.

    A gang that delivers through its own rotating download domains carries them on its
    pages, where they vote as a distributor's hosts; ``OWN_HOSTS``+ such values on these
    two chains alone (a stray carrier aside) stand in for the fully voting one. A
    distributor two gangs rent is one domain, or two (pages, files), and the third gang it
    serves puts its domains on a third chain.
    """
    if share <= 0:
        return labels
    counts = owned_counts(graph, labels, kinds, weight)
    if counts is None:
        return labels
    n = labels.shape[0]
    size = np.bincount(labels[labels >= 0], minlength=n).astype(np.float64)
    two, a, b, na, nb, alone = _value_pairs(counts, min_carriers)
    # the pairs two or more owned values tie: a supplier sells one value, an operation
    # keeps several (a domain and a chat account, a backend and a payment merchant)
    values: dict[tuple[int, int], int] = defaultdict(int)
    for x, y in zip(a.tolist(), b.tolist(), strict=True):
        values[(x, y)] += 1
    ok = (na >= min_carriers) & (nb >= min_carriers)
    if not ok.any():
        return labels
    a, b, c, alone = a[ok], b[ok], two[ok], alone[ok]
    part = np.minimum(na[ok] / size[a], nb[ok] / size[b])
    # a distributor's host on the pages of exactly two gangs is no evidence on its own
    full = np.ones(c.shape[0], dtype=bool) if graph.vote is None else graph.vote[c] >= 1.0
    # ... and on these two chains alone: three gangs buying from one supplier stay apart
    full &= np.diff(counts.indptr)[c] == 2
    total: dict[tuple[int, int], float] = defaultdict(float)
    direct: set[tuple[int, int]] = set()
    own: dict[tuple[int, int], int] = defaultdict(int)  # values on these two chains only
    for x, y, p, f, o in zip(a.tolist(), b.tolist(), part.tolist(), full.tolist(),
                             alone.tolist(), strict=True):
        total[(x, y)] += p
        own[(x, y)] += o
        if f:
            direct.add((x, y))
    joined = [pair for pair, s in total.items()
              if s >= share and values[pair] >= MIN_VALUES
              and (pair in direct or own[pair] >= OWN_HOSTS)]
    if not joined:
        return labels
    return merge_pairs(labels, joined)


def _value_pairs(
    counts: csr_matrix, min_carriers: int
) -> tuple[IntArray, IntArray, IntArray, FloatArray, FloatArray, BoolArray]:
    """(value, chain a, chain b, carriers in a, carriers in b, on a and b alone) per pair.

    A value on exactly two chains ties them; a value on more ties each pair of the up to
    ``MAX_CHAINS`` chains holding ``min_carriers``+ of its carriers, when at most
    ``STRAY`` of its carriers lie elsewhere. "Alone": no other chain holds
    ``min_carriers`` of its carriers.
    """
    per = np.diff(counts.indptr)
    two = np.flatnonzero(per == 2)
    at = counts.indptr[two]
    cols = [two, counts.indices[at], counts.indices[at + 1]]
    data = [counts.data[at], counts.data[at + 1]]
    alone = np.ones(two.shape[0], dtype=bool)
    many = np.flatnonzero(per > 2)
    if many.size:
        row = np.repeat(np.arange(per.shape[0]), per)
        member = counts.data >= min_carriers
        n_member = np.bincount(row, weights=member, minlength=per.shape[0])
        stray = np.bincount(row, weights=np.where(member, 0.0, counts.data),
                            minlength=per.shape[0])
        many = many[(n_member[many] >= 2) & (n_member[many] <= MAX_CHAINS)
                    & (stray[many] <= STRAY)]
        extra: list[tuple[int, int, int, float, float, bool]] = []
        for v in many.tolist():
            lo, hi = counts.indptr[v], counts.indptr[v + 1]
            keep = member[lo:hi]
            ch, n = counts.indices[lo:hi][keep].tolist(), counts.data[lo:hi][keep].tolist()
            for i in range(len(ch)):
                for j in range(i + 1, len(ch)):
                    extra.append((v, ch[i], ch[j], n[i], n[j], len(ch) == 2))
        if extra:
            arr = np.array(extra, dtype=np.float64)
            cols = [np.concatenate([c, arr[:, k].astype(np.int64)]) for k, c in enumerate(cols)]
            data = [np.concatenate([d, arr[:, 3 + k]]) for k, d in enumerate(data)]
            alone = np.concatenate([alone, arr[:, 5] > 0])
    v, a, b = (c.astype(np.int64) for c in cols)
    return v, a, b, data[0].astype(np.float64), data[1].astype(np.float64), alone
