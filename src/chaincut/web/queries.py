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
from sqlalchemy import Connection

from chaincut.link.cases import cases_for_region
from chaincut.link.chainset import CaseInfo, Chain, RegionView
from chaincut.store import Store, StoredArtifact
from chaincut.store.records import CustodyEntry
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


class _Sql:
    """A statement handed straight to the database driver (no statement compilation or
    cache-key work per call): ``?`` placeholders, ``%s`` for drivers of the ``format``
    style (psycopg2)."""

    def __init__(self, sql: str) -> None:
        self.qmark, self.format = sql, sql.replace("?", "%s")

    def rows(self, conn: Connection, *params: object) -> Sequence[Any]:
        style = conn.dialect.paramstyle
        sql = self.format if style in ("format", "pyformat") else self.qmark
        return conn.exec_driver_sql(sql, tuple(params)).all()


# Search runs on every keystroke of many analysts at once: its statements are plain SQL
# prepared once (per-request statement construction and ORM loading cost about 5 ms of
# the 6 ms a search took on a 100,000-artifact store), each an index lookup:
# ``ix_indicators_digest``, ``ix_artifact_indicators_indicator``, ``ix_artifacts_brand`` and
# the sha256 primary key. Only the label fallback scans (when nothing else matched).
_HIT = "a.sha256, a.kind, a.verdict, a.score, a.label, a.brand"
_BY_DIGEST = {n: _Sql("SELECT id, kind, value FROM indicators WHERE digest IN ("
                      + ", ".join("?" * n) + ")") for n in (1, 2, 3, 4)}  # fmt: skip
_BY_INDICATOR = _Sql(
    f"SELECT DISTINCT {_HIT} FROM artifact_indicators ai JOIN artifacts a ON a.sha256 = ai.sha256"
    f" WHERE ai.indicator_id = ? LIMIT {MAX_HITS}"
)
_PROVIDER = _Sql(
    "SELECT provider FROM artifact_indicators WHERE indicator_id = ? AND provider IS NOT NULL"
    " LIMIT 1"
)
_BY_BRAND = _Sql(f"SELECT {_HIT} FROM artifacts a WHERE a.brand = ? LIMIT {MAX_HITS}")
_BY_PREFIX = _Sql(
    f"SELECT {_HIT} FROM artifacts a WHERE a.sha256 >= ? AND a.sha256 < ? LIMIT {MAX_HITS}"
)
_BY_LABEL = _Sql(
    f"SELECT {_HIT} FROM artifacts a WHERE a.label LIKE ? ESCAPE '\\' LIMIT {MAX_HITS}"
)


PROVIDER_KEY = re.compile(r"^[a-z][a-z0-9_.-]{0,63}:(?!/)(\S.*)$")


def _bare_key(q: str) -> set[str]:
    """``jpush:0123…`` (how rules and older stores spell an SDK key): also its bare key."""
    m = PROVIDER_KEY.match(q)
    return {m.group(1)} if m else set()


def _hits(rows: Sequence[Any], chain_of: dict[str, str]) -> list[dict[str, Any]]:
    """Hits as plain dicts, straight from the store's own columns (shaped as
    :class:`ArtifactHit`): building a pydantic model per hit cost more than the lookups."""
    return [{"sha256": r[0], "kind": r[1], "verdict": r[2], "score": r[3], "label": r[4],
             "brand": r[5], "chain": chain_of.get(r[0])} for r in rows]  # fmt: skip


def _first(rows: Sequence[Any]) -> Any:
    return rows[0][0] if rows else None


def _like(q: str) -> str:
    return "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def search(store: Store, query: str, chain_of: dict[str, str]) -> dict[str, Any]:
    """Exact indicator values (any kind), sha256 prefixes, brand ids, then label text; a
    document shaped as :class:`SearchResult` (the API's declared response)."""
    q = query.strip()
    if not q:
        return {"query": q, "indicators": [], "artifacts": []}
    low = q.lower()
    bare = low.replace(":", "")
    variants = sorted({q, low} | ({bare} if HEX.match(bare) else set()) | _bare_key(q))
    with store.engine.connect() as conn:
        found = _BY_DIGEST[len(variants)].rows(conn, *(digest(v) for v in variants))
        indicators = [
            {"kind": kind, "value": value,
             "artifacts": _hits(_BY_INDICATOR.rows(conn, ind_id), chain_of),
             "provider": _first(_PROVIDER.rows(conn, ind_id))}
            for ind_id, kind, value in found
        ]  # fmt: skip
        hits: list[Any] = list(_BY_BRAND.rows(conn, low))
        if HEX.match(low):
            hits += _BY_PREFIX.rows(conn, low, low + "g")[:MAX_HITS]
        if not hits and not indicators:
            hits = list(_BY_LABEL.rows(conn, _like(q)))
    return {"query": q, "indicators": indicators, "artifacts": _hits(hits, chain_of)}


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
