"""The score combination documented in docs/scoring.md, pinned."""

from __future__ import annotations

from chaincut.detect.score import (
    IMPERSONATION_POINTS,
    MALICIOUS_AT,
    SUSPICIOUS_AT,
    decide,
    impersonation_points,
)
from chaincut.result.models import Evidence, Impersonation


def ev(points: int, rule: str = "x/y") -> Evidence:
    return Evidence(rule=rule, severity="medium", detail="d", score=points)


def test_thresholds_are_the_documented_ones() -> None:
    assert (MALICIOUS_AT, SUSPICIOUS_AT, IMPERSONATION_POINTS) == (70, 40, 60)
    assert decide([ev(39)], genuine=None, readable=True).verdict == "clean"
    assert decide([ev(20), ev(20)], genuine=None, readable=True).verdict == "suspicious"
    assert decide([ev(50), ev(20)], genuine=None, readable=True).verdict == "malicious"


def test_score_is_capped_and_negative_points_ignored() -> None:
    d = decide([ev(80), ev(80), ev(-50)], genuine=None, readable=True)
    assert (d.verdict, d.score) == ("malicious", 100)


def test_genuine_app_is_clean_whatever_matched() -> None:
    d = decide([ev(90)], genuine="icbc", readable=True)
    assert (d.verdict, d.score) == ("clean", 0)


def test_unreadable_without_evidence_is_unknown_but_evidence_still_counts() -> None:
    assert decide([], genuine=None, readable=False).verdict == "unknown"
    assert decide([ev(45)], genuine=None, readable=False).verdict == "suspicious"


def test_impersonation_points_scale_with_confidence_and_skip_weak_or_genuine() -> None:
    imp = Impersonation(brand="icbc", confidence=0.9)
    assert impersonation_points(imp, None) == 54
    assert impersonation_points(imp, "icbc") == 0
    assert impersonation_points(Impersonation(brand="icbc", confidence=0.4), None) == 0
    assert impersonation_points(None, None) == 0


def test_context_alone_never_flags_but_adds_to_behaviour() -> None:
    from chaincut.detect.score import CONTEXT_CAP

    def low(points: int) -> Evidence:
        return Evidence(rule="fraud/ctx", severity="low", detail="d", score=points)

    assert CONTEXT_CAP < SUSPICIOUS_AT
    shell = decide([low(25), low(20), low(5)], genuine=None, readable=True)
    assert (shell.verdict, shell.score) == ("clean", CONTEXT_CAP)
    assert decide([low(25), ev(20)], genuine=None, readable=True).verdict == "suspicious"


def test_single_weak_resemblance_is_not_decisive() -> None:
    from chaincut.detect.score import imitation_is_decisive
    from chaincut.result.models import Signal

    icon = Signal(kind="icon", score=0.8, detail="icon distance 14/128")
    label = Signal(kind="label", score=0.85, detail="label near spelling")
    text = Signal(kind="text", score=0.5, detail="mentions the brand")
    near = Signal(kind="icon", score=0.9, detail="icon distance 4/128")
    assert not imitation_is_decisive(Impersonation(brand="b", confidence=0.8, signals=[icon]))
    assert not imitation_is_decisive(Impersonation(brand="b", confidence=0.9, signals=[icon, text]))
    assert imitation_is_decisive(Impersonation(brand="b", confidence=0.97, signals=[icon, label]))
    # an icon alone, however close, is context: harmless apps share generic icons
    assert not imitation_is_decisive(Impersonation(brand="b", confidence=0.9, signals=[near]))
    exact = Signal(kind="label", score=0.95, detail="label equals the brand name")
    assert imitation_is_decisive(Impersonation(brand="b", confidence=0.95, signals=[exact]))
