"""What the console and the API read: search by any indicator, an artifact's page, chains
filtered by region, time and role, a chain's graph, and a region's cases.

Everything is read from the store or the cached chain set (the same records the CLI's
``chains``, ``chain``, ``cases`` and ``store`` commands print); nothing is recomputed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from chaincut.link.cases import cases_for_region
from chaincut.link.chainset import CaseInfo, Chain, RegionView
from chaincut.store import Store, StoredArtifact
from chaincut.store.records import CustodyEntry
from chaincut.store.schema import Artifact, ArtifactIndicator, IndicatorRow
from chaincut.store.util import digest
from chaincut.web.state import Linked

HEX = re.compile(r"^[0-9a-f]{6,64}$")
MAX_HITS = 50


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ArtifactHit(Frozen):
    sha256: str
    kind: str
    verdict: str
    score: int
    label: str | None = None
    brand: str | None = None
    chain: str | None = None


class IndicatorHit(Frozen):
    kind: str
    value: str
    artifacts: list[ArtifactHit]
    provider: str | None = None  # whose key an SDK key or builder app id is


class SearchResult(Frozen):
    query: str
    indicators: list[IndicatorHit] = Field(default_factory=list)
    artifacts: list[ArtifactHit] = Field(default_factory=list)  # by sha256, brand or label


class ArtifactPage(Frozen):
    artifact: StoredArtifact
    chain: str | None = None
    cases: list[CaseInfo] = Field(default_factory=list)
    custody: list[CustodyEntry] = Field(default_factory=list)


HIT_COLUMNS = (Artifact.sha256, Artifact.kind, Artifact.verdict, Artifact.score, Artifact.label,
               Artifact.brand)  # fmt: skip


def _hits(rows: Sequence[Any], chain_of: dict[str, str]) -> list[ArtifactHit]:
    return [ArtifactHit(sha256=r.sha256, kind=r.kind, verdict=r.verdict, score=r.score,
                        label=r.label, brand=r.brand, chain=chain_of.get(r.sha256))
            for r in rows]  # fmt: skip


PROVIDER_KEY = re.compile(r"^[a-z][a-z0-9_.-]{0,63}:(?!/)(\S.*)$")


def _bare_key(q: str) -> set[str]:
    """``jpush:0123…`` (how rules and older stores spell an SDK key): also its bare key."""
    m = PROVIDER_KEY.match(q)
    return {m.group(1)} if m else set()


def search(store: Store, query: str, chain_of: dict[str, str]) -> SearchResult:
    """Exact indicator values (any kind), sha256 prefixes, brand ids, then label text."""
    q = query.strip()
    if not q:
        return SearchResult(query=q)
    variants = sorted({q, q.lower()} | ({q.lower().replace(":", "")} if HEX.match(
        q.lower().replace(":", "")) else set()) | _bare_key(q))  # fmt: skip
    with Session(store.engine) as session:
        found = session.execute(
            select(IndicatorRow.id, IndicatorRow.kind, IndicatorRow.value).where(
                IndicatorRow.digest.in_([digest(v) for v in variants]))
        ).all()  # fmt: skip
        indicators = []
        for ind_id, kind, value in found:
            rows = session.execute(
                select(*HIT_COLUMNS)
                .join(ArtifactIndicator, ArtifactIndicator.sha256 == Artifact.sha256)
                .where(ArtifactIndicator.indicator_id == ind_id)
                .distinct()
                .limit(MAX_HITS)
            ).all()
            provider = session.scalar(
                select(ArtifactIndicator.provider).where(
                    (ArtifactIndicator.indicator_id == ind_id)
                    & ArtifactIndicator.provider.is_not(None)).limit(1))  # fmt: skip
            indicators.append(IndicatorHit(kind=kind, value=value, artifacts=_hits(rows, chain_of),
                                           provider=provider))  # fmt: skip
        low = q.lower()
        wheres = [Artifact.brand == low]
        if HEX.match(low):
            wheres.append((Artifact.sha256 >= low) & (Artifact.sha256 < low + "g"))
        hits: list[Any] = []
        for where in wheres:
            hits += session.execute(select(*HIT_COLUMNS).where(where).limit(MAX_HITS)).all()
        if not hits and not indicators:
            pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            like = Artifact.label.like(pattern, escape="\\")
            hits = list(session.execute(select(*HIT_COLUMNS).where(like).limit(MAX_HITS)).all())
    return SearchResult(query=q, indicators=indicators, artifacts=_hits(hits, chain_of))


def artifact_page(store: Store, linked: Linked, sha256: str) -> ArtifactPage | None:
    stored = store.artifact(sha256)
    if stored is None:
        return None
    cases = [c for c in linked.chainset.cases if stored.sha256 in c.artifacts]
    return ArtifactPage(
        artifact=stored,
        chain=linked.chain_of.get(stored.sha256),
        cases=cases,
        custody=store.custody(stored.sha256),
    )


def filter_chains(
    linked: Linked,
    region: str | None = None,
    role: str | None = None,
    since: str | None = None,
    until: str | None = None,
) -> list[Chain]:
    """Chains reported in ``region``, with infrastructure of ``role``, reported in the span."""
    out = []
    for chain in linked.chainset.chains:
        if (
            region
            and region not in chain.regions
            and not any(region == c.region_raw for c in chain.cases)
        ):
            continue
        if role and not any(i.role == role for i in chain.infrastructure):
            continue
        first = chain.timeline.first_report if chain.timeline else None
        last = chain.timeline.last_report if chain.timeline else None
        if since and (last is None or last[:10] < since):
            continue
        if until and (first is None or first[:10] > until):
            continue
        out.append(chain)
    return out


def region_view(linked: Linked, region: str) -> RegionView:
    return cases_for_region(linked.chainset, region)
