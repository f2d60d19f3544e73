"""Ingest: extract, judge and store every input, one committed artifact at a time.

Inputs are settled in input order. A file whose sha256 is already stored is only
recorded as seen again (no re-extraction unless ``rescan``); new files are extracted in
budgeted worker processes (or on Dask) and written by this process, each in its own
transaction. The run's cursor is saved as it advances, so a run killed at any moment
resumes where it stopped, and nothing committed is ever lost.
"""

from __future__ import annotations

import contextlib
import hashlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from chaincut.extractors.budget import Budget, Job, run_budgeted
from chaincut.extractors.dispatch import ExtractionResult
from chaincut.result.models import ScanResult
from chaincut.store.cases import file_sha256
from chaincut.store.records import Failure, IngestSummary
from chaincut.store.scanning import IngestScanner, scan_for_ingest
from chaincut.store.store import Store

SAVE_EVERY_SECONDS = 1.0
Scanned = tuple[ExtractionResult, ScanResult]


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
    return Path(job.fspath).read_bytes()


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
        pending: list[_Pending] = []
        for index in range(start, len(jobs)):
            try:
                sha = _job_sha256(jobs[index])
            except OSError as exc:
                self._fail(index, jobs[index].display, f"cannot read: {exc.strerror}", run_id)
                continue
            if not self.options.rescan and self.store.add_seen(sha, inputs[index]):
                self.existing += 1
                self._settle(index, run_id)
            else:
                pending.append(_Pending(index, jobs[index], sha))
        return pending

    def _store_all(self, pending: list[_Pending], inputs: list[str], run_id: int) -> None:
        for item, (result, scan) in zip(pending, self._scanned(pending), strict=True):
            reason = extraction_failed(result)
            if reason is None:
                reason = self._store_one(item, result, scan, inputs[item.index])
            if reason is not None:
                self._fail(item.index, item.job.display, reason, run_id)
            else:
                self._settle(item.index, run_id)

    def _store_one(self, item: _Pending, result: ExtractionResult, scan: ScanResult,
                   source: str) -> str | None:
        try:
            raw = job_bytes(item.job)
        except OSError as exc:
            return f"cannot read: {exc.strerror}"
        if result.document.sha256 != item.sha256:
            return "the file changed while it was being ingested"
        try:
            is_new = self.store.add_result(result, scan, source, raw)
        except ValueError as exc:
            return str(exc)
        self.new += is_new
        self.existing += not is_new
        return None

    def _scanned(self, pending: list[_Pending]) -> Iterator[Scanned]:
        jobs = [p.job for p in pending]
        if not jobs:
            return iter(())
        if self.options.dask:
            from chaincut.store.dask_run import dask_scanned

            return dask_scanned(jobs, self.options)
        extracted = run_budgeted(jobs, self.options.budget, self.options.workers)
        return ((r, scan_for_ingest(r, self.scanner)) for r in extracted)

    def _fail(self, index: int, path: str, reason: str, run_id: int) -> None:
        self.failures.append(Failure(path=path, reason=reason))
        self._settle(index, run_id)

    def _settle(self, index: int, run_id: int) -> None:
        self._settled[index] = True
        while self._cursor < len(self._settled) and self._settled[self._cursor]:
            self._cursor += 1
        self.on_settled(1)
        if time.monotonic() - self._saved_at >= SAVE_EVERY_SECONDS:
            self._save(run_id)

    def _save(self, run_id: int, status: str | None = None) -> None:
        self._saved_at = time.monotonic()
        self.store.update_run(run_id, self._cursor, self.new, self.existing,
                              len(self.failures), status)
