"""Words for the verdict: evidence items an investigator can paste, and one plain
sentence for the public check.

Rule matches carry their own sentence; the judgements (impersonation, genuine app,
category) become evidence items here under reserved ``judgement/...`` ids so that every
point of the score is traceable to one named item.
"""

from __future__ import annotations

from collections.abc import Sequence

from chaincut.detect.impersonation import ImpersonationJudgement
from chaincut.detect.rules import RuleMatch
from chaincut.detect.score import (
    Decision,
    icon_only,
    imitation_is_decisive,
    impersonation_points,
)
from chaincut.facts.models import FactsDocument
from chaincut.knowledge.brands import BrandRegistry
from chaincut.result.models import CategoryJudgement, Evidence, Severity
from chaincut.result.typed import typed

SEVERITY_ORDER: dict[str, int] = {"high": 0, "medium": 1, "low": 2, "info": 3}


def _impersonation_evidence(imp: ImpersonationJudgement) -> list[Evidence]:
    if imp.genuine is not None:
        return [
            Evidence(
                rule="judgement/genuine",
                severity="info",
                detail=f"this is the genuine app of the registered brand '{imp.genuine}'",
                name="Genuine brand app",
            )
        ]
    found = imp.impersonation
    if found is None:
        return []
    points = impersonation_points(found, None)
    signals = "; ".join(s.detail for s in found.signals) or "resemblance to the brand"
    severity: Severity = "high" if points >= 45 else "medium" if points else "low"
    if not imitation_is_decisive(found):
        severity = "low"  # one kind of resemblance: context, capped with the rest
        signals += " (one kind of resemblance only: counted as context)"
    return [
        Evidence(
            rule="judgement/impersonation",
            severity=severity,
            detail=(
                f"imitates '{found.name or found.brand}' (confidence {found.confidence:.2f}): "
                f"{signals}"
            ),
            name="Imitates a registered brand",
            score=points,
        )
    ]


def _category_evidence(category: CategoryJudgement | None) -> list[Evidence]:
    if category is None:
        return []
    terms = ", ".join(category.terms[:8]) or "its wording"
    return [
        Evidence(
            rule="judgement/category",
            severity="info",
            detail=f"wording of a {category.category} platform: {terms}",
            name="Fraud category",
            categories=[category.category],
        )
    ]


def evidence(
    matches: Sequence[RuleMatch],
    imp: ImpersonationJudgement,
    category: CategoryJudgement | None,
) -> list[Evidence]:
    """Every evidence item, most severe first, each naming the rule that produced it."""
    # a match's parts are typed already (validated rule metadata, its sentence and tree)
    items = [
        typed(Evidence, {"rule": m.rule.id, "severity": m.rule.severity, "detail": m.detail,
                         "name": m.rule.name, "score": m.rule.score,
                         "categories": list(m.rule.categories), "tree": m.tree})
        for m in matches
    ]  # fmt: skip
    items += _impersonation_evidence(imp) + _category_evidence(category)
    return sorted(items, key=lambda e: (SEVERITY_ORDER[e.severity], -e.score, e.rule))


def summary(
    doc: FactsDocument,
    decision: Decision,
    imp: ImpersonationJudgement,
    category: CategoryJudgement | None,
    brands: BrandRegistry,
) -> str:
    """One plain sentence a member of the public can act on."""
    if imp.genuine is not None:
        brand = brands.brands.get(imp.genuine)
        name = brand.display_name if brand else imp.genuine
        return f"This is the genuine {name} app."
    what = {"apk": "app", "ipa": "iPhone app", "mobileconfig": "iPhone profile"}.get(
        doc.kind, "link" if doc.kind in ("url", "page", "qr") else "file"
    )
    if decision.verdict == "malicious":
        lead = f"Do not install or open this {what}: it shows the marks of a fraud {what}"
    elif decision.verdict == "suspicious":
        lead = f"Be careful: this {what} looks suspicious"
    elif decision.verdict == "unknown":
        return f"chaincut could not read this {what}; treat it with caution."
    else:
        return f"No sign of fraud was found in this {what}."
    found = imp.impersonation
    if found is not None and found.confidence >= 0.5 and not icon_only(found):
        lead += f", and it pretends to be {found.name or found.brand}"
    if category is not None:
        lead += f" ({category.category.replace('_', ' ')} fraud)"
    return lead + "."
