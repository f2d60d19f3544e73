"""The public check's plain answer, read off a job's frozen scan results.

Nothing is judged here: the verdict, the imitated brand, the category and the evidence
all come from the :class:`ScanResult` detection wrote; this picks the two or three
reasons that added most to the score and names the brand's registered display name.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from chaincut.knowledge.brands import BrandRegistry
from chaincut.web.jobs import JobView, Known

MAX_REASONS = 3


class BrandView(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    name: str  # the genuine brand's display name
    has_icon: bool  # the registry holds the genuine icon (served at /brands/{id}/icon)
    fake_label: str | None = None  # what the fake calls itself


class PlainAnswer(BaseModel):
    """The answer a member of the public reads (also in the API's job document)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    verdict: str  # malicious, suspicious, clean, unknown
    summary: str
    brand: BrandView | None = None
    category: str | None = None
    reasons: list[str] = Field(default_factory=list)
    known: Known = Known()
    has_icon: bool = False  # the fake's icon (served at /check/{job}/icon)


def _fake_label(job: JobView) -> str | None:
    answer = job.answer
    if answer is None or answer.primary >= len(answer.labels):
        return None
    return answer.labels[answer.primary]


def plain_answer(job: JobView, brands: BrandRegistry) -> PlainAnswer | None:
    """The plain answer of a finished job; None while it runs or when it failed."""
    if job.answer is None:
        return None
    result = job.answer.results[job.answer.primary]
    brand = None
    imp = result.impersonates or next(
        (r.impersonates for r in job.answer.results if r.impersonates), None
    )
    if imp is not None:
        registered = brands.brands.get(imp.brand)
        name = registered.display_name if registered else (imp.name or imp.brand)
        brand = BrandView(id=imp.brand, name=name, has_icon=bool(registered and registered.icons),
                          fake_label=_fake_label(job))  # fmt: skip
    ranked = sorted((e for e in result.evidence if e.score > 0), key=lambda e: -e.score)
    return PlainAnswer(
        verdict=result.verdict,
        summary=result.summary,
        brand=brand,
        category=result.category,
        reasons=[e.detail for e in ranked[:MAX_REASONS]],
        known=job.answer.known,
        has_icon=job.has_icon,
    )
