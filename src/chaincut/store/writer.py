"""Writing scanned artifacts: rows, names, icon links, indicators and custody entries.

The caller has already put the bytes in the blob store (atomically, and made durable),
so a committed row always has its blob; a blob without a row (a kill in between) is
harmless and reused.

Ingest writes many artifacts per transaction (:func:`write_batch`). Everything that does
not need the database is done beforehand by :func:`prepare`, which ingest runs in its
extraction workers: turning the facts and the result into JSON-ready columns, cleaning
texts and digesting indicator values. The driver only issues a few statements per batch.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Table, delete, insert, select, update
from sqlalchemy.orm import Session

from chaincut.extractors.dispatch import ExtractionResult
from chaincut.facts.models import FactsDocument
from chaincut.result.models import ScanResult
from chaincut.store.schema import (
    Artifact,
    ArtifactBlob,
    ArtifactIndicator,
    ArtifactName,
    CustodyArtifact,
    CustodyRow,
    IndicatorRow,
)
from chaincut.store.util import (
    clean_text,
    digest,
    insert_ignore,
    json_text,
    looks_like_url,
    utcnow,
)

# Core tables: executemany of plain INSERTs, without the ORM's bulk-insert bookkeeping
ARTIFACTS = cast(Table, Artifact.__table__)
ARTIFACT_INDICATORS = cast(Table, ArtifactIndicator.__table__)
CUSTODY = cast(Table, CustodyRow.__table__)
CUSTODY_ARTIFACTS = cast(Table, CustodyArtifact.__table__)


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


def add_names(
    session: Session, sha256: str, values: list[str], now: dt.datetime, kind: str | None = None
) -> None:
    """Remember paths/URLs an artifact arrived under (duplicates ignored)."""
    insert_ignore(session, ArtifactName.__table__,  # type: ignore[arg-type]
                  name_rows(sha256, values, now, kind))


def name_rows(
    sha256: str, values: list[str], now: dt.datetime, kind: str | None = None
) -> list[dict[str, Any]]:
    """Rows of ``artifact_names``: a value's kind is ``kind``, else URL or path by its look."""
    rows = []
    for value in values:
        text = clean_text(value)
        name_kind = kind or ("url" if looks_like_url(text) else "path")
        rows.append(
            {"sha256": sha256, "kind": name_kind, "value": text, "digest": digest(text),
             "first_seen": now}
        )
    return rows


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


IndicatorTuple = tuple[str, str, str, str | None, bool, bool | None, Any, str | None]
CHUNK = 400  # rows per multi-row INSERT / IN list (well under SQLite's variable limit)


@dataclass(slots=True)
class Prepared:
    """One judged artifact, ready to be written: everything but what the store decides."""

    sha256: str
    columns: dict[str, Any]
    urls: list[str]
    icons: dict[str, bytes]
    # (kind, cleaned value, digest of the value, role, common, verified, location as JSON,
    # provider)
    indicators: list[IndicatorTuple] = field(
        default_factory=list
    )
    details: dict[str, Any] = field(default_factory=dict)  # custody: kind, verdict, score
    versions: dict[str, Any] = field(default_factory=dict)  # custody: versions, extractor
    # the worker already put the artifact's bytes and its icons in the blob store (not yet
    # synced); ``icons`` then maps each icon's sha256 to b"" (the bytes are not passed on)
    written: bool = False


def prepare(result: ExtractionResult, scan: ScanResult) -> Prepared:
    """The database-free part of writing one artifact (runs in ingest's workers)."""
    doc = result.document
    indicators: list[IndicatorTuple] = []
    for ind in scan.indicators:
        value = clean_text(ind.value)
        location = ind.location.model_dump(mode="json") if ind.location else None
        indicators.append(
            (ind.kind[:64], value, digest(value), ind.role, ind.common, ind.verified, location,
             ind.provider[:64] if ind.provider else None)
        )
    details = {"kind": doc.kind, "verdict": scan.verdict, "score": scan.score}
    versions = {"knowledge_version": scan.knowledge_version,
                "rules_version": scan.rules_version, "extractor": doc.extractor}
    columns = _columns(scan, doc, None)
    for big in ("facts", "result"):  # encoded here, in parallel, not by the one writer
        columns[big] = json_text(columns[big])
    return Prepared(doc.sha256, columns, urls_of(doc), dict(result.blobs),
                    indicators, details, versions)


