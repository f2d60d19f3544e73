"""Distributors serve many gangs: their indicators name suppliers but never make a chain.

Each gang here has apps with private keys and a backend, plus an iOS side (an enterprise
IPA and a profile) signed through one shared "super signature" service: the same team id
and profile signer for every gang. Left at full weight those rented identities would pull
the iOS artifacts of all gangs into one chain of their own.
"""

from __future__ import annotations

import hashlib

import numpy as np

from chaincut.link.chains import build_chains
from chaincut.link.model import ArtifactRecord
from chaincut.link.orphans import adopt_orphans
from chaincut.link.params import LinkParams
from chaincut.result.models import ResultIndicator

TEAM = "SUPERSIGN1"
SIGNER = hashlib.sha256(b"rented-profile-signer").hexdigest()


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _ind(kind: str, value: str, role: str | None = None) -> ResultIndicator:
    return ResultIndicator(kind=kind, value=value, role=role)  # type: ignore[arg-type]


def _record(sha: str, kind: str, inds: list[ResultIndicator]) -> ArtifactRecord:
    return ArtifactRecord(sha256=sha, kind=kind, verdict="malicious", indicators=inds)


def _gang(g: int) -> list[ArtifactRecord]:
    """Five apps with the gang's own key, contacts and backend; an IPA and a profile."""
    backend = f"api.gang{g}-backend.cn"
    apps = [
        _record(_sha(f"apk-{g}-{a}"), "apk", [
            _ind("cert_sha256", _sha(f"cert-{g}"), "developer"),
            _ind("phone", f"+86139000{g:02d}{a % 2}", "contact"),
            _ind("sdk_app_key", f"{g:024d}", "contact"),
            _ind("domain", backend, "server"),
        ])
        for a in range(5)
    ]  # fmt: skip
    ipa = _record(_sha(f"ipa-{g}"), "ipa", [
        _ind("team_id", TEAM, "distributor"),
        _ind("cert_sha256", SIGNER, "distributor"),
        _ind("domain", backend, "server"),
    ])  # fmt: skip
    profile = _record(_sha(f"profile-{g}"), "mobileconfig", [
        _ind("cert_sha256", SIGNER, "distributor"),
        _ind("domain", backend, "server"),
    ])  # fmt: skip
    return [*apps, ipa, profile]


def _world() -> tuple[list[ArtifactRecord], dict[str, str]]:
    records = [r for g in range(3) for r in _gang(g)]
    gang_of = {r.sha256: r.sha256 and f"gang-{g}" for g in range(3) for r in _gang(g)}
    return records, gang_of


def _chains_by_gang(params: LinkParams) -> tuple[dict[str, set[str]], list[tuple[str, str]]]:
    records, gang_of = _world()
    cs = build_chains(records, [], params=params)
    chain_of = {sha: c.id for c in cs.chains for sha in c.artifacts}
    per_gang: dict[str, set[str]] = {}
    for sha, gang in gang_of.items():
        per_gang.setdefault(gang, set()).add(chain_of[sha])
    return per_gang, [(s.kind, s.value.casefold()) for s in cs.suppliers]


def test_rented_ios_identities_do_not_make_a_chain_of_their_own() -> None:
    per_gang, suppliers = _chains_by_gang(LinkParams())
    assert all(len(chains) == 1 for chains in per_gang.values()), per_gang
    assert len({next(iter(c)) for c in per_gang.values()}) == 3  # three gangs, three chains
    assert ("team_id", TEAM.casefold()) in suppliers
    assert ("cert_sha256", SIGNER) in suppliers


def test_at_full_weight_the_rented_identities_glue_the_ios_side() -> None:
    """The same world with distributors voting fully: the iOS artifacts leave their gangs.

    (Merging halves of one operation, rotation.merge_operations, would bring them back
    through the backend domain: it is off here to show what the vote alone does.)
    """
    per_gang, _ = _chains_by_gang(LinkParams(distributor_vote=1.0, operation_share=0))
    assert any(len(chains) > 1 for chains in per_gang.values()), per_gang


def test_same_records_same_chain_ids_in_any_order() -> None:
    records, _ = _world()
    a = build_chains(records, [])
    b = build_chains(list(reversed(records)), [])
    assert [c.id for c in a.chains] == [c.id for c in b.chains]
    assert [c.artifacts for c in a.chains] == [c.artifacts for c in b.chains]


def test_communities_owning_nothing_join_their_host() -> None:
    """Direct test of the orphan pass: labels as modularity might leave them."""
    # indicators: 0 = gang A's key, 1 = gang A's download domain, 2 = gang B's key,
    # 3 = a distributor's domain that A and B use alike
    links = [
        (0, 0), (0, 1), (1, 0), (1, 1), (1, 3), (2, 0), (2, 3),  # gang A: artifacts 0-2
        (3, 2), (4, 2), (4, 3), (5, 2), (5, 3),  # gang B: artifacts 3-5
        (6, 1), (7, 1),  # two QR codes pointing at A's download domain
        (8, 3),  # a page on the distributor's domain only
    ]  # fmt: skip
    rows = np.array([r for r, _ in links], dtype=np.int32)
    cols = np.array([c for _, c in links], dtype=np.int32)
    weight = np.ones(4)
    labels = np.array([0, 0, 0, 3, 3, 3, 6, 6, 8], dtype=np.int64)
    out = adopt_orphans(rows, cols, weight, labels, margin=2.0)
    assert out[6] == out[7] == 0  # the QR codes join gang A
    assert out[8] == 8  # A and B share the distributor alike: no clear host
    assert list(out[:6]) == [0, 0, 0, 3, 3, 3]  # owners never move
