"""Strays on a developer's template go to the chain owning their values (strays.py).

Two apps of gang B built on gang A's developer template sit in A's chain, owning nothing
there; their backend lives on B's chain: they move to it. Counter-tests: a gang whose apps
all carry the template and its backend stays whole; an app tied to its chain by the
chain's own backend stays even if it also uses a server another chain mostly carries (a
supplier); a value spread over chains pulls nothing; a rotated gang stays one chain.
"""

from __future__ import annotations

import numpy as np

from chaincut.link.graph import IndicatorGraph
from chaincut.link.strays import send_home
from tests.link_world import ind
from tests.test_link_fragments import TEMPLATE, _apps, _chains, rec

# indicator columns: template 0-3, then per test
BASE = list(TEMPLATE)


def _graph(links: list[tuple[int, int]], n_ind: int, n_art: int) -> IndicatorGraph:
    rows = np.asarray([a for a, _ in links], dtype=np.int32)
    cols = np.asarray([i for _, i in links], dtype=np.int32)
    return IndicatorGraph(
        n_artifacts=n_art, rows=rows, cols=cols, prior=np.ones(n_ind),
        common=np.zeros(n_ind, dtype=bool), seed=np.ones(n_art, dtype=bool),
    )


def _home(links: list[tuple[int, int]], kinds: list[str], labels: list[int]) -> np.ndarray:
    graph = _graph(links, len(kinds), len(labels))
    lab = np.asarray(labels, dtype=np.int64)
    return send_home(graph, lab, kinds, np.ones(len(kinds)))


def _world(extra: list[tuple[int, int]], kinds_extra: list[str]) -> tuple[list, list[str]]:
    # chain 0: apps 0-5 of gang A (template 0-3, domain 4, qq 5) and apps 6-7 of gang B
    # (template only, plus B's domain 6); chain 8: apps 8-11 of gang B (domain 6, qq 7)
    kinds = [*BASE, "domain", "qq", "domain", "qq", *kinds_extra]
    links = [(a, i) for a in range(8) for i in range(4)]
    links += [(a, i) for a in range(6) for i in (4, 5)]
    links += [(a, 6) for a in (6, 7, 8, 9, 10, 11)] + [(a, 7) for a in range(8, 12)]
    return links + extra, kinds


LABELS = [0] * 8 + [8] * 4


def test_two_strays_on_a_template_go_to_the_chain_owning_their_backend() -> None:
    links, kinds = _world([], [])
    out = _home(links, kinds, LABELS)
    assert len(set(out[:6].tolist())) == 1
    assert out[6] == out[7] == out[8] == out[11] != out[0]


def test_a_gang_all_on_the_template_with_its_backend_stays_whole() -> None:
    # B's apps 6-7 also carry A's backend domain (4): they are A's, nothing moves
    links, kinds = _world([(6, 4), (7, 4)], [])
    out = _home(links, kinds, LABELS)
    assert len(set(out[:8].tolist())) == 1 and out[8] != out[0]


def test_a_supplier_server_pulls_no_app_tied_to_its_chain() -> None:
    # apps 0-1 of A also use a server (8) that B's chain mostly carries
    links, kinds = _world([(a, 8) for a in (0, 1, 8, 9, 10, 11)], ["domain"])
    out = _home(links, kinds, LABELS)
    assert len(set(out[:6].tolist())) == 1 and out[0] != out[8]


def test_a_value_spread_over_chains_pulls_nothing() -> None:
    # B's domain (6) also on three apps of a third chain (12-14): owned by no chain
    links, kinds = _world([(a, 6) for a in (12, 13, 14)] + [(a, 8) for a in (12, 13, 14)],
                          ["qq"])
    out = _home(links, kinds, [*LABELS, 12, 12, 12])
    assert len(set(out[:8].tolist())) == 1


def test_no_template_no_move() -> None:
    # strays 6-7 share only one developer value with the chain: not a template
    kinds = [*BASE, "domain", "qq", "domain", "qq"]
    links = [(a, i) for a in range(6) for i in range(4)] + [(a, 0) for a in (6, 7)]
    links += [(a, i) for a in range(6) for i in (4, 5)]
    links += [(a, 6) for a in (6, 7, 8, 9, 10, 11)] + [(a, 7) for a in range(8, 12)]
    out = _home(links, kinds, LABELS)
    assert out[6] == out[0] != out[8]


# end to end ----------------------------------------------------------------------------


def test_end_to_end_strays_join_their_gang_and_a_rotated_gang_stays_one() -> None:
    from chaincut.link.chains import build_chains

    alpha = _apps("alpha", 8, ind("domain", "api.alpha-backend.example"),
                  ind("qq", "123456701"))
    strays = _apps("stray", 2, ind("domain", "api.beta-backend.example"))
    beta = [rec(f"beta-{i}", ind("domain", "api.beta-backend.example"),
                ind("payment", "merchant-beta-0042")) for i in range(5)]
    kept = (ind("qq", "556677881"), ind("payment", "merchant-kept-0077"))
    old = [rec(f"old-{i}", ind("domain", "api.old-gamma.example"), *kept) for i in range(5)]
    new = [rec(f"new-{i}", ind("domain", "api.new-gamma.example"), *kept) for i in range(5)]
    cs = build_chains(alpha + strays + beta + old + new, [])
    a = _chains(cs, [f"alpha-{i}" for i in range(8)])
    b = _chains(cs, [f"stray-{i}" for i in range(2)] + [f"beta-{i}" for i in range(5)])
    g = _chains(cs, [f"old-{i}" for i in range(5)] + [f"new-{i}" for i in range(5)])
    assert len(a) == 1 and len(b) == 1 and len(g) == 1 and None not in a | b | g
    assert len(a | b | g) == 3
