"""A developer's template holds no chain together: split a chain at the template.

One developer builds for several gangs from one template: its signing certificate,
builder account, SDK keys, package name, e-mail and SDK endpoints sit, identical, on every
app it made. Community detection may then keep parts of two or three gangs in one chain,
the template outvoting their own infrastructure. What a gang operates is its own: its
backend domains and URLs, the accounts its URLs name, its contacts and payment channels,
its pages and the package files they link.

Inside each chain, the members that values the chain owns tie together (a value the chain
owns: two or more members carry it, and more than half of its chained carriers are
members) form the chain's *cores*; developer kinds (``TEMPLATE_KINDS``) and values spread
over other chains (suppliers, shared infrastructure) tie no core. A chain splits into its
cores when it holds two or more cores of ``min_core``+ apps (pages and QR codes deliver
an operation, they do not make one) with a flagged member, and
what joins them includes a template: ``MIN_BUNDLE`` or more developer values whose
carriers in the chain are near-identical (``BUNDLE_JACCARD``) and reach two or more cores.
The rest of the chain (pages, apps tied by nothing the chain owns) joins, part by part,
the core it shares the most link weight with per core member.

The template's values, now carried by several chains, are listed as suppliers (role
developer) like any shared value. A gang whose apps all share the template and its own
backend is one core, and is not split. Splitting runs on the chains as grouped, before
rotated halves are merged (rotation.py): halves of one operation are tied by values they
own and merge again; split parts share no value of the chain's own, so those merges never
rejoin them.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from chaincut.link.graph import BoolArray, FloatArray, IndicatorGraph, IntArray

# a developer's template: what one developer puts on every app it builds
TEMPLATE_KINDS = frozenset({
    "cert_sha256", "builder_app_id", "sdk_app_key", "package", "bundle_id", "email",
})
# kinds that tie nothing a gang operates (addresses are shared hosting)
UNOWNED_KINDS = frozenset({"ip", "path", "packer", "sign_service", "team_id", "parent"})
OWN_SHARE = 0.5  # share of a value's chained carriers that must be the chain's members
OWNED_CARRIERS = 2  # carriers a chain needs to own a value
MIN_BUNDLE = 2  # developer values with near-identical carriers that make a template
BUNDLE_JACCARD = 0.8


def split_templates(
    graph: IndicatorGraph,
    labels: IntArray,
    kinds: list[str],
    weight: FloatArray,
    flagged: BoolArray,
    min_core: int,
) -> IntArray:
    """Labels after splitting chains held together only by a developer's template."""
    if min_core <= 0 or not (labels >= 0).any():
        return labels
    n_art, n_ind = labels.shape[0], weight.shape[0]
    template, unowned, r, c = chained_links(graph, labels, kinds, weight)
    total = np.bincount(c, minlength=n_ind)  # chained carriers per value
    size = np.bincount(labels[labels >= 0], minlength=n_art)
    app = np.ones(n_art, dtype=bool) if graph.delivery is None else ~graph.delivery
    lab = labels[r]
    n_lab = int(labels.max()) + 1
    keep = (size[lab] >= 2 * min_core) & template_chains(lab, c, template, n_lab)[lab]
    by_chain: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for a, v, b in zip(r[keep].tolist(), c[keep].tolist(), lab[keep].tolist(), strict=True):
        by_chain[b].append((a, v))
    out = labels.copy()
    next_label = n_art
    for links in by_chain.values():
        parts = _split_chain(links, total, template, unowned, weight, app, flagged, min_core)
        for part in parts[1:]:
            out[part] = next_label
            next_label += 1
    return _relabel(out)


def chained_links(
    graph: IndicatorGraph, labels: IntArray, kinds: list[str], weight: FloatArray
) -> tuple[BoolArray, BoolArray, IntArray, IntArray]:
    """Per value: a developer's (template) kind, a kind that names no operator; and the
    links (artifact, value) of chained artifacts to live values (weighted, not common)."""
    n_ind = weight.shape[0]
    template = np.fromiter((k in TEMPLATE_KINDS for k in kinds), bool, n_ind)
    unowned = np.fromiter((k in UNOWNED_KINDS for k in kinds), bool, n_ind)
    live = (weight > 0) & ~graph.common
    rows, cols = graph.rows.astype(np.int64), graph.cols.astype(np.int64)
    on = (labels[rows] >= 0) & live[cols]
    return template, unowned, rows[on], cols[on]


def value_owners(
    c: IntArray, lab: IntArray, n_lab: int, total: IntArray
) -> tuple[IntArray, IntArray]:
    """Per value: the chain that owns it (-1: none) and its carriers beyond that chain.

    ``c``, ``lab``: (value, chain) of each chained link; ``total``: carriers per value that
    count (chained ones, or all). The owner holds the most of them (ties: the smallest
    label), ``OWNED_CARRIERS`` or more and more than ``OWN_SHARE`` of ``total``.
    """
    n_ind = total.shape[0]
    owner = np.full(n_ind, -1, dtype=np.int64)
    outside = np.zeros(n_ind, dtype=np.int64)
    if c.size == 0:
        return owner, outside
    keys, counts = np.unique(c * np.int64(n_lab) + lab, return_counts=True)
    value, chain = keys // n_lab, keys % n_lab
    order = np.lexsort((chain, -counts, value))  # per value: most carriers, smallest label
    value, chain, counts = value[order], chain[order], counts[order]
    first = np.ones(value.shape[0], dtype=bool)
    first[1:] = value[1:] != value[:-1]
    v, ch, n = value[first], chain[first], counts[first]
    owned = (n >= OWNED_CARRIERS) & (n > OWN_SHARE * total[v])
    owner[v[owned]] = ch[owned]
    outside[v[owned]] = total[v[owned]] - n[owned]
    return owner, outside


