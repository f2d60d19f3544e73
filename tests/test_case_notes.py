"""A report checked and found clean is no lead: it neither seeds nor corroborates a chain.

Reports are sometimes checked and found clean, and the notes say so (issue 11); a genuine
app a worried citizen reported must not be pulled into a fraud chain on that report.
"""

from __future__ import annotations

import pytest

from chaincut.knowledge.case_notes import report_cleared
from chaincut.link.chains import build_chains
from chaincut.link.model import ArtifactRecord, CaseRecord
from chaincut.result.models import ResultIndicator


@pytest.mark.parametrize(
    "notes",
    ["群众举报该APP疑似诈骗，经核查暂未发现异常", "經核實為正規平台", "系误报",
     "经核实为误报", "已撤案", "Checked by the unit: found clean", "This was a false report"],
)  # fmt: skip
def test_notes_that_clear_a_report(notes: str) -> None:
    assert report_cleared(notes)


@pytest.mark.parametrize(
    "notes",
    ["", "受害人怀疑为诈骗软件，待核实", "对方自称正规平台，前期提现无异常，后无法提现",
     "客服称这不是诈骗，要求缴纳解冻金", "经核实非误报，确为诈骗", "不予撤案",
     "Reviewed: not a false report"],
)  # fmt: skip
def test_a_victims_words_do_not_clear_a_report(notes: str) -> None:
    assert not report_cleared(notes)


def _app(sha: str, key: str) -> ArtifactRecord:
    return ArtifactRecord(
        sha256=sha * 64, kind="apk", verdict="clean",
        indicators=[ResultIndicator(kind="sdk_app_key", value=key, role="contact")],
    )  # fmt: skip


def _cases(notes: str) -> list[CaseRecord]:
    return [
        CaseRecord(case_id="A1", region="江苏", artifacts=["a" * 64], notes=notes),
        CaseRecord(case_id="B2", region="山西", artifacts=["b" * 64], notes=notes),
    ]


def test_cleared_reports_seed_no_chain_and_open_ones_do() -> None:
    apps = [_app("a", "k-shared"), _app("b", "k-shared")]
    reported = build_chains(apps, _cases("受害人称被诱导充值"))
    assert [sorted(c.artifacts) for c in reported.chains] == [["a" * 64, "b" * 64]]
    cleared = build_chains(apps, _cases("经核查暂未发现异常"))
    assert cleared.chains == []
