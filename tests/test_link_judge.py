"""Linking re-judges chain members only where membership is a finding (link/standing.py).

A member is raised to ``suspicious`` when an indicator the operation holds (most of its
carriers are the chain's) ties it to a member detection flagged, or to two reports from
different provinces. A report alone, a supplier's value (several chains, or many clean
apps outside every chain), or a key only other unflagged members carry is context: the
verdict stays, the evidence is low. A genuine app stays the brand's whatever it shares
(issues 10 and 11).
"""

from __future__ import annotations

from chaincut.link.chainset import (
    ArtifactInfo,
    CaseInfo,
    CaseRef,
    Chain,
    ChainSet,
    InfraItem,
    Joined,
    Member,
)
from chaincut.link.judge import (
    CLEARED_SUMMARY,
    RAISED_SUMMARY,
    RULE,
    ChainLookup,
    member_evidence,
    rejudged,
    with_chain,
)
from chaincut.link.model import ArtifactRecord
from chaincut.link.standing import Standings
from chaincut.result.models import ResultIndicator, ScanResult

GANG_CERT = ("cert_sha256", "a" * 64)
COMPANY_CERT = ("cert_sha256", "c" * 64)
SDK_DOMAIN = ("domain", "push-sdk.example")
RENTED = ("builder_app_id", "dcloud:__UNI__RENTED1")


def _clean(sha: str, genuine: str | None = None) -> ScanResult:
    return ScanResult(sha256=sha, path=sha, kind="apk", verdict="clean", score=0,
                      genuine=genuine)  # fmt: skip


def _info(sha: str, chain: str | None, how: str | None, *keys: tuple[str, str],
          via: tuple[str, str] | None = None) -> ArtifactInfo:  # fmt: skip
    joined = None
    if how is not None:
        kind, value = via if via else (None, None)
        joined = Joined(how=how, kind=kind, value=value)  # type: ignore[arg-type]
    return ArtifactInfo(sha256=sha, kind="apk", verdict="clean", chain=chain,
                        joined=joined, indicators=list(keys))  # fmt: skip


def _chain(cid: str, infos: list[ArtifactInfo], cases: list[CaseRef] | None = None) -> Chain:
    members = [i for i in infos if i.chain == cid]
    keys = sorted({k for i in members for k in i.indicators})
    infra = [InfraItem(kind=k, value=v, role="unknown",
                       artifacts=sum((k, v) in i.indicators for i in members))
             for k, v in keys]  # fmt: skip
    return Chain(
        id=cid, artifacts=[i.sha256 for i in members], infrastructure=infra,
        cases=cases or [], regions=sorted({c.region for c in cases or []}), suppliers=[],
        members=[Member(sha256=i.sha256, joined=i.joined) for i in members if i.joined],
    )  # fmt: skip


def _judge(infos: list[ArtifactInfo], cases: list[CaseInfo] | None = None,
           results: dict[str, ScanResult] | None = None) -> dict[str, ScanResult]:  # fmt: skip
    """Every artifact's result after re-judging (unchanged ones as they were)."""
    refs = [CaseRef(case_id=c.case_id, region=c.region) for c in cases or []]
    chains = {cid: _chain(cid, infos, refs) for cid in {i.chain for i in infos if i.chain}}
    results = results or {i.sha256: _clean(i.sha256) for i in infos}
    standings = Standings(infos, chains.values(), cases or [])
    members = {i.sha256: i for i in infos if i.chain}
    return results | rejudged(members, chains, results, standings)


def _chain_evidence(result: ScanResult) -> str:
    (ev,) = [e for e in result.evidence if e.rule == RULE]
    return f"{ev.severity}: {ev.detail}"


def test_a_member_linked_through_the_gangs_own_key_becomes_suspicious() -> None:
    infos = [
        _info("f1", "ch-1", "flagged", GANG_CERT, SDK_DOMAIN),
        _info("f2", "ch-1", "flagged", GANG_CERT),
        _info("x", "ch-1", "linked", GANG_CERT, via=GANG_CERT),
    ]
    after = _judge(infos)["x"]
    assert after.verdict == "suspicious" and after.score >= 40
    assert after.summary == RAISED_SUMMARY
    assert _chain_evidence(after).startswith("medium: belongs to chain ch-1 (")
    assert f"through certificate {GANG_CERT[1]}" in _chain_evidence(after)


