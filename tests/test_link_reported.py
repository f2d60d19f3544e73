"""Victims' reports corroborate a gang split in two chains; they never glue gangs alone.

Direct tests of reported.merge_reported on labels as grouping might leave them: two
chains that several reports name together and that share a value the gang owns (a chat
account in its URLs, its own domain) merge; one victim reporting apps of two gangs that
rent one chat account merges nothing, nor do reports across two gangs that share only a
supplier's server, a developer's certificate, or a value a third chain carries.
"""

from __future__ import annotations

import numpy as np

from chaincut.link.params import LinkParams
from chaincut.link.reported import merge_reported
from tests.link_world import small_graph


def _merge(
    labels: list[int],
    links: list[tuple[int, int]],
    kinds: list[str],
    cases: list[tuple[int, int]],
    vote: list[float] | None = None,
) -> np.ndarray:
    n_ind = len(kinds)
    graph = small_graph(len(labels), links, n_ind, vote)
    case_links = (
        np.asarray([a for a, _ in cases], dtype=np.int64),
        np.asarray([c for _, c in cases], dtype=np.int64),
    )
    return merge_reported(
        graph, np.asarray(labels, dtype=np.int64), kinds, np.ones(n_ind), case_links, 2, 2
    )


# three chains of four artifacts each: 0-3 (label 0), 4-7 (label 4), 8-11 (label 8)
THREE = [0] * 4 + [4] * 4 + [8] * 4
# two victims (cases 0 and 1) each name an app of chain 0 and one of chain 4
TWO_CASES = [(0, 0), (4, 0), (1, 1), (5, 1)]


def test_a_gang_split_in_two_chains_named_by_two_victims_and_sharing_its_chat_is_one() -> None:
    links = [(a, 0) for a in (0, 1, 2, 4, 5)]  # the gang's chat account in its URLs
    out = _merge(THREE, links, ["param"], TWO_CASES)
    assert out[0] == out[4] != out[8]


def test_one_victim_reporting_two_gangs_that_rent_one_chat_account_merges_nothing() -> None:
    links = [(a, 0) for a in (0, 1, 2, 4, 5)]
    out = _merge(THREE, links, ["param"], [(0, 0), (4, 0), (1, 0), (5, 0)])
    assert (out == THREE).all()


def test_many_reports_across_two_gangs_sharing_a_suppliers_server_merge_nothing() -> None:
    # a supplier's server (ip), a developer's certificate, and a distributor's host voting
    # as a delivery host on pages: none is a value either gang owns
    links = [(a, i) for a in (0, 1, 4, 5) for i in (0, 1, 2)]
    cases = [*TWO_CASES, (2, 2), (6, 2), (3, 3), (7, 3)]
    out = _merge(THREE, links, ["ip", "cert_sha256", "domain"], cases, vote=[1.0, 1.0, 0.1])
    assert (out == THREE).all()


def test_reports_and_a_value_a_third_chain_carries_merge_nothing() -> None:
    links = [(a, 0) for a in (0, 1, 4, 5, 8, 9)]  # a rented chat account on three chains
    out = _merge(THREE, links, ["param"], TWO_CASES)
    assert (out == THREE).all()


def test_a_value_on_one_app_of_a_chain_is_a_stray_not_an_operation() -> None:
    # one app of the gang placed in another gang's chain: its victims name it there, and
    # it carries the gang's contact; the other chain's own apps carry none of it
    links = [(a, 0) for a in (0, 1, 2, 4)]
    out = _merge(THREE, links, ["qq"], [(0, 0), (4, 0), (1, 1), (4, 1)])
    assert (out == THREE).all()


def test_two_reports_by_default_and_zero_turns_it_off() -> None:
    assert LinkParams().report_cases == 2
    assert LinkParams(report_cases=0).report_cases == 0
