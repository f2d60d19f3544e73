"""Which registered brand an artifact imitates, how sure we are, and why.

Confidence (documented in docs/impersonation.md, pinned by tests):

* each signal has a score in 0..1 (see ``labels``, ``icons``, ``packages``, ``domains``,
  ``identity``, ``mentions`` for the tables); per brand, the best signal of each kind
  counts once;
* ``confidence = 1 - prod(1 - score)`` over those kinds (independent evidence adds up:
  a label at 0.95 and an icon at 0.8 give 0.99);
* a brand is claimed only when ``confidence >= MIN_CONFIDENCE`` **and** the evidence is
  more than one weak hint: one non-text signal of at least ``STRONG`` or two non-text
  kinds of at least ``SUPPORT``. Mentions in text only ever add confidence;
* the brand's own genuine app (identity) is never an impostor, and a page or link on the
  brand's official domain is the brand's own.
"""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict, Field

from chaincut.detect.impersonation.clues import gather
from chaincut.detect.impersonation.domains import official_for
from chaincut.detect.impersonation.identity import identify
from chaincut.detect.impersonation.index import BrandIndex, brand_index
from chaincut.detect.impersonation.page_origin import foreign_downloads, page_owner
from chaincut.detect.impersonation.resemblance import icon_table, resemblance
from chaincut.facts.models import FactsDocument
from chaincut.knowledge.brands import BrandRegistry
from chaincut.result.models import Impersonation, Signal

MIN_CONFIDENCE = 0.5
STRONG = 0.6
SUPPORT = 0.4
WEB_KINDS = ("url", "page", "qr")


class ImpersonationJudgement(BaseModel):
    """The outcome for one artifact: the brand it imitates, or the brand it genuinely is."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    impersonation: Impersonation | None = None
    genuine: str | None = None  # brand id when this is the brand's own app, page or link
    unverified: list[str] = Field(default_factory=list)  # official ids without a key to check


def confidence(signals: list[Signal]) -> float:
    """Noisy-OR of the best signal of each kind."""
    best: dict[str, float] = {}
    for s in signals:
        best[s.kind] = max(best.get(s.kind, 0.0), s.score)
    miss = 1.0
    for score in best.values():
        miss *= 1.0 - max(0.0, min(1.0, score))
    return round(1.0 - miss, 3)


def claims(signals: list[Signal]) -> bool:
    """Whether the signals are enough to name a brand (never one weak hint alone)."""
    hard = [s.score for s in signals if s.kind != "text"]
    if not hard:
        return False
    kinds = {s.kind for s in signals if s.kind != "text" and s.score >= SUPPORT}
    strong = max(hard) >= STRONG or len(kinds) >= 2
    return strong and confidence(signals) >= MIN_CONFIDENCE


def _web_genuine(doc: FactsDocument, index: BrandIndex, host: str | None) -> str | None:
    """The brand whose official domain served this link or page.

    Only where it was seen served: a URL, or a page that was fetched. A saved page's own
    claim of origin (saved-from comment, canonical link) is anyone's to write; such a page
    is the brand's only when its downloads are too (``page_owner``).
    """
    if doc.kind not in WEB_KINDS or host is None:
        return None
    if doc.kind == "page" and doc.fetch is None:
        return None
    found = official_for(host, index)
    return index.entries[found[0]].id if found else None


def _order(index: BrandIndex) -> dict[str, tuple[int, str]]:
    """Brand id -> (registry position, display name), built once per index."""
    return index.derived(
        "order", lambda: {e.id: (i, e.brand.display_name) for i, e in enumerate(index)}
    )


def _best(found: dict[str, list[Signal]], index: BrandIndex) -> Impersonation | None:
    known = _order(index)
    order = {b: known[b][0] for b in found}
    names = {b: known[b][1] for b in found}
    ranked = sorted(
        ((confidence(sig), max(s.score for s in sig), -order[b], b) for b, sig in found.items()),
        reverse=True,
    )
    for conf, _, _, brand in ranked:
        signals = sorted(found[brand], key=lambda s: -s.score)
        if claims(signals):
            return Impersonation(brand=brand, confidence=conf, name=names[brand], signals=signals)
    return None


def warm(registry: BrandRegistry) -> None:
    """Build the registry's index and icon table now (before workers are forked)."""
    icon_table(brand_index(registry))


def judge(
    doc: FactsDocument, blobs: Mapping[str, bytes], registry: BrandRegistry
) -> ImpersonationJudgement:
    """The brand ``doc`` imitates (with signals), or the brand it genuinely is."""
    index = brand_index(registry)
    identity = identify(doc, index)
    if identity.genuine is not None:
        return ImpersonationJudgement(genuine=identity.genuine)
    clues = gather(doc, blobs)
    own = _web_genuine(doc, index, clues.hosts[0].host if clues.hosts else None)
    own = own or page_owner(doc, index)
    if own is not None and not identity.signals:
        return ImpersonationJudgement(genuine=own)
    skip = set(identity.unverified)
    found: dict[str, list[Signal]] = {}
    entries = index.derived("by_id", lambda: {e.id: e for e in index})
    for brand, per_kind in resemblance(clues, index, skip).items():
        found[brand] = list(per_kind.values())
        if doc.kind == "page" and "domain" not in per_kind:
            extra = foreign_downloads(doc, entries[brand])
            found[brand] += [extra] if extra is not None else []
    for brand, signal in identity.signals.items():
        found.setdefault(brand, []).append(signal)
    return ImpersonationJudgement(
        impersonation=_best(found, index), unverified=sorted(identity.unverified)
    )
