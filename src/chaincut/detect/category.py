"""Which fraud category an artifact serves, from its wording, with the terms that decided.

Scoring (weights from ``knowledge/data/categories.yaml``):

* every term found adds ``weight x place`` where place is 2 for what the victim sees
  first (app label, display name, web clip label, page or H5 title) and 1 for the rest
  (H5 text, string resources, page text and link texts, profile description, usage
  descriptions); a term repeated in one place counts up to three times, at half weight
  after the first. A longer term hides the terms inside it where it occurs, so a phrase
  ("注销校园贷", cancel a student loan: a customer-service lure) is not read as its parts;
* the category of the imitated brand adds ``BRAND_POINTS`` when the impersonation is
  sure (confidence >= ``BRAND_SURE``), a share of it below that (down to 0.5): fraud apps
  take the look of a platform of their own kind, and IPAs, profiles and manifests often
  carry nothing but the borrowed name;
* a word listed under ``name_terms`` weighs its name weight where the victim sees the
  name ("XX客服" is a customer-service platform; "联系客服" in the body is everyday);
* a few permissions are weak hints (``PERMISSION_HINTS``, 0.5 each).

The best category is reported when it reaches ``MIN_SCORE`` from at least two distinct
terms or hints, or from one term that earns ``STRONG_TERM`` alone (a decisive word, 2.5
or more, in the name the victim sees: "XX兼职", "XX棋牌"), or is the category of a surely
imitated brand; otherwise (ordinary apps
mention 客服 or 退款 too) ``None``: thin evidence is "unknown", not a guess. Ties go to the
imitated brand's category, then to the category with more distinct terms.

``confidence = min(1, best / SURE_SCORE) x best / (best + runner-up)``: high when the
wording is plentiful and points one way.

The borrowed brand is a costume: when an imitation's own words plainly speak of a lure
category (``lure_categories``: two distinct terms of weight ``PLAIN_WEIGHT`` or more that
the brand's category does not share), that is the category reported.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from itertools import islice
from typing import cast

from chaincut.detect.impersonation.normalize import to_simplified
from chaincut.facts.models import FactsDocument
from chaincut.knowledge.brands import CATEGORIES, BrandRegistry
from chaincut.knowledge.categories import CategoryTerms, TermIndex, default_categories, term_index
from chaincut.result.models import Category, CategoryJudgement, Impersonation

MIN_SCORE = 4.0
SURE_SCORE = 12.0
BRAND_POINTS = 4.0
BRAND_SURE = 0.8
BRAND_MIN = 0.5
SHOWN, BODY = 2.0, 1.0
MAX_TEXT = 48 * 1024  # characters per place
MAX_REPEAT = 3
MAX_SPANS = 64  # occurrences of one term looked at per place
MAX_TERMS = 12
PERMISSION_HINTS: dict[str, tuple[Category, str]] = {
    "android.permission.READ_CONTACTS": ("loan", "permission READ_CONTACTS"),
    "android.permission.READ_CALL_LOG": ("loan", "permission READ_CALL_LOG"),
    "android.permission.CALL_PHONE": ("fake_authority", "permission CALL_PHONE"),
    "android.permission.ANSWER_PHONE_CALLS": ("fake_authority", "permission ANSWER_PHONE_CALLS"),
}
HINT_POINTS = 0.5
PLAIN_WEIGHT = 1.5  # a term weighing less is a weak hint (客服, 会议): it never overrides a brand
STRONG_TERM = 5.0  # points one term earns in one place (a decisive word in the app's name)

Scores = dict[str, dict[str, float]]  # category -> term or signal -> points


@dataclass(frozen=True, slots=True)
class Place:
    text: str  # folded
    weight: float


def _fold(text: str) -> str:
    return to_simplified(unicodedata.normalize("NFKC", text[:MAX_TEXT]).casefold())


def _apk_texts(doc: FactsDocument) -> tuple[list[str | None], list[str]]:
    apk = doc.apk
    if apk is None:
        return [], []
    shown: list[str | None] = [apk.label, *apk.labels.values()]
    shown += [page.title for page in apk.h5_pages]
    body = [page.text for page in apk.h5_pages]
    body.append("\n".join(apk.strings.values()))
    body += ["\n".join(t.values()) for t in apk.localized_strings.values()]
    return shown, body


def _ios_texts(doc: FactsDocument) -> tuple[list[str | None], list[str]]:
    shown: list[str | None] = []
    body: list[str] = []
    if doc.ipa is not None:
        shown += [doc.ipa.display_name, doc.ipa.name, *doc.ipa.localized_names.values()]
        body += list(doc.ipa.usage_descriptions.values())
    if doc.itms_manifest is not None:
        shown += [doc.itms_manifest.title, doc.itms_manifest.subtitle]
    if doc.mobileconfig is not None:
        prof = doc.mobileconfig
        shown += [prof.display_name, prof.organization, *(p.label for p in prof.payloads)]
        body.append(prof.description or "")
    return shown, body


def _page_texts(doc: FactsDocument) -> tuple[list[str | None], list[str]]:
    if doc.page is None:
        return [], []
    links = "\n".join(link.text for link in doc.page.links if link.text)
    return [doc.page.title], [doc.page.text, links]


def _places(doc: FactsDocument, hide: tuple[str, ...] = ()) -> list[Place]:
    """The texts of ``doc`` with how prominently the victim sees each; the ``hide`` names
    (the imitated brand's, already counted as the brand's category) are blanked out."""
    shown: list[str | None] = []
    body: list[str] = []
    for part in (_apk_texts, _ios_texts, _page_texts):
        more_shown, more_body = part(doc)
        shown += more_shown
        body += more_body
    texts = [Place(_fold(t), SHOWN) for t in dict.fromkeys(s for s in shown if s)]
    texts += [Place(_fold(t), BODY) for t in body if t]
    return [Place(_blank(p.text, hide), p.weight) for p in texts] if hide else texts


def _blank(text: str, names: tuple[str, ...]) -> str:
    for name in names:
        text = text.replace(name, " ")
    return text


def _spans(term: str, text: str) -> list[tuple[int, int]]:
    """Where ``term`` occurs, the first ``MAX_SPANS`` times. ASCII terms count as whole
    words outside host names and paths (``pay.xyz.shop/bet`` is an address, not wording)."""
    if term.isascii():
        pattern = rf"(?<![a-z0-9._/@-]){re.escape(term)}(?![a-z0-9_/@-]|\.[a-z0-9])"
        return [m.span() for m in islice(re.finditer(pattern, text), MAX_SPANS)]
    out: list[tuple[int, int]] = []
    start = text.find(term)
    while start >= 0 and len(out) < MAX_SPANS:
        out.append((start, start + len(term)))
        start = text.find(term, start + len(term))
    return out


def _counts(text: str, index: TermIndex) -> dict[str, int]:
    """How often each term occurs in ``text`` where longer terms found did not claim it."""
    claimed = bytearray(len(text))
    out: dict[str, int] = {}
    # Only terms whose first character occurs, and of those only terms with no character
    # the text lacks, can occur (one pass over the text instead of a substring scan per
    # term); they are tried in the index's longest-first order all the same.
    chars = set(text)
    terms = index.longest_first
    if index.by_first and "" not in index.weights and "" not in index.name_weights:
        # each term is listed under its one first character: no set needed, and the
        # text's characters that start no term drop out in one C-level intersection
        firsts = chars.intersection(index.by_first)
        picks = sorted([i for c in firsts for i in index.by_first[c]])
        terms = tuple(terms[i] for i in picks)
    for term in terms:
        if not chars.issuperset(term) or term not in text:
            continue
        spans = [(a, b) for a, b in _spans(term, text) if 0 in claimed[a:b]]
        for a, b in spans:
            claimed[a:b] = b"\x01" * (b - a)
        if spans:
            out[term] = len(spans)
    return out


def _term_scores(places: list[Place], index: TermIndex) -> Scores:
    out: Scores = defaultdict(dict)
    for place in places:
        shown = place.weight >= SHOWN
        for term, n in _counts(place.text, index).items():
            repeat = 1 + 0.5 * (min(n, MAX_REPEAT) - 1)
            table_of = index.name_weights if shown and term in index.name_weights else index.weights
            for category, weight in table_of.get(term, {}).items():
                table = out[category]
                table[term] = table.get(term, 0.0) + weight * place.weight * repeat
    return out


@dataclass(frozen=True, slots=True)
class BrandPrior:
    """The imitated brand's category, the points it adds and whether it decides alone."""

    category: str
    signal: str
    points: float
    sure: bool
    names: tuple[str, ...]  # folded, longest first