def write_batch(
    session: Session,
    items: list[tuple[Prepared, str, str | None]],
    now: dt.datetime,
    actor: str,
) -> list[bool]:
    """Write (prepared artifact, source path, blob path) items in order, in the caller's
    transaction, each with its custody entry; True for each artifact that was new.

    The same as :func:`write_artifact` per item, in a handful of statements: a file seen
    twice in one batch is new the first time and refreshed the second.
    """
    shas = list(dict.fromkeys(p.sha256 for p, _, _ in items))
    present = _stored(session, shas)
    flags: list[bool] = []
    inserts: dict[str, dict[str, Any]] = {}
    updates: list[dict[str, Any]] = []
    for prepared, _, blob_rel in items:
        new = prepared.sha256 not in present
        flags.append(new)
        if new:
            # every row names the same columns: one executemany takes its keys from the
            # first row, so a blob path present on some rows only would be dropped
            present.add(prepared.sha256)
            inserts[prepared.sha256] = {"sha256": prepared.sha256, "first_seen": now,
                                        "last_seen": now, "blob_path": blob_rel,
                                        **prepared.columns}
        else:  # an update keeps a stored blob path when this run kept no blob
            kept = {"blob_path": blob_rel} if blob_rel else {}
            updates.append({"sha": prepared.sha256, "last_seen": now,
                            **prepared.columns, **kept})
    if inserts:
        session.execute(insert(ARTIFACTS), list(inserts.values()))
    for values in updates:
        sha = values.pop("sha")
        session.execute(update(Artifact).where(Artifact.sha256 == sha).values(**values))
    names, icons = [], []
    for prepared, source, _ in items:
        names += name_rows(prepared.sha256, [source], now)
        names += name_rows(prepared.sha256, prepared.urls, now, kind="url")
        icons += [{"sha256": prepared.sha256, "blob": b, "role": "icon"}
                  for b in sorted(prepared.icons)]
    _insert_chunked(session, ArtifactName.__table__, names)
    _insert_chunked(session, ArtifactBlob.__table__, icons)
    last = {p.sha256: p for p, _, _ in items}  # a second sighting's indicators replace
    _batch_indicators(session, list(last.values()))
    _custody(session, items, flags, actor)
    return flags


def _stored(session: Session, shas: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(shas), CHUNK):
        chunk = shas[start : start + CHUNK]
        found.update(session.scalars(select(Artifact.sha256).where(Artifact.sha256.in_(chunk))))
    return found


def _insert_chunked(session: Session, table: Any, rows: list[dict[str, Any]]) -> None:
    insert_ignore(session, table, rows)  # one executemany: no bound-variable limit


def _batch_indicators(session: Session, items: list[Prepared]) -> None:
    """Replace each artifact's indicator links with those of its (last) scan."""
    shas = [p.sha256 for p in items]
    for start in range(0, len(shas), CHUNK):
        chunk = shas[start : start + CHUNK]
        session.execute(delete(ArtifactIndicator).where(ArtifactIndicator.sha256.in_(chunk)))
    unique: dict[tuple[str, str], str] = {}
    for p in items:
        for kind, value, dig, *_ in p.indicators:
            unique.setdefault((kind, dig), value)
    if not unique:
        return
    _insert_chunked(session, IndicatorRow.__table__,
                    [{"kind": k, "digest": d, "value": v} for (k, d), v in unique.items()])
    ids = _indicator_ids(session, list(unique))
    links = [
        {"sha256": p.sha256, "ordinal": ordinal, "indicator_id": ids[(kind, dig)],
         "role": role, "common": common, "verified": verified, "location": location,
         "provider": provider}
        for p in items
        for ordinal, (kind, _, dig, role, common, verified, location, provider)
        in enumerate(p.indicators)
    ]
    if links:
        session.execute(insert(ARTIFACT_INDICATORS), links)


def _custody(session: Session, items: list[tuple[Prepared, str, str | None]],
             flags: list[bool], actor: str) -> None:
    """One ingest entry per item, in input order (as :func:`custody.add_entry` writes)."""
    if not items:
        return
    who = clean_text(actor)
    rows = [
        {"at": utcnow(), "actor": who, "action": "ingest", "subject": clean_text(source),
         "details": {"sha256": prepared.sha256, "new": new, "path": source,
                     **prepared.details, "blob": blob_rel, **prepared.versions}}
        for (prepared, source, blob_rel), new in zip(items, flags, strict=True)
    ]
    # one executemany; the ids come back in the rows' order, so each link is its own
    custody = CUSTODY
    statement = insert(custody).returning(custody.c.id, sort_by_parameter_order=True)
    ids = session.scalars(statement, rows).all()
    session.execute(insert(CUSTODY_ARTIFACTS), [
        {"custody": row_id, "sha256": prepared.sha256}
        for row_id, (prepared, _, _) in zip(ids, items, strict=True)
    ])
