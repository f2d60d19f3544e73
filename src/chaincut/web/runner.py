"""The analysis runner: claims queued jobs and analyses them the way ``chaincut scan`` does.

A file is extracted in a budgeted worker process (:func:`run_budgeted`, the same per-file
time and memory budgets as the CLI) and judged with :func:`scan_extraction`; a pasted
link is crawled by the SSRF-guarded fetcher, which stops at the time budget and reads
every downloaded body under the same per-file budgets in a worker process. Nothing runs
in a request handler: ``chaincut serve`` starts this loop in its own process, tests call
:meth:`Runner.drain`.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable

from chaincut.detect.pipeline import ScanContext, scan_extraction
from chaincut.extractors.budget import Budget, Job, run_budgeted
from chaincut.extractors.dispatch import ExtractionResult
from chaincut.fetch import FetchPolicy, crawl
from chaincut.render.icons import icon_bytes
from chaincut.result.models import ScanResult
from chaincut.store.ingest import extraction_failed
from chaincut.store.schema_web import WebJob
from chaincut.store.writer import label_of
from chaincut.web import jobs
from chaincut.web.config import WebConfig
from chaincut.web.knowledge import known_for
from chaincut.web.sniff import image_type
from chaincut.web.state import Linked, WebState

VERDICT_RANK = {"unknown": 0, "clean": 0, "suspicious": 1, "malicious": 2}
IDLE_SECONDS = 0.1


def crawl_budgeted(url: str, policy: FetchPolicy, budget: Budget) -> list[ExtractionResult]:
    """Every document of a crawl held to the budget: the fetcher stops at the policy's
    deadline and reads each body in a budgeted worker process of its own (so this must
    not run inside a daemonic child, which may not start workers)."""
    return list(crawl(url, policy, budget))


def qr_link(extracted: ExtractionResult) -> str | None:
    """The first web link a QR image holds, which a phone's camera would open."""
    qr = extracted.document.qr
    for code in qr.codes if qr else []:
        if code.url and code.url.lower().startswith(("http://", "https://")):
            return code.url
    return None


def primary_index(results: list[ScanResult]) -> int:
    """The result a plain answer is about: the most severe one (a link's download)."""
    best = 0
    for i, r in enumerate(results):
        if VERDICT_RANK[r.verdict] > VERDICT_RANK[results[best].verdict]:
            best = i
    return best


class Runner:
    """Claims and analyses jobs against one store, with the server's brands and rules."""

    def __init__(self, config: WebConfig, state: WebState | None = None) -> None:
        self.config = config
        self.state = state or WebState.open(config)
        self.context = ScanContext.load(brands=list(config.brands), rules=list(config.rules))
        self.background = False  # chains built in a thread (serve) or inline (drain)
        self.budget = Budget(seconds=config.timeout, memory_mb=config.memory_mb, keep_blobs=True)
        self.policy = FetchPolicy(
            allow_private=config.fetch_allow_private,
            max_bytes=config.max_upload,
            timeout=config.fetch_timeout,
            deadline=config.timeout,
        )

    def drain(self) -> int:
        """Analyse every queued job; how many were done."""
        done = 0
        while self.run_once():
            done += 1
        return done

    def run_once(self) -> bool:
        job = jobs.claim(self.state.store.engine)
        if job is None:
            return False
        try:
            answer, icon = self._analyse(job)
        except Exception as exc:  # a bug must fail the job, not the runner
            jobs.finish(self.state.store.engine, job.id, None, None,
                        f"analysis failed: {type(exc).__name__}")  # fmt: skip
            return True
        jobs.finish(self.state.store.engine, job.id, answer.model_dump(mode="json"), icon, None)
        return True

    def _chains(self) -> Linked | None:
        """The store's chains: built here when :meth:`drain` runs them inline (tests, small
        stores), else the last background build, so a large store never delays an answer."""
        if not self.background:
            return self.state.chains.get(self.state.store)
        return self.state.chains.peek(self.state.store)

    def serve_forever(self, stopped: Callable[[], bool]) -> None:
        self.background = True
        jobs.requeue_stale(self.state.store.engine)
        while not stopped():
            if not self.run_once():
                self.state.chains.refresh_in_background(self.state.store)
                time.sleep(IDLE_SECONDS)

    def _extract(self, job: WebJob) -> tuple[list[ExtractionResult], bytes | None]:
        if job.url is not None:
            return crawl_budgeted(job.url, self.policy, self.budget), None
        path = self.state.spool / (job.spool or "")
        raw = path.read_bytes()
        item = Job(display=job.source, fspath=str(path))
        extracted = list(run_budgeted([item], self.budget, workers=1))
        link = qr_link(extracted[0])
        if link is not None:  # a QR screenshot: follow its link as the phone would
            extracted += crawl_budgeted(link, self.policy, self.budget)
        return extracted, raw

    def _analyse(self, job: WebJob) -> tuple[jobs.Answer, str | None]:
        extracted, raw = self._extract(job)
        scans = [scan_extraction(e, self.context) for e in extracted]
        primary = primary_index(scans)
        icon = self._keep_icon(job.id, extracted[primary])
        ingested = self._ingest(job, extracted, scans, raw) if job.ingest else []
        known = known_for(self.state.store, self._chains(), scans)
        labels = [label_of(e.document) for e in extracted]
        answer = jobs.Answer(results=scans, primary=primary, known=known, labels=labels,
                             ingested=ingested)  # fmt: skip
        return answer, icon

    def _keep_icon(self, job_id: str, extracted: ExtractionResult) -> str | None:
        data = icon_bytes(extracted.document, extracted.blobs)
        if not data or image_type(data) is None:
            return None
        name = f"{job_id}.icon"
        path = self.state.spool / name
        path.write_bytes(data)
        path.chmod(0o600)
        return name

    def _ingest(
        self,
        job: WebJob,
        extracted: list[ExtractionResult],
        scans: list[ScanResult],
        raw: bytes | None,
    ) -> list[str]:
        """Store what an analyst submitted (custody entry under the analyst's name)."""
        store = self.state.as_actor(job.actor or "web")
        raw_sha = hashlib.sha256(raw).hexdigest() if raw is not None else None
        added: list[str] = []
        for result, scan in zip(extracted, scans, strict=True):
            if extraction_failed(result) is not None:
                continue
            body = raw if result.document.sha256 == raw_sha else None
            source = job.url if job.url and result.document.path == job.url else job.source
            store.add_result(result, scan, result.document.path or source, body)
            added.append(result.document.sha256)
        return added


def run_forever(config: WebConfig) -> None:
    """Entry point of the runner process started by ``chaincut serve``."""
    Runner(config).serve_forever(lambda: False)
