"""Scanning URL inputs with ``--fetch``: each crawl is judged as a whole, so the link's
result can take the verdict of the worst artifact it leads to (``detect.destination``).

Files between URLs are extracted and judged as usual, in their place; a crawl's results
are held until the crawl ends (it is bounded: 50 fetches, 3 links deep).
"""

from __future__ import annotations

from collections.abc import Iterator

from chaincut.cli.fetch_opts import Crawler, job_url
from chaincut.cli.inputs import Inputs
from chaincut.cli.streams import extractions
from chaincut.detect.destination import judge_by_destination
from chaincut.detect.pipeline import ScanContext, scan_extraction
from chaincut.extractors.budget import Budget, Job
from chaincut.extractors.dispatch import ExtractionResult
from chaincut.result.models import ScanResult

Judged = tuple[ExtractionResult, ScanResult]


def judge_safely(extraction: ExtractionResult, ctx: ScanContext) -> ScanResult:
    """``scan_extraction``, except that a detection bug on one input costs that input's
    verdict only: it gets an ``unknown`` result with the error, and the batch goes on."""
    try:
        return scan_extraction(extraction, ctx)
    except Exception as exc:
        from chaincut.store.scanning import fallback_scan

        placeholder = fallback_scan(extraction, "detection failed")
        error = f"detection failed: {type(exc).__name__}: {exc}"
        return placeholder.model_copy(update={"errors": [*placeholder.errors, error]})


def _crawl(url: str, ctx: ScanContext, crawler: Crawler) -> Iterator[Judged]:
    judged = [(r, judge_safely(r, ctx)) for r in crawler.results(url)]
    if not judged:
        return
    (first, start), rest = judged[0], judged[1:]
    reached = [(r.document, s) for r, s in rest]
    yield first, judge_by_destination(start, first.document, reached)
    yield from rest


def judged_stream(
    inputs: Inputs, ctx: ScanContext, budget: Budget, workers: int | None, crawler: Crawler | None
) -> Iterator[Judged]:
    """(extraction, result) in input order; URL inputs crawled when ``crawler`` is set."""
    if crawler is None:
        for extraction in extractions(inputs, budget, workers):
            yield extraction, judge_safely(extraction, ctx)
        return
    run: list[Job] = []
    for job in inputs.jobs:
        url = job_url(job)
        if url is None:
            run.append(job)
            continue
        if run:
            yield from judged_stream(Inputs(jobs=run), ctx, budget, workers, None)
            run = []
        yield from _crawl(url, ctx, crawler)
    if run:
        yield from judged_stream(Inputs(jobs=run), ctx, budget, workers, None)
