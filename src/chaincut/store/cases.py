"""Case import and reference resolution: a victim report's artifacts, as sha256.

A reference is a file path (relative to the CSV), a URL or a sha256. It resolves only to
an artifact that is stored; anything else is kept as text and reported as unresolved,
so a report never loses an entry silently.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from chaincut.extractors.regular import open_regular
from chaincut.store.custody import add_entry
from chaincut.store.records import CaseImport, CaseRow, Unresolved
from chaincut.store.schema import Artifact, ArtifactName, Case, CaseArtifact
from chaincut.store.util import clean_text, digest, looks_like_sha256, looks_like_url, utcnow


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open_regular(path) as fh:  # a FIFO or device is refused, never waited on
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def reference_path(ref: str, base_dir: Path) -> Path | None:
    """The file a reference names, when it is a path to an existing file."""
    if looks_like_url(ref) or not ref.strip():
        return None
    path = Path(ref.strip()).expanduser()
    path = path if path.is_absolute() else base_dir / path
    return path if path.is_file() else None


def _stored(session: Session, sha256: str) -> bool:
    return session.get(Artifact, sha256) is not None


def _url_variants(url: str) -> list[str]:
    trimmed = url.rstrip("/")
    return list(dict.fromkeys([url, trimmed, trimmed + "/"]))


def resolve(session: Session, ref: str, base_dir: Path) -> str | None:
    """sha256 of the stored artifact a reference names, or None."""
    ref = ref.strip()
    if looks_like_sha256(ref) and _stored(session, ref.lower()):
        return ref.lower()
    if looks_like_url(ref):
        return _resolve_url(session, ref)
    path = reference_path(ref, base_dir)
    if path is None:
        return None
    try:
        sha = file_sha256(path)
    except OSError:
        return None
    return sha if _stored(session, sha) else None


def _resolve_url(session: Session, url: str) -> str | None:
    """The URL's own document (sha256 of the string) or an artifact fetched from it."""
    variants = _url_variants(url)
    for variant in variants:
        sha = hashlib.sha256(variant.encode("utf-8", "surrogatepass")).hexdigest()
        if _stored(session, sha):
            return sha
    query = (
        select(ArtifactName.sha256)
        .where(ArtifactName.kind == "url", ArtifactName.digest.in_([digest(v) for v in variants]))
        .order_by(ArtifactName.id)
        .limit(1)
    )
    return session.scalar(query)


def import_cases(
    session: Session, rows: Sequence[CaseRow], source: str, base_dir: Path, actor: str
) -> CaseImport:
    """Add or update every case (caller's transaction); log one custody entry."""
    added = updated = 0
    unresolved: list[Unresolved] = []
    resolved: list[str] = []
    now = utcnow()
    for row in rows:
        case = session.scalar(
            select(Case).where(Case.region == row.region, Case.case_id == row.case_id)
        )
        if case is None:
            case = Case(case_id=row.case_id, region=row.region, imported_at=now)
            session.add(case)
            added += 1
        else:
            session.execute(delete(CaseArtifact).where(CaseArtifact.case_pk == case.id))
            updated += 1
        case.reported_at = row.reported_at
        case.loss_amount = row.loss_amount
        case.notes = clean_text(row.notes)
        case.source_file = clean_text(source)
        case.imported_at = now
        session.flush()
        for ordinal, ref in enumerate(row.artifacts):
            sha = resolve(session, ref, base_dir)
            session.add(CaseArtifact(case_pk=case.id, ordinal=ordinal,
                                     reference=clean_text(ref), sha256=sha))
            if sha is None:
                unresolved.append(Unresolved(case_id=row.case_id, region=row.region, ref=ref))
            else:
                resolved.append(sha)
    details = {
        "source": source, "added": added, "updated": updated,
        "unresolved": [u.model_dump() for u in unresolved[:1000]],
    }
    add_entry(session, actor, "case-import", source, details, resolved)
    return CaseImport(added=added, updated=updated, unresolved=unresolved,
                      resolved=list(dict.fromkeys(resolved)))
