"""An operation rotated twice is one chain; gangs meeting at a supplier stay apart.

Direct tests of rotation.merge_operations on labels as grouping might leave them: a
gang's values running through three of its chains (or two, with one app of it placed in
another gang's chain) merge the chains; a supplier's values on three gangs' chains, a
distribution domain two gangs rent, a server two gangs share merge nothing.
"""

from __future__ import annotations

import numpy as np

from chaincut.link.rotation import merge_operations
from tests.link_world import small_graph


def _merge(
    labels: list[int], links: list[tuple[int, int]], kinds: list[str],
    vote: list[float] | None = None,
) -> np.ndarray:
    n_ind = len(kinds)
    graph = small_graph(len(labels), links, n_ind, vote)
    return merge_operations(
        graph, np.asarray(labels, dtype=np.int64), kinds, np.ones(n_ind), 0.25, 2
    )


# three chains of four artifacts each: 0-3 (label 0), 4-7 (label 4), 8-11 (label 8)
THREE = [0] * 4 + [4] * 4 + [8] * 4


def test_a_chat_account_two_chains_alone_carry_and_a_domain_on_three_merge_the_two() -> None:
    # 0: a chat account on chains 0 and 4 only; 1: the gang's backend on all three
    links = [(a, 0) for a in (0, 1, 4, 5)] + [(a, 1) for a in (0, 1, 4, 5, 8, 9)]
    out = _merge(THREE, links, ["qq", "domain"])
    assert out[0] == out[4] != out[8]  # chain 8 shares one value: not enough on its own


def test_one_app_placed_in_another_chain_does_not_hide_the_operation() -> None:
    # 0: the gang's domain on chains 0 and 4; 1: its QQ on both, and on one app (8) that
    # grouping put in another gang's chain
    links = [(a, 0) for a in (0, 1, 4, 5)] + [(a, 1) for a in (0, 1, 2, 4, 5, 8)]
    out = _merge(THREE, links, ["domain", "qq"])
    assert out[0] == out[4] != out[8]
    # without the exclusive domain, the QQ alone (on a third chain) merges nothing
    out = _merge(THREE, [(a, 1) for a in (0, 1, 2, 4, 5, 8)], ["domain", "qq"])
    assert (out == THREE).all()


def test_three_gangs_buying_a_suppliers_two_values_stay_apart() -> None:
    # a supplier's chat account and server on half of each of three gangs' chains
    links = [(a, i) for a in (0, 1, 4, 5, 8, 9) for i in (0, 1)]
    out = _merge(THREE, links, ["qq", "domain"])
    assert (out == THREE).all()


def test_two_gangs_renting_one_distribution_domain_stay_apart() -> None:
    # a distributor's domain and its download host on most of both gangs' chains
    labels = [0] * 4 + [4] * 4
    links = [(a, i) for a in (0, 1, 2, 4, 5, 6) for i in (0, 1)]
    out = _merge(labels, links, ["domain", "domain"], vote=[0.1, 0.1])
    assert (out == labels).all()


def test_two_gangs_sharing_a_suppliers_server_stay_apart() -> None:
    # one server on both gangs' chains, and on one app of a third
    labels = THREE
    links = [(a, 0) for a in (0, 1, 2, 4, 5, 6, 8)]
    out = _merge(labels, links, ["domain"])
    assert (out == THREE).all()


def test_a_gang_delivering_through_its_own_rotating_domains_is_one_chain() -> None:
    # three download domains of the gang's own (voting as delivery hosts) on chains 0 and
    # 4, one of them on a stray app (8) of the gang in another chain
    links = [(a, i) for a in (0, 1, 4, 5) for i in (0, 1, 2)] + [(8, 0)]
    out = _merge(THREE, links, ["domain"] * 3, vote=[0.1] * 3)
    assert out[0] == out[4] != out[8]
    # two such domains (a distributor's page and file domains) are not enough
    links = [(a, i) for a in (0, 1, 4, 5) for i in (0, 1)]
    out = _merge(THREE, links, ["domain"] * 3, vote=[0.1] * 3)
    assert (out == THREE).all()


def test_three_gangs_renting_one_distributors_three_domains_stay_apart() -> None:
    links = [(a, i) for a in (0, 1, 4, 5, 8, 9) for i in (0, 1, 2)]
    out = _merge(THREE, links, ["domain"] * 3, vote=[0.1] * 3)
    assert (out == THREE).all()
