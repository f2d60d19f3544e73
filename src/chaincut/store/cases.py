"""Case import and reference resolution: a victim report's artifacts, as sha256.

A reference is a file path (relative to the CSV), a URL or a sha256. A URL resolves to
the artifact stored under it (the URL's own ``url`` artifact, or a file downloaded from
it), else to the page saved from it (saved-from URL or canonical link), else to the QR
code that encodes it; ``chaincut ingest`` stores a ``url`` artifact of its own for a URL
nothing matches, so a well-formed link always resolves. Anything else is kept as text
and reported as unresolved with its reason, so a report never loses an entry silently.
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


def resolve(
    session: Session, ref: str, base_dir: Path, links: UrlIndex | None = None
) -> str | None:
    """sha256 of the stored artifact a reference names, or None."""
    ref = ref.strip()
    if looks_like_sha256(ref) and _stored(session, ref.lower()):
        return ref.lower()
    if looks_like_url(ref):
        found = _resolve_url(session, ref)
        if found is None:
            found = (links or UrlIndex(session)).find(ref)
        return found
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


def url_key(url: str) -> str:
    """One spelling of a URL for matching: case-folded scheme and host, no trailing slash."""
    url = url.strip()
    head, sep, rest = url.partition("://")
    if not sep:
        return url.rstrip("/")
    host, slash, path = rest.partition("/")
    return f"{head.casefold()}://{host.casefold()}{slash}{path}".rstrip("/")


class UrlIndex:
    """Stored pages by the URL they were saved from, and QR codes by the URL they encode.

    Built on first use from the stored facts; pages win over QR codes for one URL, since
    the page is what the link showed the victim.
    """

    def __init__(self, session: Session) -> None:
        self._session = session
        self._map: dict[str, str] | None = None

    def find(self, url: str) -> str | None:
        if self._map is None:
            self._map = self._build()
        return self._map.get(url_key(url))

    def _build(self) -> dict[str, str]:
        out: dict[str, str] = {}
        query = (
            select(Artifact.sha256, Artifact.kind, Artifact.facts)
            .where(Artifact.kind.in_(("page", "qr")))
            .order_by(Artifact.kind, Artifact.sha256)
        )
        for sha, kind, facts in self._session.execute(query):
            for url in facts_urls(kind, facts):
                out.setdefault(url_key(url), sha)
        return out


def facts_urls(kind: str, facts: object) -> list[str]:
    """The URLs a stored page is saved from or a stored QR code encodes."""
    if not isinstance(facts, dict):
        return []
    part = facts.get(kind)
    if not isinstance(part, dict):
        return []
    if kind == "page":
        url = part.get("url")
        return [url] if isinstance(url, str) and url else []
    out: list[str] = []
    for code in part.get("codes") or []:
        if isinstance(code, dict):
            out += [v for v in (code.get("url"), code.get("payload")) if isinstance(v, str)]
    return out


def unresolved_reason(ref: str, base_dir: Path) -> str:
    """Why a reference matched nothing, in words an analyst can act on."""
    ref = ref.strip()
    if not ref:
        return "empty reference"
    if looks_like_sha256(ref):
        return "no stored artifact has this sha256"
    if looks_like_url(ref):
        return "no stored artifact, page or QR code matches this URL"
    path = Path(ref).expanduser()
    path = path if path.is_absolute() else base_dir / path
    if not path.exists():
        return f"file not found: {path}"
    return f"file {path} is not stored (it failed to ingest)"


def import_cases(
    session: Session, rows: Sequence[CaseRow], source: str, base_dir: Path, actor: str
) -> CaseImport:
    """Add or update every case (caller's transaction); log one custody entry."""
    added = updated = 0
    unresolved: list[Unresolved] = []
    resolved: list[str] = []
    now = utcnow()
    links = UrlIndex(session)
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
            sha = resolve(session, ref, base_dir, links)
            session.add(CaseArtifact(case_pk=case.id, ordinal=ordinal,
                                     reference=clean_text(ref), sha256=sha))
            if sha is None:
                unresolved.append(Unresolved(case_id=row.case_id, region=row.region, ref=ref,
                                             reason=unresolved_reason(ref, base_dir)))
            else:
                resolved.append(sha)
    details = {
        "source": source, "added": added, "updated": updated,
        "unresolved": [u.model_dump() for u in unresolved[:1000]],
    }
    add_entry(session, actor, "case-import", source, details, resolved)
    return CaseImport(added=added, updated=updated, unresolved=unresolved,
                      resolved=list(dict.fromkeys(resolved)))