def _brand_prior(imp: Impersonation | None, registry: BrandRegistry) -> BrandPrior | None:
    if imp is None or imp.confidence < BRAND_MIN:
        return None
    brand = registry.brands.get(imp.brand)
    if brand is None or brand.category not in CATEGORIES:
        return None
    sure = imp.confidence >= BRAND_SURE
    names = sorted({_fold(n) for n in brand.names if len(n) > 1}, key=lambda n: (-len(n), n))
    return BrandPrior(category=brand.category, signal=f"imitates {brand.display_name}",
                      points=BRAND_POINTS * (1.0 if sure else imp.confidence), sure=sure,
                      names=tuple(names))  # fmt: skip


def _add_hints(scores: Scores, doc: FactsDocument) -> None:
    if doc.apk is None:
        return
    for perm in doc.apk.permissions:
        hint = PERMISSION_HINTS.get(perm)
        if hint is not None:
            scores[hint[0]][hint[1]] = HINT_POINTS


def _ranked(scores: Scores, prior: BrandPrior | None) -> list[tuple[float, str]]:
    """Categories best first: points, then the imitated brand's, then more distinct terms."""
    key = {
        c: (sum(t.values()), prior is not None and c == prior.category, len(t),
            -CATEGORIES.index(c))
        for c, t in scores.items()
        if t
    }  # fmt: skip
    return [(key[c][0], c) for c in sorted(key, key=lambda c: key[c], reverse=True)]


