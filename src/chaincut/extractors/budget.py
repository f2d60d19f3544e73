"""Per-file time and memory budgets: no single hostile file may hang or exhaust a run.

Each file is extracted in a forked worker process whose address space is capped
(RLIMIT_AS). The parent watches the clock: a worker that exceeds the time budget is
killed and replaced, and the file still gets a document saying what happened. Results
come back in input order.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import resource
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess

from chaincut.extractors.dispatch import (
    ExtractionResult,
    extract_sample,
    failed_document,
    make_sample,
)


@dataclass(frozen=True, slots=True)
class Budget:
    """Limits for one file. ``memory_mb`` caps each worker's address space."""

    seconds: float = 120.0
    memory_mb: int = 3072
    keep_blobs: bool = False


@dataclass(frozen=True, slots=True)
class Job:
    """One file to extract: the path as the user gave it and the path to open."""

    display: str
    fspath: str
    url: str | None = None  # a URL input: analysed in-process, no file is read
    data: bytes | None = None  # bytes already in hand (a fetched body): no file is read


def extract_file(job: Job, keep_blobs: bool = True) -> ExtractionResult:
    """Read and extract one file in this process (no isolation); never raises."""
    if job.url is not None:
        from chaincut.extractors.url import url_document  # lazy: url imports dispatch

        return url_document(job.url)
    if job.data is not None:
        return _extracted(job.display, job.data, keep_blobs)
    try:
        with open(job.fspath, "rb") as fh:
            buf = fh.read()
    except OSError as exc:
        return ExtractionResult(failed_document(job.display, None, f"cannot read: {exc.strerror}"))
    except MemoryError:
        return ExtractionResult(
            failed_document(job.display, None, "file too large for the memory budget")
        )
    return _extracted(job.display, buf, keep_blobs)


def _extracted(display: str, buf: bytes, keep_blobs: bool) -> ExtractionResult:
    result = extract_sample(make_sample(display, buf))
    if not keep_blobs:
        result.blobs = {}
    return result


def _worker(conn: Connection, memory_mb: int, keep_blobs: bool) -> None:
    """Worker loop: receive jobs, send results, until told to stop (None)."""
    limit = memory_mb * 1024 * 1024
    with contextlib.suppress(ValueError, OSError):  # a lower hard limit may already hold
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    while True:
        try:
            item = conn.recv()
        except EOFError:
            return
        if item is None:
            return
        index, job = item
        conn.send((index, extract_file(job, keep_blobs)))


class _Slot:
    """One worker process and the job it is running."""

    def __init__(self, ctx: mp.context.BaseContext, budget: Budget) -> None:
        parent, child = mp.Pipe()
        self.conn: Connection = parent
        self.process: BaseProcess = ctx.Process(  # type: ignore[attr-defined]
            target=_worker, args=(child, budget.memory_mb, budget.keep_blobs), daemon=True
        )
        self.process.start()
        child.close()
        self.job: tuple[int, Job] | None = None
        self.started = 0.0

    def submit(self, index: int, job: Job) -> None:
        self.job = (index, job)
        self.started = time.monotonic()
        self.conn.send((index, job))

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


def run_budgeted(
    jobs: Iterable[Job],
    budget: Budget = Budget(),
    workers: int | None = None,
    on_result: Callable[[ExtractionResult], None] | None = None,
) -> Iterator[ExtractionResult]:
    """Extract every job in worker processes; yield results in input order."""
    queue = list(enumerate(jobs))
    if not queue:
        return
    ctx = mp.get_context("fork")
    count = max(1, min(workers or os.cpu_count() or 1, len(queue)))
    slots = [_Slot(ctx, budget) for _ in range(count)]
    done: dict[int, ExtractionResult] = {}
    next_out, cursor = 0, 0
    try:
        while next_out < len(queue):
            for slot in slots:
                if slot.job is None and cursor < len(queue):
                    slot.submit(*queue[cursor])
                    cursor += 1
            for result_index, result in _collect(slots, ctx, budget):
                done[result_index] = result
                if on_result:
                    on_result(result)
            while next_out in done:
                yield done.pop(next_out)
                next_out += 1
    finally:
        for slot in slots:
            if slot.process.is_alive() and slot.job is None:
                with contextlib.suppress(OSError):
                    slot.conn.send(None)
            slot.kill()


def _collect(
    slots: list[_Slot], ctx: mp.context.BaseContext, budget: Budget
) -> Iterator[tuple[int, ExtractionResult]]:
    """Wait briefly for results; replace workers that died or ran out of time."""
    busy = [s for s in slots if s.job is not None]
    if not busy:
        return
    deadline = min(s.started for s in busy) + budget.seconds
    ready = wait([s.conn for s in busy], timeout=max(0.0, deadline - time.monotonic()))
    now = time.monotonic()
    for i, slot in enumerate(slots):
        if slot.job is None:
            continue
        index, job = slot.job
        if slot.conn in ready:
            try:
                got_index, result = slot.conn.recv()
                slot.job = None
                yield got_index, result
                continue
            except (EOFError, OSError):
                reason = _death_reason(slot, budget)
        elif now - slot.started >= budget.seconds:
            reason = f"time budget of {budget.seconds:g} s exceeded; extraction stopped"
        else:
            continue
        slot.kill()
        slots[i] = _Slot(ctx, budget)
        yield index, ExtractionResult(failed_document(job.display, _read_quietly(job), reason))


def _death_reason(slot: _Slot, budget: Budget) -> str:
    slot.process.join(timeout=5)
    code = slot.process.exitcode
    return (
        f"extraction worker died (exit code {code}); the file may exceed the memory budget "
        f"of {budget.memory_mb} MB"
    )


def _read_quietly(job: Job) -> bytes | None:
    if job.data is not None:
        return job.data
    try:
        with open(job.fspath, "rb") as fh:
            return fh.read()
    except OSError:
        return None