def template_chains(lab: IntArray, c: IntArray, template: BoolArray, n_labels: int) -> BoolArray:
    """Per chain label: it holds ``MIN_BUNDLE``+ developer values on two or more members.

    Only such a chain can hold a template (``_bundles``), so only such a chain can split
    or hold a stray; the others are skipped before any per-chain work (at a million
    artifacts most chains are).
    """
    on = template[c]
    pair = np.unique(c[on] * np.int64(n_labels) + lab[on], return_counts=True)
    shared = pair[1] >= 2
    per_chain = np.bincount(pair[0][shared] % n_labels, minlength=n_labels)
    out: BoolArray = per_chain >= MIN_BUNDLE
    return out


def _split_chain(
    links: list[tuple[int, int]],
    total: IntArray,
    template: BoolArray,
    unowned: BoolArray,
    weight: FloatArray,
    app: BoolArray,
    flagged: BoolArray,
    min_core: int,
) -> list[list[int]]:
    """One chain's members, per part it splits into (one part: no split)."""
    carriers: dict[int, set[int]] = defaultdict(set)
    by_art: dict[int, list[int]] = defaultdict(list)
    for a, v in links:
        carriers[v].add(a)
        by_art[a].append(v)
    members = sorted(by_art)
    bundles = _bundles(carriers, template)
    if not bundles:
        return [members]
    # values the chain owns and that are not the template's: what a gang operates
    glue = [
        v for v, s in carriers.items()
        if len(s) >= 2 and len(s) > OWN_SHARE * total[v] and not template[v]
        and not unowned[v]
    ]
    core = _union(members, [carriers[v] for v in glue])
    apps: dict[int, int] = defaultdict(int)
    flag: dict[int, bool] = defaultdict(bool)
    for a in members:
        apps[core[a]] += int(app[a])
        flag[core[a]] |= bool(flagged[a])
    big = {p for p, n in apps.items() if n >= min_core and flag[p]}
    if len(big) < 2 or not any(len({core[a] for a in b} & big) >= 2 for b in bundles):
        return [members]
    loose: dict[int, list[int]] = defaultdict(list)
    for a in members:
        if core[a] not in big:
            loose[core[a]].append(a)
    home = {p: _nearest(part, members, big, core, by_art, weight) for p, part in loose.items()}
    groups: dict[int, list[int]] = defaultdict(list)
    for a in members:
        groups[home.get(core[a], core[a])].append(a)
    return [groups[p] for p in sorted(groups)]


def _alike(a: set[int], b: set[int]) -> bool:
    return len(a & b) >= BUNDLE_JACCARD * len(a | b)


def _bundles(carriers: dict[int, set[int]], template: BoolArray) -> list[set[int]]:
    """Carrier sets of ``MIN_BUNDLE``+ developer values with near-identical carriers."""
    dev = [v for v, s in carriers.items() if template[v] and len(s) >= 2]
    out: list[set[int]] = []
    for v in dev:
        base = carriers[v]
        if any(base == b for b in out):
            continue
        if sum(_alike(base, carriers[u]) for u in dev) >= MIN_BUNDLE:
            out.append(base)
    return out


def _union(members: list[int], groups: list[set[int]]) -> dict[int, int]:
    """Per member: the smallest member of its component over ``groups``."""
    parent = {a: a for a in members}

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for g in groups:
        it = iter(sorted(g))
        first = find(next(it))
        for a in it:
            b = find(a)
            if b != first:
                lo, hi = min(first, b), max(first, b)
                parent[hi] = lo
                first = lo
    return {a: find(a) for a in members}


def _nearest(
    part: list[int],
    members: list[int],
    big: set[int],
    core: dict[int, int],
    by_art: dict[int, list[int]],
    weight: FloatArray,
) -> int:
    """The core a loose part shares the most link weight with, per core member."""
    mine: set[int] = set()
    for a in part:
        mine.update(by_art[a])
    score: dict[int, float] = defaultdict(float)
    size: dict[int, int] = defaultdict(int)
    for b in members:
        p = core[b]
        if p in big:
            size[p] += 1
            score[p] += float(sum(weight[v] for v in mine.intersection(by_art[b])))
    return max(sorted(big), key=lambda p: (score[p] / size[p], size[p]))


def _relabel(labels: IntArray) -> IntArray:
    """Each chain labelled by its smallest member index, as components() does."""
    n = labels.shape[0]
    first = np.full(2 * n + 1, n, dtype=np.int64)
    on = labels >= 0
    np.minimum.at(first, labels[on], np.flatnonzero(on))
    out: IntArray = np.where(on, first[np.maximum(labels, 0)], -1)
    return out
