"""The store's public face: one object per database, used by ingest, linking and the CLI.

Every write happens in a transaction together with its custody entries (ingest writes
many artifacts per transaction). Bytes go to the content-addressed blob directory, and are
made durable, before the row that names them is committed, so a kill at any moment
leaves either nothing or a complete artifact.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from chaincut.extractors.dispatch import ExtractionResult
from chaincut.link.chainset import ChainSet
from chaincut.link.model import ArtifactRecord, CaseRecord
from chaincut.result.models import ScanResult
from chaincut.store import cases, reader, runs
from chaincut.store.blobs import BlobStore
from chaincut.store.custody import add_entry, current_actor, read_entries
from chaincut.store.engine import (
    WRITE,
    current_revision,
    head_revision,
    known_revisions,
    make_engine,
    upgrade,
)
from chaincut.store.location import Location, StoreConfigError, resolve_location
from chaincut.store.records import (
    CaseImport,
    CaseRow,
    CustodyEntry,
    RunRecord,
    StoredArtifact,
    StoreStats,
)
from chaincut.store.runs import RunProgress
from chaincut.store.schema import (
    Artifact,
    Case,
    CaseArtifact,
    CustodyRow,
    IndicatorRow,
    Run,
)
from chaincut.store.util import utcnow
from chaincut.store.writer import Prepared, add_names, prepare, write_batch


class Store:
    """An opened, migrated store. Use :meth:`open`; close with :meth:`close` or ``with``."""

    def __init__(self, location: Location, engine: Engine, actor: str) -> None:
        self.location = location
        self.engine = engine
        self.blobs = BlobStore(location.blobs)
        self.actor = actor

    @classmethod
    def open(cls, url: str | None = None, blobs: Path | None = None,
             actor: str | None = None, *, create: bool = True) -> Store:
        """Open (creating and migrating as needed) the store at ``url``; with ``create``
        False (readers) a store that does not exist is a StoreConfigError naming it."""
        location = resolve_location(url, blobs, create=create)
        engine = make_engine(location.url)
        found = current_revision(engine)
        if not create and found is None:
            engine.dispose()
            raise StoreConfigError(
                f"no chaincut store in {location.display}: check --db (or CHAINCUT_DB), or "
                "fill it with `chaincut ingest` first"
            )
        if found is not None and found != head_revision() and found not in known_revisions():
            engine.dispose()
            raise StoreConfigError(
                f"the store {location.display} has schema revision {found!r}, which this "
                "chaincut does not know (written by a newer or development version): "
                "open it with that version, or upgrade chaincut"
            )
        upgrade(engine, found)
        if create:
            location.blobs.mkdir(parents=True, exist_ok=True)
        return cls(location, engine, current_actor(actor))

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[Session]:
        with Session(self.engine.execution_options(**WRITE)) as session, session.begin():
            yield session

    @contextmanager
    def _read(self) -> Iterator[Session]:
        with Session(self.engine) as session, session.begin():
            yield session

    # -- artifacts ---------------------------------------------------------------------

    def add_result(self, result: ExtractionResult, scan: ScanResult, source_path: str,
                   raw: bytes | None) -> bool:
        """Store one scanned artifact (and its icon blobs); True when it was not stored yet."""
        return self.add_prepared([(prepare(result, scan), source_path, raw)])[0]

    def add_prepared(self, items: Sequence[tuple[Prepared, str, bytes | None]],
                     progress: Callable[[list[bool]], RunProgress] | None = None
                     ) -> list[bool]:
        """Store prepared artifacts (with their bytes and icon blobs) in one transaction,
        each with its custody entry; True for each one that was not stored yet.

        Every blob is written first and made durable with one file-system sync for the
        whole batch, then the rows are committed: a committed row always has its blob.
        ``progress`` (a pure function of the new/existing flags) gives the run's state
        once the batch is in, saved in the same transaction: one commit per batch, and
        the cursor never runs ahead of (or behind) what is stored.
        """
        rows: list[tuple[Prepared, str, str | None]] = []
        for prepared, source_path, raw in items:
            if prepared.written:  # a worker wrote them: only made durable here
                self.blobs.adopt([prepared.sha256, *prepared.icons])
                rows.append((prepared, source_path, self.blobs.relative(prepared.sha256)))
                continue
            if raw is not None and hashlib.sha256(raw).hexdigest() != prepared.sha256:
                raise ValueError(f"{source_path}: bytes changed since extraction "
                                 "(sha256 differs)")
            blob_rel = None if raw is None else \
                self.blobs.put(prepared.sha256, raw, sync=False, hashed=True)
            for sha, data in prepared.icons.items():
                self.blobs.put(sha, data, sync=False)
            rows.append((prepared, source_path, blob_rel))
        self.blobs.sync()
        for attempt in range(2):
            try:
                with self._write() as session:
                    flags = write_batch(session, rows, utcnow(), self.actor)
                    if progress is not None:
                        runs.update_run(session, *progress(flags))
                    return flags
            except IntegrityError:  # a concurrent writer stored one first: now an update
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def add_seen(self, sha256: str, source_path: str) -> bool:
        """Record that a stored artifact arrived again under ``source_path``; False if unknown."""
        with self._write() as session:
            row = session.get(Artifact, sha256)
            if row is None:
                return False
            now = utcnow()
            row.last_seen = now
            add_names(session, sha256, [source_path], now)
            details = {"sha256": sha256, "new": False, "path": source_path,
                       "rescanned": False}
            add_entry(session, self.actor, "ingest", source_path, details, [sha256])
        return True

    def has(self, sha256: str) -> bool:
        with self._read() as session:
            return session.get(Artifact, sha256) is not None

    def known(self, shas: Sequence[str]) -> set[str]:
        """Which of ``shas`` are stored (one query per 500)."""
        found: set[str] = set()
        with self._read() as session:
            for start in range(0, len(shas), 500):
                chunk = list(shas[start : start + 500])
                found.update(session.scalars(select(Artifact.sha256).where(
                    Artifact.sha256.in_(chunk))))
        return found

    def iter_artifacts(self) -> Iterator[ArtifactRecord]:
        with self._read() as session:
            yield from reader.iter_artifacts(session)

    def artifact(self, sha256: str) -> StoredArtifact | None:
        with self._read() as session:
            return reader.stored_artifact(session, sha256.lower(), self.blobs.root)

    # -- cases -------------------------------------------------------------------------

    def resolve(self, ref: str, base_dir: Path) -> str | None:
        with self._read() as session:
            return cases.resolve(session, ref, base_dir)

    def unmatched_urls(self, urls: Sequence[str]) -> list[str]:
        """The URLs no stored artifact, saved page or QR code matches."""
        with self._read() as session:
            links = cases.UrlIndex(session)
            return [u for u in urls if cases.resolve(session, u, Path("."), links) is None]

    def add_cases(self, rows: Sequence[CaseRow], source: str,
                  base_dir: Path | None = None) -> CaseImport:
        """Import validated case rows in one transaction (all or nothing)."""
        base = base_dir if base_dir is not None else Path(source).resolve().parent
        with self._write() as session:
            return cases.import_cases(session, rows, source, base, self.actor)

    def rejudge(self, chainset: ChainSet) -> int:
        """Bring chain members' stored verdicts in line with the chains (store/rejudge.py)."""
        from chaincut.store.rejudge import apply_chains

        with self._write() as session:
            return apply_chains(session, chainset, self.actor)

    def iter_cases(self) -> Iterator[CaseRecord]:
        with self._read() as session:
            yield from reader.iter_cases(session)

    # -- custody and runs --------------------------------------------------------------

    def log(self, action: str, subject: str, details: dict[str, Any],
            artifacts: Sequence[str] = ()) -> int:
        """Add a custody entry (exports, edits, deletions by other commands)."""
        with self._write() as session:
            return add_entry(session, self.actor, action, subject, details, artifacts)

    def custody(self, sha256: str | None = None) -> list[CustodyEntry]:
        with self._read() as session:
            return read_entries(session, sha256.lower() if sha256 else None)

    def start_run(self, inputs: Sequence[str], versions: tuple[str, str]) -> RunRecord:
        with self._write() as session:
            return runs.start_run(session, self.actor, inputs, versions)

    def update_run(self, run_id: int, cursor: int, new: int, existing: int, failed: int,
                   status: str | None = None) -> None:
        with self._write() as session:
            runs.update_run(session, run_id, cursor, new, existing, failed, status)

    def runs(self) -> list[RunRecord]:
        with self._read() as session:
            return runs.list_runs(session)

    def stats(self) -> StoreStats:
        with self._read() as session:
            kb = session.scalars(select(Artifact.knowledge_version).distinct())
            rules = session.scalars(select(Artifact.rules_version).distinct())
            return StoreStats(
                url=self.location.display, blobs=str(self.blobs.root),
                schema_revision=current_revision(self.engine),
                artifacts=reader.count(session, Artifact),
                by_kind=reader.grouped(session, Artifact.kind),
                by_verdict=reader.grouped(session, Artifact.verdict),
                indicators=reader.count(session, IndicatorRow),
                cases=reader.count(session, Case),
                case_artifacts=reader.count(session, CaseArtifact),
                unresolved=int(session.scalar(
                    select(func.count()).select_from(CaseArtifact)
                    .where(CaseArtifact.sha256.is_(None))) or 0),
                custody_entries=reader.count(session, CustodyRow),
                runs=reader.count(session, Run),
                blob_files=sum(1 for _ in self.blobs.files()),
                knowledge_versions=sorted(v for v in kb if v),
                rules_versions=sorted(v for v in rules if v),
            )