def _scores(doc: FactsDocument, prior: BrandPrior | None, terms: CategoryTerms) -> Scores:
    scores = _term_scores(_places(doc, prior.names if prior else ()), term_index(terms))
    if prior is not None:
        scores[prior.category][prior.signal] = prior.points
    _add_hints(scores, doc)
    return scores


def _decide(scores: Scores, prior: BrandPrior | None) -> CategoryJudgement | None:
    ranked = _ranked(scores, prior)
    if not ranked:
        return None
    best, category = ranked[0]
    decided = scores[category]
    alone = prior is not None and prior.sure and prior.category == category
    strong = any(w >= STRONG_TERM for w in decided.values())
    if best < MIN_SCORE or (len(decided) < 2 and not alone and not strong):
        return None
    runner = ranked[1][0] if len(ranked) > 1 else 0.0
    conf = min(1.0, best / SURE_SCORE) * best / (best + runner)
    return CategoryJudgement(
        category=cast(Category, category),  # validated against CATEGORIES on load
        confidence=round(conf, 3),
        terms=sorted(decided, key=lambda t: (-decided[t], t))[:MAX_TERMS],
        score=round(best, 1),
    )


@dataclass(frozen=True, slots=True)
class Categories:
    """The category reported (wording and imitated brand) and the one the wording alone
    points at: the latter is evidence of its own (a fraud platform's own words), the
    former also names what an imitation is for."""

    reported: CategoryJudgement | None
    wording: CategoryJudgement | None


def _costume(
    reported: CategoryJudgement | None,
    own: CategoryJudgement | None,
    prior: BrandPrior,
    scores: Scores,
    terms: CategoryTerms,
) -> CategoryJudgement | None:
    """The fraud's own category when an imitation plainly speaks of a lure other than the
    borrowed brand's category: two distinct terms of a category in ``lure_categories``,
    each more than a weak hint (``PLAIN_WEIGHT``) and not shared with the brand's
    category. The brand is the costume, what the victim is asked to do is the fraud. One
    word is not plain enough ("XX银行安全中心" is the bank's security page, not a fake
    police app), nor is wording both kinds of app say (after-sales refunds: a fake shop
    and a fake service desk alike), nor a passing "客服"."""
    if own is None or own.category == prior.category or own.category not in terms.lure_categories:
        return reported
    shared = scores.get(prior.category, {})
    index = term_index(terms)
    weight = {t: index.weights.get(t, {}).get(own.category, 0.0) for t in own.terms}
    plain = [t for t in own.terms if t not in shared and weight[t] >= PLAIN_WEIGHT]
    return own if len(plain) >= 2 else reported


def categorise(
    doc: FactsDocument,
    impersonation: Impersonation | None,
    registry: BrandRegistry,
    terms: CategoryTerms | None = None,
) -> Categories:
    """Both judgements from one pass over the text."""
    terms = terms or default_categories()
    prior = _brand_prior(impersonation, registry)
    scores = _scores(doc, prior, terms)
    reported = _decide(scores, prior)
    if prior is None:
        return Categories(reported, reported)
    own_scores = {c: {t: p for t, p in v.items() if t != prior.signal} for c, v in scores.items()}
    own = _decide({c: v for c, v in own_scores.items() if v}, None)
    return Categories(_costume(reported, own, prior, scores, terms), own)


def classify(
    doc: FactsDocument,
    impersonation: Impersonation | None,
    registry: BrandRegistry,
    terms: CategoryTerms | None = None,
) -> CategoryJudgement | None:
    """The fraud category ``doc`` serves and the terms that decided, or None."""
    return categorise(doc, impersonation, registry, terms).reported
