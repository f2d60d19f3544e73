"""Ingest: extract, judge and store every input, committed in batches, in input order.

Inputs are settled in input order. A file whose sha256 is already stored is only
recorded as seen again (no re-extraction unless ``rescan``); new files are extracted and
judged in budgeted worker processes (or on Dask), which also prepare the rows
(:func:`chaincut.store.writer.prepare`). This process is the one writer: it collects
prepared artifacts into batches (``BATCH_ITEMS`` artifacts, ``BATCH_BYTES`` of input or
``BATCH_SECONDS``, whichever comes first), makes their blobs durable with one
file-system sync (the workers wrote them already; on Dask, or for a URL input, this
process writes them), and commits the batch's rows, custody entries and the run's cursor
past them in one transaction (failures settled between batches move the cursor on their
own). So a run killed at any moment resumes where it stopped, and nothing committed is
ever lost or half-written.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from chaincut.extractors.budget import Budget, Job, extract_file, run_pool
from chaincut.extractors.dispatch import ExtractionResult
from chaincut.extractors.regular import read_regular
from chaincut.result.models import ScanResult
from chaincut.store.blobs import BlobStore
from chaincut.store.cases import file_sha256
from chaincut.store.records import Failure, IngestSummary
from chaincut.store.runs import RunProgress
from chaincut.store.scanning import IngestScanner, scan_for_ingest
from chaincut.store.store import Store
from chaincut.store.writer import Prepared, prepare

SAVE_EVERY_SECONDS = 1.0
# CHAINCUT_INGEST_BATCH_ITEMS caps a batch lower (1: every artifact its own commit), so
# that crash tests can land a kill between commits however fast the machine is
BATCH_ITEMS = max(1, int(os.environ.get("CHAINCUT_INGEST_BATCH_ITEMS", "") or 200))
BATCH_BYTES = 64 * 1024 * 1024
BATCH_SECONDS = 2.0


@dataclass(frozen=True, slots=True)
class IngestOptions:
    budget: Budget = field(default_factory=lambda: Budget(keep_blobs=True))
    workers: int | None = None
    rescan: bool = False
    dask: str | None = None  # scheduler address, or "local" for a LocalCluster
    brands: tuple[Path, ...] = ()
    rules: tuple[Path, ...] = ()


@dataclass(slots=True)
class _Pending:
    index: int
    job: Job
    sha256: str


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a worker hands the writer for one file: the prepared artifact, or why not."""

    sha256: str
    prepared: Prepared | None
    failure: str | None = None


def outcome_of(result: ExtractionResult, scan: ScanResult | None) -> Outcome:
    reason = extraction_failed(result)
    if reason is not None or scan is None:
        return Outcome(result.document.sha256, None, reason or "not judged")
    return Outcome(result.document.sha256, prepare(result, scan))


class IngestWork:
    """The work of one ingest worker: extract, judge, prepare the rows (never raises).

    Forked workers share the scan context loaded by the driver (copy-on-write). Given the
    store's blob folder, a worker also puts a file's bytes and icons there itself (hashed
    once, when read for extraction; atomically renamed into place, not yet synced): the
    writer then only makes them durable, with one sync per batch, before committing."""

    def __init__(self, scanner: IngestScanner, blobs: BlobStore | None = None) -> None:
        self.scanner = scanner
        self.blobs = blobs
        if scanner.context is not None:
            scanner.context.warm()

    def __call__(self, job: Job) -> Outcome:
        if self.blobs is None or job.url is not None or job.data is not None:
            return self._judged(extract_file(job, keep_blobs=True))
        try:
            buf = read_regular(job.fspath)
        except (OSError, MemoryError):  # extract_file says why, as without a blob folder
            return self._judged(extract_file(job, keep_blobs=True))
        outcome = self._judged(extract_file(replace(job, data=buf), keep_blobs=True))
        prepared = outcome.prepared
        if prepared is None:
            return outcome
        # the document's sha256 is that of ``buf``, computed when it was read; the main
        # process makes these durable (BlobStore.adopt), so this copy forgets them
        try:
            self.blobs.put(prepared.sha256, buf, sync=False, hashed=True)
            for sha, data in prepared.icons.items():
                self.blobs.put(sha, data, sync=False)
        except OSError as exc:  # disk full, permissions: this file fails, the worker lives
            return Outcome(prepared.sha256, None, f"cannot store blob: {exc.strerror or exc}")
        finally:
            self.blobs.forget_unsynced()
        prepared.icons = dict.fromkeys(prepared.icons, b"")
        prepared.written = True
        return outcome

    def _judged(self, result: ExtractionResult) -> Outcome:
        if extraction_failed(result) is not None:
            return outcome_of(result, None)
        return outcome_of(result, scan_for_ingest(result, self.scanner))


