"""Extraction and scanning on a Dask cluster; the driver still writes, in input order.

``--dask local`` starts a LocalCluster of worker processes (one per ``--jobs`` or per
core); any other value is a scheduler address. Workers must be able to read the input
paths (a shared file system). Each task extracts one file under the per-file budget
(a forked child, when the worker process may have children) and judges it with a scan
context loaded once per worker process.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterator
from multiprocessing import current_process
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chaincut.extractors.budget import Budget, Job, extract_file, run_budgeted
from chaincut.extractors.dispatch import ExtractionResult, failed_document
from chaincut.result.models import ScanResult
from chaincut.store.scanning import IngestScanner, fallback_scan, scan_for_ingest

if TYPE_CHECKING:
    from chaincut.store.ingest import IngestOptions

_SCANNERS: dict[tuple[tuple[str, ...], tuple[str, ...]], IngestScanner] = {}
WINDOW_PER_WORKER = 4


def _scanner(brands: tuple[str, ...], rules: tuple[str, ...]) -> IngestScanner:
    key = (brands, rules)
    if key not in _SCANNERS:
        _SCANNERS[key] = IngestScanner.load([Path(b) for b in brands], [Path(r) for r in rules])
    return _SCANNERS[key]


def scan_task(job: Job, budget: Budget, brands: tuple[str, ...],
              rules: tuple[str, ...]) -> tuple[ExtractionResult, ScanResult]:
    """Runs on a Dask worker: extract one file under budget, then judge it."""
    if current_process().daemon:  # may not fork: extract in-process, unbudgeted
        result = extract_file(job, keep_blobs=True)
    else:
        result = next(iter(run_budgeted([job], budget, 1)))
    return result, scan_for_ingest(result, _scanner(brands, rules))


def _client(address: str, workers: int | None) -> tuple[Any, Any]:
    import dask
    from distributed import Client, LocalCluster

    if address != "local":
        return Client(address), None  # type: ignore[no-untyped-call]
    dask.config.set({"distributed.worker.daemon": False})  # let workers fork budgeted children
    cluster = LocalCluster(  # type: ignore[no-untyped-call]
        n_workers=workers or os.cpu_count() or 1, threads_per_worker=1, processes=True,
        dashboard_address=None, host="127.0.0.1",
    )
    return Client(cluster), cluster  # type: ignore[no-untyped-call]


def dask_scanned(jobs: list[Job], options: IngestOptions) -> Iterator[tuple[ExtractionResult,
                                                                             ScanResult]]:
    """Results in input order, with a bounded number of tasks in flight."""
    client, cluster = _client(options.dask or "local", options.workers)
    brands = tuple(str(Path(b).resolve()) for b in options.brands)
    rules = tuple(str(Path(r).resolve()) for r in options.rules)
    try:
        width = max(1, len(client.scheduler_info().get("workers", {}))) * WINDOW_PER_WORKER
        flight: deque[tuple[Job, Any]] = deque()
        queue = iter(jobs)
        for job in queue:
            flight.append((job, client.submit(scan_task, job, options.budget, brands, rules,
                                              pure=False)))
            if len(flight) >= width:
                yield _gather(*flight.popleft())
        while flight:
            yield _gather(*flight.popleft())
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _gather(job: Job, future: Any) -> tuple[ExtractionResult, ScanResult]:
    try:
        result: tuple[ExtractionResult, ScanResult] = future.result()
        return result
    except Exception as exc:  # a lost worker or task error: the file is reported as failed
        doc = failed_document(job.display, None, f"dask task failed: {type(exc).__name__}")
        extraction = ExtractionResult(doc)
        return extraction, fallback_scan(extraction)
