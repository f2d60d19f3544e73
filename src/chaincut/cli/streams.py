"""What the commands that stream over inputs share: where output goes, what was left
out, the extraction stream and the progress bar (on stderr, so stdout stays data)."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from contextlib import nullcontext
from typing import TYPE_CHECKING, TextIO

import typer

from chaincut.cli.console import console, fail, warn
from chaincut.cli.inputs import Inputs
from chaincut.extractors.budget import Budget, extract_file, run_budgeted
from chaincut.extractors.dispatch import ExtractionResult, failed_document
from chaincut.facts.models import FactsDocument
from chaincut.facts.unicode import usv, valid_document

if TYPE_CHECKING:
    from rich.progress import Progress


def report_inputs(inputs: Inputs) -> None:
    """Say which paths were missing or skipped; nothing is left out silently."""
    for path in inputs.missing:
        fail(f"path not found: {path}")
    if inputs.skipped:
        names = ", ".join(inputs.skipped[:5]) + (" ..." if len(inputs.skipped) > 5 else "")
        count = len(inputs.skipped)
        warn(f"skipped {count} file(s) in walked folders that are not app packages: {names}")
    if not inputs.jobs and not inputs.missing:
        fail("no app packages found in the given paths")


def open_output(output: str | None) -> nullcontext[TextIO] | TextIO:
    """stdout, or the named file; an unwritable file is a one-line error (exit 2)."""
    if output is None:
        return nullcontext(sys.stdout)
    try:
        return open(output, "w", encoding="utf-8")
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror}")
        raise typer.Exit(2) from None


def extractions(inputs: Inputs, budget: Budget, workers: int | None) -> Iterator[ExtractionResult]:
    """Extraction results in input order: isolated workers, or in-process when asked
    (``-j 1 --timeout 0``)."""
    if workers == 1 and budget.seconds <= 0:
        return checked(extract_file(job, keep_blobs=budget.keep_blobs) for job in inputs.jobs)
    return checked(run_budgeted(inputs.jobs, budget, workers))


def checked(results: Iterable[ExtractionResult]) -> Iterator[ExtractionResult]:
    """Each result with a document every writer accepts (see :func:`writable`)."""
    for result in results:
        result.document = writable(result.document)
        yield result


def writable(doc: FactsDocument) -> FactsDocument:
    """``doc`` made valid Unicode; if it still cannot be serialised, an error record in
    its place, so one bad document never ends a batch."""
    try:
        doc = valid_document(doc)
        doc.model_dump_json()
        return doc
    except Exception as exc:  # last resort: a bug must cost this document only
        why = f"the document could not be written: {type(exc).__name__}"
        record = failed_document(usv(doc.path), None, why)
        return record.model_copy(update={"sha256": doc.sha256, "size": doc.size})


def progress_bar(show: bool) -> nullcontext[None] | Progress:
    """A transient bar with count, rate and ETA; nothing when not shown (rich's progress
    module is imported only for a bar)."""
    if not show:
        return nullcontext(None)
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        Task,
        TextColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    class RateColumn(ProgressColumn):
        """Files per second, once there is a rate to show."""

        def render(self, task: Task) -> Text:
            speed = task.speed
            return Text(f"{speed:.1f} files/s" if speed else "", style="progress.data.speed")

    return Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        RateColumn(),
        TimeRemainingColumn(),
        console=console(),
        transient=True,
    )