def _worker_failed(job: Job, reason: str) -> Outcome:
    return Outcome("", None, reason)


def extraction_failed(result: ExtractionResult) -> str | None:
    """Why extraction produced no facts at all (budget, worker death, unreadable), or None.

    Documents built by the dispatcher always carry ``elapsed_ms``; the placeholder
    documents of ``failed_document`` (over budget, unreadable) do not.
    """
    doc = result.document
    if doc.elapsed_ms is None or not doc.sha256:
        return "; ".join(doc.errors) or "extraction failed"
    return None


def job_bytes(job: Job) -> bytes:
    """What a job's artifact is: the file's bytes, or a URL input's text (the URL
    document's sha256 is that of the URL string, as for ``chaincut scan URL``)."""
    if job.url is not None:
        return job.url.encode("utf-8", "surrogatepass")
    return read_regular(job.fspath)


def _job_sha256(job: Job) -> str:
    if job.url is not None:
        return hashlib.sha256(job_bytes(job)).hexdigest()
    return file_sha256(Path(job.fspath))


class Ingest:
    """One ingest run over a list of jobs."""

    def __init__(self, store: Store, scanner: IngestScanner, options: IngestOptions,
                 on_settled: Callable[[int], None] | None = None) -> None:
        self.store = store
        self.scanner = scanner
        self.options = options
        self.on_settled = on_settled or (lambda _n: None)
        self.new = self.existing = 0
        self.failures: list[Failure] = []
        self._settled: list[bool] = []
        self._cursor = 0
        self._saved_at = 0.0

    def run(self, jobs: list[Job]) -> IngestSummary:
        inputs = [j.url or str(Path(j.fspath).resolve()) for j in jobs]
        versions = (self.scanner.knowledge_version, self.scanner.rules_version)
        run = self.store.start_run(inputs, versions)
        self._settled = [i < run.cursor for i in range(len(jobs))]
        self._cursor = run.cursor
        if run.cursor:
            self.on_settled(run.cursor)
        try:
            pending = self._triage(jobs, inputs, run.cursor, run.id)
            self._store_all(pending, inputs, run.id)
        except BaseException as exc:
            status = "interrupted" if isinstance(exc, KeyboardInterrupt) else "failed"
            with contextlib.suppress(Exception):  # the store itself may be what failed
                self._save(run.id, status)
            raise
        self._save(run.id, "done")
        return IngestSummary(
            run_id=run.id, resumed_from=run.resumed_from, resumed_at=run.cursor,
            total=len(jobs), new=self.new, existing=self.existing, failures=self.failures,
            fallback=self.scanner.is_fallback,
        )

    def _triage(self, jobs: list[Job], inputs: list[str], start: int, run_id: int
                ) -> list[_Pending]:
        """Hash every unsettled input; settle those already stored; return the rest."""
        hashed: list[tuple[int, str]] = []
        for index in range(start, len(jobs)):
            try:
                hashed.append((index, _job_sha256(jobs[index])))
            except OSError as exc:
                self._fail(index, jobs[index].display, f"cannot read: {exc.strerror}", run_id)
        stored = set() if self.options.rescan else self.store.known([sha for _, sha in hashed])
        pending: list[_Pending] = []
        for index, sha in hashed:
            if sha in stored and self.store.add_seen(sha, inputs[index]):
                self.existing += 1
                self._settle(index, run_id)
            else:
                pending.append(_Pending(index, jobs[index], sha))
        return pending

    def _store_all(self, pending: list[_Pending], inputs: list[str], run_id: int) -> None:
        batch: list[tuple[_Pending, Prepared, bytes | None]] = []
        size, opened = 0, 0.0
        for item, outcome in zip(pending, self._outcomes(pending), strict=True):
            reason = outcome.failure
            if outcome.prepared is not None:
                raw: bytes | None = None
                if not outcome.prepared.written:
                    raw, reason = self._bytes(item, outcome)
                elif outcome.sha256 != item.sha256:  # the worker stored what it extracted
                    reason = "the file changed while it was being ingested"
                if reason is None:
                    if not batch:
                        opened = time.monotonic()
                    batch.append((item, outcome.prepared, raw))
                    size += outcome.prepared.columns["size"] or 0
            if reason is not None:
                self._fail(item.index, item.job.display, reason, run_id)
            if batch and (len(batch) >= BATCH_ITEMS or size >= BATCH_BYTES
                          or time.monotonic() - opened >= BATCH_SECONDS):
                self._write(batch, inputs, run_id)
                batch, size = [], 0
        if batch:
            self._write(batch, inputs, run_id)

    def _bytes(self, item: _Pending, outcome: Outcome) -> tuple[bytes | None, str | None]:
        """The file's bytes, when they are still the ones extracted; else why not."""
        if outcome.sha256 != item.sha256:
            return None, "the file changed while it was being ingested"
        try:
            raw = job_bytes(item.job)
        except OSError as exc:
            return None, f"cannot read: {exc.strerror}"
        if hashlib.sha256(raw).hexdigest() != item.sha256:
            return None, "the file changed while it was being ingested"
        return raw, None

    def _write(self, batch: list[tuple[_Pending, Prepared, bytes | None]], inputs: list[str],
               run_id: int) -> None:
        """Commit one batch (blobs made durable first) with the run's cursor past it,
        then settle its inputs."""
        indices = [item.index for item, _, _ in batch]
        cursor = self._cursor_after(indices)

        def progress(flags: list[bool]) -> RunProgress:
            added = sum(flags)
            return (run_id, cursor, self.new + added, self.existing + len(flags) - added,
                    len(self.failures))

        flags = self.store.add_prepared(
            [(prepared, inputs[item.index], raw) for item, prepared, raw in batch], progress
        )
        for index, is_new in zip(indices, flags, strict=True):
            self.new += is_new
            self.existing += not is_new
            self._settle(index, run_id, save=False)
        self._saved_at = time.monotonic()

    def _cursor_after(self, indices: list[int]) -> int:
        """Where the cursor will stand once ``indices`` are settled too."""
        done = set(indices)
        cursor = self._cursor
        while cursor < len(self._settled) and (self._settled[cursor] or cursor in done):
            cursor += 1
        return cursor

    def _outcomes(self, pending: list[_Pending]) -> Iterator[Outcome]:
        jobs = [p.job for p in pending]
        if not jobs:
            return iter(())
        if self.options.dask:
            from chaincut.store.dask_run import dask_scanned

            return (outcome_of(r, s) for r, s in dask_scanned(jobs, self.options))
        work = IngestWork(self.scanner, self.store.blobs)
        return run_pool(jobs, work, _worker_failed, self.options.budget,
                        self.options.workers)

    def _fail(self, index: int, path: str, reason: str, run_id: int) -> None:
        self.failures.append(Failure(path=path, reason=reason))
        self._settle(index, run_id)

    def _settle(self, index: int, run_id: int, save: bool = True) -> None:
        self._settled[index] = True
        while self._cursor < len(self._settled) and self._settled[self._cursor]:
            self._cursor += 1
        self.on_settled(1)
        if save and time.monotonic() - self._saved_at >= SAVE_EVERY_SECONDS:
            self._save(run_id)

    def _save(self, run_id: int, status: str | None = None) -> None:
        self._saved_at = time.monotonic()
        self.store.update_run(run_id, self._cursor, self.new, self.existing,
                              len(self.failures), status)