def test_a_key_only_a_false_reports_siblings_carry_is_context() -> None:
    # a genuine company's app reported once, grouped with a gang only by an SDK domain;
    # its sibling signed with the company's own certificate is pulled in through it
    infos = [
        _info("f1", "ch-1", "flagged", GANG_CERT, SDK_DOMAIN),
        _info("f2", "ch-1", "flagged", GANG_CERT, SDK_DOMAIN),
        _info("rep", "ch-1", "reported", COMPANY_CERT, SDK_DOMAIN),
        _info("sib", "ch-1", "linked", COMPANY_CERT, via=COMPANY_CERT),
        *[_info(f"o{n}", None, None, SDK_DOMAIN) for n in range(4)],
    ]
    after = _judge(infos, [CaseInfo(case_id="A1", region="上海", region_raw="上海",
                                    artifacts=["rep"])])  # fmt: skip
    for sha in ("rep", "sib"):
        assert after[sha].verdict == "clean" and after[sha].score == 0, sha
    assert _chain_evidence(after["sib"]).startswith(
        f"low: shares certificate {COMPANY_CERT[1]} with chain ch-1 ("
    )
    assert "a report alone is not a finding" in _chain_evidence(after["rep"])


def test_a_reported_app_under_the_gangs_own_certificate_becomes_suspicious() -> None:
    # counter-test: the report and a private certificate shared with the flagged apps
    infos = [
        _info("f1", "ch-1", "flagged", GANG_CERT, SDK_DOMAIN),
        _info("rep", "ch-1", "reported", GANG_CERT, SDK_DOMAIN),
    ]
    after = _judge(infos, [CaseInfo(case_id="A1", region="江苏", region_raw="江苏",
                                    artifacts=["rep"])])  # fmt: skip
    assert after["rep"].verdict == "suspicious"
    assert "named in a victim's report and linked to ch-1" in _chain_evidence(after["rep"])


def test_a_supplier_certificate_two_chains_share_makes_no_member() -> None:
    # a signing service rents one certificate to two gangs: nobody's own
    infos = [
        _info("a1", "ch-1", "flagged", RENTED),
        _info("a2", "ch-1", "linked", RENTED, via=RENTED),
        _info("b1", "ch-2", "flagged", RENTED),
        _info("b2", "ch-2", "flagged", RENTED),
    ]
    assert _judge(infos)["a2"].verdict == "clean"


def test_a_gang_split_in_two_keeps_its_key_in_the_larger_part() -> None:
    # counter-test: three of four carriers in one chain, one in a split-off part
    infos = [
        _info("a1", "ch-1", "flagged", GANG_CERT),
        _info("a2", "ch-1", "flagged", GANG_CERT),
        _info("a3", "ch-1", "linked", GANG_CERT, via=GANG_CERT),
        _info("b1", "ch-2", "flagged", GANG_CERT),
    ]
    assert _judge(infos)["a3"].verdict == "suspicious"


def test_a_builder_account_on_many_clean_apps_is_nobodys_own() -> None:
    infos = [
        _info("f1", "ch-1", "flagged", RENTED),
        _info("x", "ch-1", "linked", RENTED, via=RENTED),
        *[_info(f"o{n}", None, None, RENTED) for n in range(3)],
    ]
    assert _judge(infos)["x"].verdict == "clean"
    # counter-test: the gang's own account with one missed copy outside every chain
    infos = [
        _info("f1", "ch-1", "flagged", RENTED),
        _info("f2", "ch-1", "flagged", RENTED),
        _info("x", "ch-1", "linked", RENTED, via=RENTED),
        _info("o1", None, None, RENTED),
    ]
    assert _judge(infos)["x"].verdict == "suspicious"


def test_two_reports_in_two_provinces_of_apps_under_one_key_are_a_finding() -> None:
    # three screen-sharing apps under one certificate, nothing flagged, reported apart
    infos = [_info(s, "ch-1", "reported", GANG_CERT) for s in ("r1", "r2", "r3")]
    reports = [("r1", "江苏"), ("r2", "山西"), ("r3", "辽宁")]
    cases = [CaseInfo(case_id=f"C{n}", region=region, region_raw=region, artifacts=[sha])
             for n, (sha, region) in enumerate(reports)]  # fmt: skip
    after = _judge(infos, cases)
    assert {after[s].verdict for s in ("r1", "r2", "r3")} == {"suspicious"}
    # counter-test: the same reports from one province, or one of them cleared
    same = [c.model_copy(update={"region": "江苏"}) for c in cases]
    assert {r.verdict for r in _judge(infos, same).values()} == {"clean"}
    cleared = [cases[0], cases[1].model_copy(update={"notes": "经核查未发现异常"})]
    infos2 = infos[:2]
    assert {r.verdict for r in _judge(infos2, cleared).values()} == {"clean"}


