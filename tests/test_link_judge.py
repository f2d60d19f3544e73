"""Linking re-judges chain members, except where membership is not a finding.

A genuine app (the brand's registered certificate) stays the brand's, and an artifact that
is in a chain only because a victim named it keeps the chain as context: reports are
sometimes checked and found clean (issue 11), and genuine identity wins (issue 10).
"""

from __future__ import annotations

from chaincut.link.chainset import ArtifactInfo, CaseRef, Chain, Joined, Member
from chaincut.link.judge import RULE, rejudged
from chaincut.result.models import ScanResult

CHAIN = Chain(id="ch-1", artifacts=["a", "b"], infrastructure=[], cases=[], regions=[],
              suppliers=[], members=[])  # fmt: skip


def _clean(sha: str, genuine: str | None = None) -> ScanResult:
    return ScanResult(sha256=sha, path=sha, kind="apk", verdict="clean", score=0,
                      genuine=genuine)  # fmt: skip


def _info(sha: str, how: str) -> ArtifactInfo:
    return ArtifactInfo(sha256=sha, kind="apk", verdict="clean", chain="ch-1",
                        joined=Joined(how=how, kind="sdk_app_key", value="k"))  # type: ignore[arg-type]


def _judge(result: ScanResult, how: str, cases: list[CaseRef] | None = None,
           also_flagged: bool = False) -> ScanResult:
    members = [Member(sha256=result.sha256, joined=Joined(how=how))]  # type: ignore[arg-type]
    if also_flagged:
        members.append(Member(sha256="z", joined=Joined(how="flagged")))
    chain = CHAIN.model_copy(update={"members": members, "cases": cases or []})
    out = rejudged({result.sha256: _info(result.sha256, how)}, {"ch-1": chain},
                   {result.sha256: result})  # fmt: skip
    return out.get(result.sha256, result)


def test_a_member_linked_through_a_private_key_becomes_suspicious() -> None:
    after = _judge(_clean("a"), "linked")
    assert after.verdict == "suspicious" and after.score >= 40
    (ev,) = [e for e in after.evidence if e.rule == RULE]
    assert ev.severity == "medium" and "ch-1" in ev.detail


def test_a_member_only_reported_keeps_its_verdict_and_gets_context() -> None:
    after = _judge(_clean("b"), "reported")
    assert after.verdict == "clean" and after.score == 0
    (ev,) = [e for e in after.evidence if e.rule == RULE]
    assert ev.severity == "low"


def test_a_reported_member_of_a_corroborated_chain_becomes_suspicious() -> None:
    cases = [CaseRef(case_id="A1", region="江苏"), CaseRef(case_id="B2", region="山西")]
    after = _judge(_clean("b"), "reported", cases=cases)
    assert after.verdict == "suspicious"
    flagged_too = _judge(_clean("b"), "reported", also_flagged=True)
    assert flagged_too.verdict == "suspicious"


def test_a_genuine_app_in_a_chain_stays_the_brands() -> None:
    after = _judge(_clean("a", genuine="somebank"), "linked")
    assert after.verdict == "clean"
    assert [e.severity for e in after.evidence if e.rule == RULE] == ["low"]
