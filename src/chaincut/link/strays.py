"""A stray on a developer's template goes home: to the chain that owns what it operates.

A developer that builds for several gangs puts its template (certificate, builder
account, SDK keys, package, e-mail) on every app it made, and community detection may
then keep one or two apps of a gang (with their page and QR code) in another gang's
chain: the template outvotes the few values they operate, and ``split_templates`` does
not fire, since the strays own nothing in that chain and form no core of ``template_core``
apps. Their own values live elsewhere: their backend URL or landing domain is carried
mostly by another chain.

Inside each chain, members form parts tied by owned values (a value a chain owns:
``OWNED_CARRIERS``+ of its chained carriers are members, more than ``OWN_SHARE`` of them;
developer kinds and kinds that name no operator tie nothing): values only the chain carries
(``STRAY`` carrier elsewhere aside), and values another chain owns (two strays of one
gang go together). A part other than the chain's largest moves to chain X when

- it is joined to the rest of its chain by a template: ``MIN_BUNDLE``+ developer values
  carried both by the part and by the rest;
- the values X owns that it carries, and the rest of its chain does not, outweigh (in
  link weight) those it shares with the rest of its chain and the chain owns, and those
  any third chain owns.

A gang whose apps all carry the template and its own backend is one part and does not
move; two gangs sharing a supplier's server or a distributor's host stay two chains (a
value spread over chains is owned by none); a rotated gang's halves are merged after
this, by the values they kept.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from chaincut.link.fragments import (
    MIN_BUNDLE,
    _relabel,
    _union,
    chained_links,
    template_chains,
    value_owners,
)
from chaincut.link.graph import FloatArray, IndicatorGraph, IntArray

STRAY = 1  # carriers elsewhere a value that ties a part may have


def send_home(
    graph: IndicatorGraph, labels: IntArray, kinds: list[str], weight: FloatArray
) -> IntArray:
    """Labels after moving template-held strays to the chain that owns their values."""
    if not (labels >= 0).any():
        return labels
    n_ind = weight.shape[0]
    template, unowned, r, c = chained_links(graph, labels, kinds, weight)
    chain_of = labels[r]
    n_lab = int(labels.max()) + 1
    owner_of, outside_of = value_owners(c, chain_of, n_lab, np.bincount(c, minlength=n_ind))
    # a chain can hold a stray only when it holds a template and one of its members
    # carries a value another chain owns (see the module docstring)
    foreign = (owner_of[c] >= 0) & (owner_of[c] != chain_of) & ~template[c] & ~unowned[c]
    pulled = np.zeros(n_lab, dtype=bool)
    pulled[chain_of[foreign]] = True
    keep = (pulled & template_chains(chain_of, c, template, n_lab))[chain_of]
    kv = np.unique(c[keep])
    kv = kv[owner_of[kv] >= 0]
    owner = dict(zip(kv.tolist(), owner_of[kv].tolist(), strict=True))
    outside = dict(zip(kv.tolist(), outside_of[kv].tolist(), strict=True))
    by_chain: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for a, v, b in zip(
        r[keep].tolist(), c[keep].tolist(), chain_of[keep].tolist(), strict=True
    ):
        by_chain[b].append((a, v))
    out = labels.copy()
    for lab, links in by_chain.items():
        for part, home in _strays(lab, links, owner, outside, template, unowned, weight):
            out[part] = home
    return _relabel(out)


def _strays(
    lab: int,
    links: list[tuple[int, int]],
    owner: dict[int, int],
    outside: dict[int, int],
    template: np.ndarray,
    unowned: np.ndarray,
    weight: FloatArray,
) -> list[tuple[list[int], int]]:
    """Parts of chain ``lab`` that go home, each with the chain they go to."""
    by_art: dict[int, set[int]] = defaultdict(set)
    for a, v in links:
        by_art[a].add(v)
    members = sorted(by_art)
    operated = [v for v in {v for _, v in links} if not template[v] and not unowned[v]]
    carriers: dict[int, set[int]] = defaultdict(set)
    for a, v in links:
        carriers[v].add(a)
    # parts: tied by values only this chain carries (one stray carrier elsewhere aside),
    # or by a value another chain owns (strays of one gang go together)
    glue = [
        carriers[v] for v in operated
        if v in owner and (owner[v] != lab or outside[v] <= STRAY)
    ]
    core = _union(members, glue)
    parts: dict[int, list[int]] = defaultdict(list)
    for a in members:
        parts[core[a]].append(a)
    if len(parts) < 2:
        return []
    main = max(sorted(parts), key=lambda p: len(parts[p]))
    out: list[tuple[list[int], int]] = []
    for p, part in parts.items():
        if p == main:
            continue
        inside = set(part)
        mine: set[int] = set().union(*(by_art[a] for a in part))
        rest: set[int] = set()
        for a in members:
            if a not in inside:
                rest |= by_art[a]
        if sum(bool(template[v]) for v in mine & rest) < MIN_BUNDLE:
            continue
        pull: dict[int, float] = defaultdict(float)
        for v in mine - rest:
            if v in owner and owner[v] != lab and not template[v] and not unowned[v]:
                pull[owner[v]] += float(weight[v])
        if not pull:
            continue
        # what ties the part to its chain beyond the template: values the chain owns
        tie = sum(float(weight[v]) for v in mine & rest if owner.get(v) == lab
                  and not template[v] and not unowned[v])
        home, best = max(pull.items(), key=lambda x: (x[1], -x[0]))
        if best > max([tie, *(w for k, w in pull.items() if k != home)]):
            out.append((part, home))
    return out
