"""Which fraud category an artifact serves, from its wording, with the terms that decided.

Scoring (weights from ``knowledge/data/categories.yaml``):

* every term found adds ``weight x place`` where place is 2 for what the victim sees
  first (app label, display name, web clip label, page or H5 title) and 1 for the rest
  (H5 text, string resources, page text, profile description); a term repeated in one
  place counts up to three times, at half weight after the first;
* the category of the imitated brand adds ``BRAND_POINTS`` (when confidence >= 0.5);
* a few permissions are weak hints (``PERMISSION_HINTS``, 0.5 each);
* the best category is reported when it reaches ``MIN_SCORE`` from at least two distinct
  terms or hints; otherwise (ordinary apps mention 客服 or 退款 too) ``None``.

``confidence = min(1, best / SURE_SCORE) x best / (best + runner-up)``: high when the
wording is plentiful and points one way.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from typing import cast

from chaincut.detect.impersonation.normalize import to_simplified
from chaincut.facts.models import FactsDocument
from chaincut.knowledge.brands import BrandRegistry
from chaincut.knowledge.categories import CategoryTerms, default_categories
from chaincut.result.models import Category, CategoryJudgement, Impersonation

MIN_SCORE = 4.0
SURE_SCORE = 12.0
BRAND_POINTS = 3.0
SHOWN, BODY = 2.0, 1.0
MAX_TEXT = 48 * 1024  # characters per place
MAX_REPEAT = 3
PERMISSION_HINTS: dict[str, tuple[Category, str]] = {
    "android.permission.READ_CONTACTS": ("loan", "permission READ_CONTACTS"),
    "android.permission.READ_CALL_LOG": ("loan", "permission READ_CALL_LOG"),
    "android.permission.CALL_PHONE": ("fake_authority", "permission CALL_PHONE"),
    "android.permission.ANSWER_PHONE_CALLS": ("fake_authority", "permission ANSWER_PHONE_CALLS"),
}
HINT_POINTS = 0.5


@dataclass(frozen=True, slots=True)
class Place:
    text: str  # folded
    weight: float


def _fold(text: str) -> str:
    return to_simplified(unicodedata.normalize("NFKC", text[:MAX_TEXT]).casefold())


def _places(doc: FactsDocument) -> list[Place]:
    shown: list[str | None] = []
    body: list[str] = []
    if doc.apk is not None:
        apk = doc.apk
        shown += [apk.label, *apk.labels.values()]
        for page in apk.h5_pages:
            shown.append(page.title)
            body.append(page.text)
        body.append("\n".join(apk.strings.values()))
        body += ["\n".join(t.values()) for t in apk.localized_strings.values()]
    if doc.ipa is not None:
        shown += [doc.ipa.display_name, doc.ipa.name, *doc.ipa.localized_names.values()]
        body += list(doc.ipa.usage_descriptions.values())
    if doc.itms_manifest is not None:
        shown += [doc.itms_manifest.title, doc.itms_manifest.subtitle]
    if doc.mobileconfig is not None:
        prof = doc.mobileconfig
        shown += [prof.display_name, prof.organization, *(p.label for p in prof.payloads)]
        body.append(prof.description or "")
    if doc.page is not None:
        shown.append(doc.page.title)
        body.append(doc.page.text)
    texts = [Place(_fold(t), SHOWN) for t in dict.fromkeys(s for s in shown if s)]
    return texts + [Place(_fold(t), BODY) for t in body if t]


def _count(term: str, text: str) -> int:
    if term.isascii():
        return len(re.findall(rf"(?<![a-z0-9]){re.escape(term)}(?![a-z0-9])", text))
    return text.count(term)


def _term_scores(places: list[Place], terms: CategoryTerms) -> dict[str, dict[str, float]]:
    """category -> term -> points."""
    out: dict[str, dict[str, float]] = defaultdict(dict)
    for category, table in terms.categories.items():
        for term, weight in table.items():
            points = 0.0
            for place in places:
                n = min(_count(term, place.text), MAX_REPEAT)
                if n:
                    points += weight * place.weight * (1 + 0.5 * (n - 1))
            if points:
                out[category][term] = points
    return out


def classify(
    doc: FactsDocument,
    impersonation: Impersonation | None,
    registry: BrandRegistry,
    terms: CategoryTerms | None = None,
) -> CategoryJudgement | None:
    """The fraud category ``doc`` serves and the terms that decided, or None."""
    scores = _term_scores(_places(doc), terms or default_categories())
    if impersonation is not None and impersonation.confidence >= 0.5:
        brand = registry.brands.get(impersonation.brand)
        if brand is not None:
            scores[brand.category][f"imitates {brand.display_name}"] = BRAND_POINTS
    if doc.apk is not None:
        for perm in doc.apk.permissions:
            hint = PERMISSION_HINTS.get(perm)
            if hint is not None:
                scores[hint[0]][hint[1]] = HINT_POINTS
    totals = sorted(((sum(t.values()), c) for c, t in scores.items() if t), reverse=True)
    if not totals:
        return None
    best, category = totals[0]
    runner = totals[1][0] if len(totals) > 1 else 0.0
    decided = scores[category]
    if best < MIN_SCORE or len(decided) < 2:
        return None
    conf = min(1.0, best / SURE_SCORE) * best / (best + runner)
    ranked = sorted(decided, key=lambda t: (-decided[t], t))
    return CategoryJudgement(
        category=cast(Category, category),  # validated against CATEGORIES on load
        confidence=round(conf, 3),
        terms=ranked[:12],
    )
