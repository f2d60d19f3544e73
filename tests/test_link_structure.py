"""Who carries a value: bystanders, merges that chain operations, values that bridge groups."""

from __future__ import annotations

import numpy as np

from chaincut.link.bridges import bridge_candidates
from chaincut.link.graph import IndicatorGraph
from chaincut.link.merge import merge_communities
from chaincut.link.params import LinkParams


def _graph(links: list[tuple[int, int]], n_art: int, n_ind: int, seed: list[int]) -> IndicatorGraph:
    rows = np.asarray([a for a, _ in links], dtype=np.int32)
    cols = np.asarray([i for _, i in links], dtype=np.int32)
    flagged = np.zeros(n_art, dtype=bool)
    flagged[seed] = True
    return IndicatorGraph(
        n_artifacts=n_art, rows=rows, cols=cols, prior=np.ones(n_ind),
        common=np.zeros(n_ind, dtype=bool), seed=flagged,
    )


# artifacts 0-1 flagged; 2-4 unflagged. Indicator 0: a domain on all five; 1: a certificate
# on 0-2 (2 is an undetected copy of the gang's app; 3 and 4 are QR codes with only the
# domain), or, in the counter-case, 2-4 carry their own certificates 2, 3, 4 that no
# flagged artifact holds (genuine apps using a CDN).
GANG_COPIES = [(a, 0) for a in range(5)] + [(a, 1) for a in range(3)]
CDN_USERS = [(a, 0) for a in range(5)] + [(0, 1), (1, 1), (2, 2), (3, 3), (4, 4)]


def test_undetected_copies_of_a_gang_do_not_make_its_domain_benign() -> None:
    g = _graph(GANG_COPIES, 5, 2, seed=[0, 1])
    assert not g.benign(LinkParams())[0]
    # the bystander test off: three clean carriers of five write the domain off
    assert g.benign(LinkParams(benign_rounds=0))[0]


def test_genuine_apps_sharing_only_a_cdn_keep_it_benign() -> None:
    g = _graph(CDN_USERS, 5, 5, seed=[0, 1])
    benign = g.benign(LinkParams())
    assert benign[0]
    assert not benign[1]  # the flagged artifacts' own certificate links


def test_a_small_community_does_not_chain_two_operations() -> None:
    # operations A (artifacts 0-3) and B (4-7) own values 0-1 and 3-4; artifact 8 alone
    # carries both of A's and both of B's: it passes the merge test with each
    rows, cols = [], []
    for a in range(4):
        rows += [a, a]
        cols += [0, 1]
    for a in range(4, 8):
        rows += [a, a]
        cols += [3, 4]
    rows += [8, 8, 8, 8]
    cols += [0, 1, 3, 4]
    labels = np.asarray([0, 0, 0, 0, 4, 4, 4, 4, 8], dtype=np.int64)
    merged = merge_communities(
        np.asarray(rows, dtype=np.int32), np.asarray(cols, dtype=np.int32),
        np.ones(5), labels, 0.7,
    )
    assert merged[0] != merged[4]  # A and B stay apart
    assert merged[8] in (merged[0], merged[4])  # the small one joins one of them


def test_two_halves_of_one_operation_still_merge() -> None:
    rows, cols = [], []
    for a in range(6):
        rows += [a, a, a]
        cols += [0, 1, 2]
    labels = np.asarray([0, 0, 0, 3, 3, 3], dtype=np.int64)
    merged = merge_communities(
        np.asarray(rows, dtype=np.int32), np.asarray(cols, dtype=np.int32),
        np.ones(3), labels, 0.7,
    )
    assert len(set(merged.tolist())) == 1


def _bridges(links: list[tuple[int, int]], n_art: int, n_ind: int) -> np.ndarray:
    rows = np.asarray([a for a, _ in links], dtype=np.int32)
    cols = np.asarray([i for _, i in links], dtype=np.int32)
    return bridge_candidates(rows, cols, np.ones(n_ind, dtype=bool), n_art, 2)


def test_supplier_values_bridge_and_hide_nothing_from_each_other() -> None:
    # gang A = 0-2 (private domain 0), gang B = 3-5 (private domain 1); one developer's
    # certificate 2 and builder account 3 on both gangs' apps
    links = [(a, 0) for a in range(3)] + [(a, 1) for a in range(3, 6)]
    links += [(a, 2) for a in (0, 1, 3, 4)] + [(a, 3) for a in (0, 1, 3, 4)]
    found = _bridges(links, 6, 4)
    assert found.tolist() == [False, False, True, True]


def test_a_gang_value_over_its_own_tied_artifacts_is_no_bridge() -> None:
    # one gang: a chat account 0 on all; narrower domains 1 (0-2) and 2 (2-5) overlap at 2
    links = [(a, 0) for a in range(6)] + [(a, 1) for a in range(3)]
    links += [(a, 2) for a in range(2, 6)]
    assert not _bridges(links, 6, 3).any()
