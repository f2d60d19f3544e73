"""Writing one scanned artifact: row, names, icon links and indicators, in one transaction.

The caller has already put the bytes in the blob store (atomically), so a committed row
always has its blob; a blob without a row (a kill in between) is harmless and reused.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from chaincut.extractors.dispatch import ExtractionResult
from chaincut.facts.models import FactsDocument
from chaincut.result.models import ResultIndicator, ScanResult
from chaincut.store.schema import (
    Artifact,
    ArtifactBlob,
    ArtifactIndicator,
    ArtifactName,
    IndicatorRow,
)
from chaincut.store.util import clean_text, digest, insert_ignore, looks_like_url


def label_of(doc: FactsDocument) -> str | None:
    """What an analyst would call the artifact: app label, bundle name, page title, URL."""
    if doc.apk is not None and doc.apk.label:
        return doc.apk.label
    if doc.ipa is not None and (doc.ipa.display_name or doc.ipa.name):
        return doc.ipa.display_name or doc.ipa.name
    if doc.page is not None and doc.page.title:
        return doc.page.title
    if doc.url is not None:
        return doc.url.url
    return None


def urls_of(doc: FactsDocument) -> list[str]:
    """URLs this artifact was fetched from (requested, each hop, final)."""
    if doc.fetch is None:
        return []
    found = [doc.fetch.requested, *(hop.url for hop in doc.fetch.chain)]
    if doc.fetch.final_url:
        found.append(doc.fetch.final_url)
    return list(dict.fromkeys(u for u in found if u))


def _columns(scan: ScanResult, doc: FactsDocument, blob_rel: str | None) -> dict[str, Any]:
    label = label_of(doc)
    return {
        "kind": doc.kind,
        "size": doc.size,
        "label": clean_text(label) if label else None,
        "verdict": scan.verdict,
        "score": scan.score,
        "category": scan.category,
        "brand": scan.impersonates.brand if scan.impersonates else None,
        "parent": scan.parent or (doc.fetch.parent if doc.fetch else None),
        "facts": doc.model_dump(mode="json"),
        "result": scan.model_dump(mode="json", exclude={"facts"}),
        "knowledge_version": scan.knowledge_version[:200],
        "rules_version": scan.rules_version[:200],
        "extractor": doc.extractor[:100],
    } | ({"blob_path": blob_rel} if blob_rel else {})


def write_artifact(
    session: Session,
    result: ExtractionResult,
    scan: ScanResult,
    source_path: str,
    blob_rel: str | None,
    now: dt.datetime,
) -> bool:
    """Insert or refresh the artifact row and everything hanging off it; True when new."""
    doc = result.document
    row = session.get(Artifact, doc.sha256)
    columns = _columns(scan, doc, blob_rel)
    new = row is None
    if row is None:
        session.add(Artifact(sha256=doc.sha256, first_seen=now, last_seen=now, **columns))
        session.flush()
    else:
        for key, value in columns.items():
            setattr(row, key, value)
        row.last_seen = now
    add_names(session, doc.sha256, [source_path], now)
    add_names(session, doc.sha256, urls_of(doc), now, kind="url")
    _icons(session, doc.sha256, result.blobs)
    _indicators(session, doc.sha256, scan.indicators)
    return new


def add_names(
    session: Session, sha256: str, values: list[str], now: dt.datetime, kind: str | None = None
) -> None:
    """Remember paths/URLs an artifact arrived under (duplicates ignored)."""
    rows = []
    for value in values:
        text = clean_text(value)
        name_kind = kind or ("url" if looks_like_url(text) else "path")
        rows.append(
            {"sha256": sha256, "kind": name_kind, "value": text, "digest": digest(text),
             "first_seen": now}
        )
    insert_ignore(session, ArtifactName.__table__, rows)  # type: ignore[arg-type]


def _icons(session: Session, sha256: str, blobs: dict[str, bytes]) -> None:
    rows = [{"sha256": sha256, "blob": blob, "role": "icon"} for blob in sorted(blobs)]
    insert_ignore(session, ArtifactBlob.__table__, rows)  # type: ignore[arg-type]


def _indicators(session: Session, sha256: str, indicators: list[ResultIndicator]) -> None:
    """Replace the artifact's indicator links with those of this scan."""
    session.execute(delete(ArtifactIndicator).where(ArtifactIndicator.sha256 == sha256))
    if not indicators:
        return
    keys = [(ind.kind[:64], clean_text(ind.value)) for ind in indicators]
    unique = {(kind, digest(value)): value for kind, value in keys}
    insert_ignore(
        session,
        IndicatorRow.__table__,  # type: ignore[arg-type]
        [{"kind": k, "digest": d, "value": v} for (k, d), v in unique.items()],
    )
    ids = _indicator_ids(session, list(unique))
    for ordinal, (ind, (kind, value)) in enumerate(zip(indicators, keys, strict=True)):
        session.add(
            ArtifactIndicator(
                sha256=sha256, ordinal=ordinal, indicator_id=ids[(kind, digest(value))],
                role=ind.role, common=ind.common, verified=ind.verified,
                location=ind.location.model_dump(mode="json") if ind.location else None,
            )
        )


def _indicator_ids(session: Session, keys: list[tuple[str, str]]) -> dict[tuple[str, str], int]:
    out: dict[tuple[str, str], int] = {}
    for start in range(0, len(keys), 400):
        chunk = keys[start : start + 400]
        query = select(IndicatorRow.id, IndicatorRow.kind, IndicatorRow.digest).where(
            IndicatorRow.digest.in_([d for _, d in chunk])
        )
        for ind_id, kind, dig in session.execute(query):
            out[(kind, dig)] = ind_id
    return out
