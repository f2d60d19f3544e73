"""A developer's template holds no chain together (fragments.py), with its counter-tests.

Two gangs one developer builds for (certificate, builder account, SDK key, package on
every app) are two chains, each tied by its own backend and accounts, and the template
is their supplier; a gang whose apps all carry the template and its own backend is one
chain; halves of one rotated gang, tied by accounts they keep, are one chain.
"""

from __future__ import annotations

import numpy as np

from chaincut.link.chains import build_chains
from chaincut.link.fragments import split_templates
from chaincut.link.graph import IndicatorGraph
from chaincut.link.model import ArtifactRecord
from chaincut.result.models import ResultIndicator
from tests.link_world import ind, sha

TEMPLATE = ["cert_sha256", "builder_app_id", "sdk_app_key", "package"]


def _graph(links: list[tuple[int, int]], kinds: list[str], n_art: int) -> IndicatorGraph:
    rows = np.asarray([a for a, _ in links], dtype=np.int32)
    cols = np.asarray([i for _, i in links], dtype=np.int32)
    n_ind = len(kinds)
    return IndicatorGraph(
        n_artifacts=n_art, rows=rows, cols=cols, prior=np.ones(n_ind),
        common=np.zeros(n_ind, dtype=bool), seed=np.ones(n_art, dtype=bool),
    )


def _split(links: list[tuple[int, int]], kinds: list[str], n_art: int) -> np.ndarray:
    graph = _graph(links, kinds, n_art)
    one_chain = np.zeros(n_art, dtype=np.int64)
    return split_templates(graph, one_chain, kinds, np.ones(len(kinds)),
                           np.ones(n_art, dtype=bool), 2)


def test_two_gangs_held_only_by_a_template_split() -> None:
    # template (0-3) on all eight; gang A (apps 0-3) owns a domain and a QQ (4, 5),
    # gang B (apps 4-7) a domain and a payment channel (6, 7)
    kinds = [*TEMPLATE, "domain", "qq", "domain", "payment"]
    links = [(a, i) for a in range(8) for i in range(4)]
    links += [(a, i) for a in range(4) for i in (4, 5)]
    links += [(a, i) for a in range(4, 8) for i in (6, 7)]
    labels = _split(links, kinds, 8)
    assert len(set(labels[:4].tolist())) == 1 and len(set(labels[4:].tolist())) == 1
    assert labels[0] != labels[4]


def test_one_gang_whose_apps_all_share_the_template_is_not_split() -> None:
    # template on all eight, the gang's backend on all eight, a QQ on each half
    kinds = [*TEMPLATE, "domain", "qq", "qq"]
    links = [(a, i) for a in range(8) for i in range(5)]
    links += [(a, 5) for a in range(4)] + [(a, 6) for a in range(4, 8)]
    assert len(set(_split(links, kinds, 8).tolist())) == 1


def test_a_single_shared_key_is_no_template() -> None:
    # two cores joined by one certificate only: not a developer's bundle, not split here
    kinds = ["cert_sha256", "domain", "domain"]
    links = [(a, 0) for a in range(8)]
    links += [(a, 1) for a in range(4)] + [(a, 2) for a in range(4, 8)]
    assert len(set(_split(links, kinds, 8).tolist())) == 1


def test_pages_follow_the_core_they_deliver() -> None:
    # apps 0-3 gang A, 4-7 gang B (as above); page 8 names gang B's download file (8)
    kinds = [*TEMPLATE, "domain", "qq", "domain", "payment", "file"]
    links = [(a, i) for a in range(8) for i in range(4)]
    links += [(a, i) for a in range(4) for i in (4, 5)]
    links += [(a, i) for a in range(4, 8) for i in (6, 7)]
    links += [(5, 8), (8, 8)]
    labels = _split(links, kinds, 9)
    assert labels[8] == labels[5] != labels[0]


# end to end ----------------------------------------------------------------------------


def rec(name: str, *inds: ResultIndicator) -> ArtifactRecord:
    return ArtifactRecord(sha256=sha(name), kind="apk", verdict="malicious", indicators=list(inds))


def _template() -> list[ResultIndicator]:
    return [
        ind("cert_sha256", sha("dev-cert")),
        ind("builder_app_id", "__UNI__DEV0001"),
        ind("sdk_app_key", "a1b2c3d4e5f6a7b8c9d0e1f2"),
        ind("package", "uni.UNIDEV0001"),
    ]


def _apps(tag: str, n: int, *own: ResultIndicator) -> list[ArtifactRecord]:
    return [rec(f"{tag}-{i}", *_template(), *own) for i in range(n)]


def _chains(cs: object, names: list[str]) -> set[str | None]:
    from chaincut.link.chainset import ChainSet

    assert isinstance(cs, ChainSet)
    out = set()
    for n in names:
        info = cs.artifact(sha(n))
        out.add(None if info is None else info.chain)
    return out


def test_two_gangs_sharing_a_template_are_two_chains_and_the_template_a_supplier() -> None:
    alpha = _apps("alpha", 6, ind("domain", "api.alpha-backend.example"),
                  ind("qq", "123456701"))
    beta = _apps("beta", 6, ind("domain", "api.beta-backend.example"),
                 ind("payment", "merchant-beta-0042"))
    cs = build_chains(alpha + beta, [])
    a = _chains(cs, [f"alpha-{i}" for i in range(6)])
    b = _chains(cs, [f"beta-{i}" for i in range(6)])
    assert len(a) == 1 and len(b) == 1 and None not in a | b and a != b
    devs = {s.value: s.role for s in cs.suppliers}
    assert devs.get(sha("dev-cert")) == "developer"
    assert devs.get("__UNI__DEV0001") == "developer"


def test_one_gang_on_a_template_is_one_chain() -> None:
    arts = _apps("solo", 6, ind("domain", "api.solo-backend.example"))
    arts += _apps("solo-b", 6, ind("domain", "api.solo-backend.example"), ind("qq", "998877661"))
    cs = build_chains(arts, [])
    names = [f"solo-{i}" for i in range(6)] + [f"solo-b-{i}" for i in range(6)]
    assert len(_chains(cs, names)) == 1 and None not in _chains(cs, names)


def test_a_rotated_gang_on_a_template_stays_one_chain() -> None:
    # before and after a rotation: new domains, same chat account and merchant id
    kept = (ind("qq", "556677881"), ind("payment", "merchant-kept-0077"))
    old = _apps("old", 6, ind("domain", "api.old-backend.example"), *kept)
    new = _apps("new", 6, ind("domain", "api.new-backend.example"), *kept)
    cs = build_chains(old + new, [])
    names = [f"old-{i}" for i in range(6)] + [f"new-{i}" for i in range(6)]
    assert len(_chains(cs, names)) == 1 and None not in _chains(cs, names)
