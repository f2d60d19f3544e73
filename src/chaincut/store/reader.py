"""Reading the store back as frozen records (what linking, the CLI and the web face use).

Artifacts stream in sha256 order, a page at a time with their indicators, so a store of
any size can be walked in bounded memory on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from chaincut.facts.models import FactsDocument, Location
from chaincut.link.judge import RAISED_SUMMARY
from chaincut.link.model import ArtifactRecord, CaseRecord, file_name
from chaincut.result.models import ResultIndicator, ScanResult
from chaincut.store.records import SeenName, StoredArtifact
from chaincut.store.schema import (
    Artifact,
    ArtifactBlob,
    ArtifactIndicator,
    ArtifactName,
    Case,
    CaseArtifact,
    IndicatorRow,
)
from chaincut.store.util import iso

PAGE = 500


def indicators_for(session: Session, shas: list[str]) -> dict[str, list[ResultIndicator]]:
    """Each artifact's indicators in the order its scan listed them."""
    query = (
        select(
            ArtifactIndicator.sha256, IndicatorRow.kind, IndicatorRow.value,
            ArtifactIndicator.role, ArtifactIndicator.common, ArtifactIndicator.location,
            ArtifactIndicator.verified, ArtifactIndicator.provider,
        )
        .join(IndicatorRow, IndicatorRow.id == ArtifactIndicator.indicator_id)
        .where(ArtifactIndicator.sha256.in_(shas))
        .order_by(ArtifactIndicator.sha256, ArtifactIndicator.ordinal)
    )
    out: dict[str, list[ResultIndicator]] = {}
    for sha, kind, value, role, common, location, verified, provider in session.execute(query):
        out.setdefault(sha, []).append(
            ResultIndicator(
                kind=kind, value=value, role=role, common=bool(common),
                location=Location.model_validate(location) if location else None,
                verified=verified, provider=provider,
            )
        )
    return out


def files_for(session: Session, shas: list[str]) -> dict[str, list[str]]:
    """The file names (last part of each ingested path, not URLs) each artifact arrived as."""
    query = (
        select(ArtifactName.sha256, ArtifactName.value)
        .where(ArtifactName.sha256.in_(shas), ArtifactName.kind != "url")
        .order_by(ArtifactName.sha256, ArtifactName.id)
    )
    out: dict[str, list[str]] = {}
    for sha, value in session.execute(query):
        name = file_name(str(value))
        if name and name not in out.setdefault(sha, []):
            out[sha].append(name)
    return out


def _record(
    row: Artifact, indicators: list[ResultIndicator], files: list[str] | None = None
) -> ArtifactRecord:
    return ArtifactRecord(
        sha256=row.sha256, kind=row.kind, verdict=(seen := _scan_verdict(row)),
        stored_verdict=row.verdict if row.verdict != seen else None, score=row.score,
        brand=row.brand, category=row.category, label=row.label,
        first_seen=iso(row.first_seen), parent=row.parent, indicators=indicators,
        files=files or [],
    )


def _scan_verdict(row: Artifact) -> str:
    """The verdict detection gave, for linking: one that linking raised reads as clean."""
    result = row.result if isinstance(row.result, dict) else {}
    if row.verdict == "suspicious" and result.get("summary") == RAISED_SUMMARY:
        return "clean"
    return row.verdict


def iter_artifacts(session: Session) -> Iterator[ArtifactRecord]:
    after = ""
    while True:
        rows = list(
            session.scalars(
                select(Artifact).where(Artifact.sha256 > after).order_by(Artifact.sha256)
                .limit(PAGE)
            )
        )
        if not rows:
            return
        shas = [r.sha256 for r in rows]
        found = indicators_for(session, shas)
        files = files_for(session, shas)
        for row in rows:
            yield _record(row, found.get(row.sha256, []), files.get(row.sha256))
        after = rows[-1].sha256
        session.expunge_all()


def stored_artifact(session: Session, sha256: str, blobs_root: Path) -> StoredArtifact | None:
    row = session.get(Artifact, sha256)
    if row is None:
        return None
    names = session.execute(
        select(ArtifactName.kind, ArtifactName.value, ArtifactName.first_seen)
        .where(ArtifactName.sha256 == sha256).order_by(ArtifactName.id)
    )
    icons = session.scalars(
        select(ArtifactBlob.blob).where(ArtifactBlob.sha256 == sha256).order_by(ArtifactBlob.blob)
    )
    return StoredArtifact(
        sha256=row.sha256, kind=row.kind, size=row.size,
        first_seen=iso(row.first_seen) or "", last_seen=iso(row.last_seen) or "",
        label=row.label, verdict=row.verdict, score=row.score, category=row.category,
        brand=row.brand, parent=row.parent,
        names=[SeenName(kind=k, value=v, first_seen=iso(t) or "") for k, v, t in names],
        blob_path=str(blobs_root / row.blob_path) if row.blob_path else None,
        icons=list(icons), knowledge_version=row.knowledge_version,
        rules_version=row.rules_version, extractor=row.extractor,
        facts=FactsDocument.model_validate(row.facts),
        result=ScanResult.model_validate(row.result),
    )


def iter_cases(session: Session) -> Iterator[CaseRecord]:
    """Every case in (region, case_id) order with its resolved and unresolved references."""
    refs: dict[int, list[tuple[str, str | None]]] = {}
    query = select(CaseArtifact.case_pk, CaseArtifact.reference, CaseArtifact.sha256).order_by(
        CaseArtifact.case_pk, CaseArtifact.ordinal
    )
    for case_pk, reference, sha in session.execute(query):
        refs.setdefault(case_pk, []).append((reference, sha))
    for case in session.scalars(select(Case).order_by(Case.region, Case.case_id)):
        entries = refs.get(case.id, [])
        yield CaseRecord(
            case_id=case.case_id, region=case.region, reported_at=case.reported_at,
            loss_amount=float(case.loss_amount) if case.loss_amount is not None else None,
            artifacts=list(dict.fromkeys(sha for _, sha in entries if sha)),
            unresolved=[ref for ref, sha in entries if not sha],
            notes=case.notes,
        )


def count(session: Session, column: object) -> int:
    return int(session.scalar(select(func.count()).select_from(column)) or 0)  # type: ignore[arg-type]


def grouped(session: Session, column: object) -> dict[str, int]:
    query = select(column, func.count()).group_by(column).order_by(column)  # type: ignore[call-overload]
    return {str(key): int(n) for key, n in session.execute(query)}