def test_a_genuine_app_in_a_chain_stays_the_brands() -> None:
    infos = [
        _info("f1", "ch-1", "flagged", GANG_CERT),
        _info("a", "ch-1", "linked", GANG_CERT, via=GANG_CERT),
    ]
    results = {"f1": _clean("f1"), "a": _clean("a", genuine="somebank")}
    after = _judge(infos, results=results)["a"]
    assert after.verdict == "clean"
    assert [e.severity for e in after.evidence if e.rule == RULE] == ["low"]


def test_a_raise_an_earlier_run_made_is_withdrawn_when_only_context_remains() -> None:
    infos = [
        _info("f1", "ch-1", "flagged", GANG_CERT),
        _info("x", "ch-1", "linked", GANG_CERT, via=GANG_CERT),
    ]
    standing = Standings(infos, [_chain("ch-1", infos)]).of("x")
    assert standing is not None and standing.decisive
    raised = with_chain(_clean("x"), member_evidence(_chain("ch-1", infos), standing, _clean("x")))
    assert raised.verdict == "suspicious"
    # the flagged app is gone from the chain: the same member is now only context
    alone = [_info("x", "ch-1", "linked", GANG_CERT, via=GANG_CERT),
             _info("y", "ch-1", "reported", GANG_CERT)]  # fmt: skip
    after = _judge(alone, results={"x": raised, "y": _clean("y")})["x"]
    assert after.verdict == "clean" and after.score < 40
    assert after.summary == CLEARED_SUMMARY


def test_scan_db_places_a_new_artifact_as_a_finding_only_through_an_anchored_key() -> None:
    infos = [
        _info("f1", "ch-1", "flagged", GANG_CERT),
        _info("f2", "ch-1", "flagged", GANG_CERT),
        _info("rep", "ch-1", "reported", COMPANY_CERT),
        _info("sib", "ch-1", "linked", COMPANY_CERT, via=COMPANY_CERT),
    ]
    chain = _chain("ch-1", infos)
    # the lookup indexes indicators that link (weight > 0) and every anchored one
    chain = chain.model_copy(update={"infrastructure": [
        i.model_copy(update={"weight": 1.0}) for i in chain.infrastructure]})  # fmt: skip
    lookup = ChainLookup(ChainSet(chains=[chain], suppliers=[], artifacts=infos, cases=[]))

    def place(key: tuple[str, str]) -> tuple[str, bool] | None:
        found = lookup.place([ResultIndicator(kind=key[0], value=key[1])])
        return None if found is None else (found[0].id, found[1].decisive)

    assert place(GANG_CERT) == ("ch-1", True)
    assert place(COMPANY_CERT) == ("ch-1", False)
    assert place(("cert_sha256", "d" * 64)) is None
    # a certificate only claimed (its signature does not verify) is anyone's to copy
    claimed = ResultIndicator(kind=GANG_CERT[0], value=GANG_CERT[1], verified=False)
    assert lookup.place([claimed]) is None


def test_chain_views_show_the_verdict_the_store_holds_after_linking() -> None:
    """A member linking raised is shown raised in `chaincut chain`, as `scan --db` says,
    while linking itself still reads detection's verdict."""
    from chaincut.link.chains import build_chains
    from chaincut.link.views import chain_view

    raised = ArtifactRecord(sha256="b" * 64, kind="apk", verdict="clean", score=40,
                            stored_verdict="suspicious")  # fmt: skip
    flagged = ArtifactRecord(sha256="a" * 64, kind="apk", verdict="malicious", score=90)
    key = ResultIndicator(kind="sdk_app_key", value="0123456789abcdef01234567", role="contact")
    arts = [flagged.model_copy(update={"indicators": [key]}),
            raised.model_copy(update={"indicators": [key]})]  # fmt: skip
    cs = build_chains(arts, [])
    info = cs.artifact("b" * 64)
    assert info is not None and info.verdict == "clean" and info.shown_verdict == "suspicious"
    chain = next(c for c in cs.chains if "b" * 64 in c.artifacts)
    shown = {m.sha256: m.verdict for m in chain_view(cs, chain, {}).members}
    assert shown == {"a" * 64: "malicious", "b" * 64: "suspicious"}
