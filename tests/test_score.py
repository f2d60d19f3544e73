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
