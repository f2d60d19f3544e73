"""``chaincut facts``: the facts document of every input file (interfaces.md section 5)."""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

import typer

from chaincut.cli import fetch_opts
from chaincut.cli.console import err, fail

if TYPE_CHECKING:  # loaded when the command runs, so `chaincut --help` stays fast
    from chaincut.cli.inputs import Inputs
    from chaincut.extractors.budget import Budget
    from chaincut.facts.models import FactsDocument
    from chaincut.render.base import FactsRenderer


def renderers() -> dict[str, FactsRenderer]:
    """Facts renderers by name, built-in and plugin alike."""
    from chaincut.plugins import get_plugin_manager

    hook = get_plugin_manager().hook
    return {r.name: r for group in hook.chaincut_facts_renderers() for r in group}


def register(app: typer.Typer) -> None:
    app.command("facts")(facts)


def facts(
    paths: list[str] = typer.Argument(..., help="Files, directories (walked recursively) or URLs."),
    fmt: str = typer.Option("jsonl", "--format", "-f", help="jsonl, json or text."),
    output: str | None = typer.Option(None, "--output", "-o", help="Write here instead of stdout."),
    jobs: int = typer.Option(0, "--jobs", "-j", help="Worker processes (0 = one per core)."),
    timeout: float = typer.Option(120.0, "--timeout", help="Seconds allowed per file."),
    memory_mb: int = typer.Option(3072, "--memory-mb", help="Address-space cap per worker, MB."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar or summary."),
    fetch: bool = fetch_opts.FETCH,
    allow_private: bool = fetch_opts.ALLOW_PRIVATE,
    user_agent: str = fetch_opts.USER_AGENT,
    fetch_max_mb: int = fetch_opts.FETCH_MAX_MB,
    fetch_timeout: float = fetch_opts.FETCH_TIMEOUT,
) -> None:
    """Extract facts from APK, DEX, IPA, profile, manifest, page, URL and QR inputs.

    One document per input, in input order. Input kinds: APK, DEX, IPA, .mobileconfig
    profiles, itms-services manifests (.plist), landing pages (HTML), URLs and QR images
    (PNG, JPEG, ...).
    """
    from chaincut.cli.inputs import collect
    from chaincut.cli.streams import open_output, report_inputs
    from chaincut.extractors.budget import Budget

    available = renderers()
    if fmt not in available:
        fail(f"unknown format {fmt!r}; choose one of: {', '.join(sorted(available))}")
        raise typer.Exit(2)
    budget = Budget(seconds=timeout, memory_mb=memory_mb)
    crawls = fetch_opts.crawler(
        fetch, allow_private, user_agent, fetch_max_mb, fetch_timeout, budget
    )
    inputs = collect(paths)
    report_inputs(inputs)
    if not inputs.jobs:
        raise typer.Exit(2)
    with open_output(output) as out:
        unreadable = _render(inputs, available[fmt], out, budget, jobs or None, quiet, crawls)
    if crawls is not None and (code := crawls.exit_code()):
        raise typer.Exit(code)
    if unreadable == len(inputs.jobs):
        fail("nothing could be read as an app package (see each document's errors)")
        raise typer.Exit(1)
    if unreadable or inputs.missing:
        raise typer.Exit(1)


def _render(
    inputs: Inputs,
    renderer: FactsRenderer,
    out: TextIO,
    budget: Budget,
    workers: int | None,
    quiet: bool,
    crawls: fetch_opts.Crawler | None = None,
) -> int:
    """Stream documents to ``out``; return how many inputs were not readable packages."""
    from chaincut.cli.inputs import Inputs
    from chaincut.cli.streams import extractions, progress_bar

    unreadable = 0
    show = not quiet and len(inputs.jobs) > 1 and err.is_terminal  # (rich loads if asked)
    renderer.begin(out)
    with progress_bar(show) as progress:
        task = progress.add_task("extracting", total=len(inputs.jobs)) if progress else None
        results = fetch_opts.with_crawls(
            inputs.jobs, lambda run: extractions(Inputs(jobs=run), budget, workers), crawls
        )
        for result in results:
            doc = result.document
            renderer.write(out, doc)
            unreadable += _is_unreadable(doc)
            if progress is not None and task is not None:
                progress.advance(task)
    renderer.end(out)
    return unreadable


def _is_unreadable(doc: FactsDocument) -> bool:
    return doc.kind == "other" and doc.fetch is None  # a fetched body is not an input
