"""Chains on a planted world: gangs come back whole, suppliers are named, never glue."""

from __future__ import annotations

import random
from collections import Counter
from math import comb

import pytest

from chaincut.link.chains import build_chains, chain_id
from chaincut.link.chainset import ChainSet
from chaincut.link.kinds import kind_prior
from chaincut.link.metrics import adjusted_rand_index
from chaincut.link.model import ArtifactRecord
from chaincut.link.params import LinkParams
from tests.link_world import (
    BUILDER_ID,
    DEV_CERT,
    DIST_DOMAIN,
    SERVER_IP,
    SUPPLIERS,
    World,
    ind,
    make_world,
    sha,
)


def ari(truth: list[object], found: list[object]) -> float:
    """Adjusted Rand index from the pair-counting definition (independent of metrics.py)."""
    n = len(truth)
    joint = sum(comb(v, 2) for v in Counter(zip(truth, found, strict=True)).values())
    a = sum(comb(v, 2) for v in Counter(truth).values())
    b = sum(comb(v, 2) for v in Counter(found).values())
    expected = a * b / comb(n, 2)
    return (joint - expected) / ((a + b) / 2 - expected)


def _score(world: World, cs: ChainSet) -> float:
    chain_of = {a.sha256: a.chain for a in cs.artifacts}
    shas = sorted(world.gang_of)
    return ari([world.gang_of[s] for s in shas], [chain_of[s] for s in shas])


@pytest.fixture(scope="module")
def world() -> World:
    return make_world()


@pytest.fixture(scope="module")
def chainset(world: World) -> ChainSet:
    return build_chains(world.artifacts, world.cases)


def test_own_ari_agrees_with_library_ari() -> None:
    rng = random.Random(1)
    truth = [rng.randrange(5) for _ in range(200)]
    found = [t if rng.random() < 0.7 else rng.randrange(7) for t in truth]
    assert abs(ari(truth, found) - adjusted_rand_index(truth, found)) < 1e-9
    assert adjusted_rand_index([1, 1, 2, 2], ["x", "x", "y", "y"]) == 1.0


@pytest.mark.parametrize("seed", range(6))
def test_chains_equal_the_planted_gangs(seed: int) -> None:
    world = make_world(seed=seed)
    cs = build_chains(world.artifacts, world.cases)
    assert _score(world, cs) >= 0.9
    assert len(cs.chains) == len(set(world.gang_of.values()))


def test_suppliers_found_with_roles_and_served_chains(world: World, chainset: ChainSet) -> None:
    found = {(s.kind, s.value): s for s in chainset.suppliers}
    assert set(found) == set(SUPPLIERS)
    for key, (role, gangs) in SUPPLIERS.items():
        assert found[key].role == role, key
        assert len(found[key].chains) == len(gangs), key
    # ranked: the distribution domain (5 gangs) cuts the most chains
    assert [s.rank for s in chainset.suppliers] == list(range(1, 5))
    assert chainset.suppliers[0].value == DIST_DOMAIN
    assert chainset.suppliers[-1].value == BUILDER_ID
    assert found[("ip", SERVER_IP)].cases > 0


def test_chain_lists_suppliers_and_infrastructure(world: World, chainset: ChainSet) -> None:
    gang0 = next(s for s, g in world.gang_of.items() if g == 0)
    chain = chainset.chain(chainset.artifact(gang0).chain)  # type: ignore[union-attr,arg-type]
    assert chain is not None
    sup = {(s.kind, s.value): s for s in chain.suppliers}
    assert set(sup) == {("cert_sha256", DEV_CERT), ("domain", DIST_DOMAIN)}
    assert sup[("cert_sha256", DEV_CERT)].chains == 3
    assert len(sup[("cert_sha256", DEV_CERT)].chain_ids) == 2  # the other two
    infra = {(i.kind, i.value): i for i in chain.infrastructure}
    assert infra[("cert_sha256", DEV_CERT)].supplier
    assert ("domain", "www.google.com") not in infra  # common: never listed, never glue
    assert ("ip", "10.0.0.1") not in infra  # private address
    assert any(i.kind == "qq" and i.role == "contact" for i in chain.infrastructure)
    assert chain.id.startswith("ch-") and len(chain.id) == 13
    assert chain.id == chain_id(chain.artifacts)


def test_clean_artifacts_never_glue_and_are_listed_as_related(
    world: World, chainset: ChainSet
) -> None:
    clean = {a.sha256: a for a in chainset.artifacts if a.sha256 in world.clean}
    assert all(a.chain is None for a in clean.values())
    related = {s for c in chainset.chains for s in c.related}
    assert world.clean[0] in related  # shares a gang's IP
    # the CDN shared by clean apps and four gangs is benign: neither glue nor supplier
    assert not any(s.value == "static.cdn-shared.example" for s in chainset.suppliers)


def test_ids_stable_under_shuffling(world: World, chainset: ChainSet) -> None:
    arts, cases = list(world.artifacts), list(world.cases)
    rng = random.Random(3)
    for _ in range(3):
        rng.shuffle(arts)
        rng.shuffle(cases)
        again = build_chains(arts, cases)
        assert again == chainset


def test_weak_indicators_do_not_glue() -> None:
    """Two gangs reusing one package name stay two chains; the name never glues them,
    but as a name two chains' apps share it is listed (a developer's template name)."""
    arts = []
    for g in range(2):
        for a in range(4):
            inds = [ind("cert_sha256", sha(f"c{g}")), ind("package", "com.shared.app")]
            arts.append(
                ArtifactRecord(
                    sha256=sha(f"{g}-{a}"), kind="apk", verdict="malicious", indicators=inds
                )
            )
    cs = build_chains(arts, [])
    assert len(cs.chains) == 2
    assert [(s.kind, s.role, len(s.chains)) for s in cs.suppliers] == [("package", "developer", 2)]
    assert kind_prior("package", "x") < LinkParams().glue_min < kind_prior("domain", "x")
    assert kind_prior("ip", "192.168.1.1") == 0 and kind_prior("ip", "8.8.8.8") > 0


def test_unknown_verdicts_and_empty_input() -> None:
    cs = build_chains([], [])
    assert cs.chains == [] and cs.suppliers == []
    lone = ArtifactRecord(
        sha256=sha("x"), kind="apk", verdict="unknown", indicators=[ind("domain", "a.example")]
    )
    cs = build_chains([lone, lone], [])
    assert cs.chains == [] and len(cs.artifacts) == 1


def test_hostile_values_do_not_crash() -> None:
    inds = [
        ind("ip", "not-an-ip"),
        ind("domain", "  "),
        ind("cert_sha256", "AA:BB"),
        ind("weird kind", "\x00\u202e"),
        ind("url", "'; DROP"),
    ]
    arts = [
        ArtifactRecord(sha256=sha(str(i)), kind="apk", verdict="malicious", indicators=inds)
        for i in range(3)
    ]
    cs = build_chains(arts, [])
    assert len(cs.chains) == 1
    kinds = {i.kind for i in cs.chains[0].infrastructure}
    assert "ip" not in kinds  # an unparsable address links nothing
