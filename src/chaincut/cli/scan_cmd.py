"""``chaincut scan``: a verdict per artifact, with the evidence (interfaces.md section 3)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import typer

from chaincut.cli import fetch_opts
from chaincut.cli.console import err, fail

if TYPE_CHECKING:  # detection and rendering load when the command runs, not at start-up
    from chaincut.cli.inputs import Inputs
    from chaincut.detect.pipeline import ScanContext
    from chaincut.extractors.budget import Budget
    from chaincut.render.result_base import ResultRenderer
    from chaincut.result.models import ScanResult

if TYPE_CHECKING:
    from chaincut.cli.scan_db import StoreChains

VERDICT_RANK = {"unknown": 0, "clean": 0, "suspicious": 1, "malicious": 2}


def result_renderers() -> dict[str, ResultRenderer]:
    """Scan-result renderers by name, built-in and plugin alike."""
    from chaincut.plugins import get_plugin_manager

    hook = get_plugin_manager().hook
    return {r.name: r for group in hook.chaincut_result_renderers() for r in group}


def register(app: typer.Typer) -> None:
    app.command("scan")(scan)


def load_context(brands: list[Path], rules: list[Path]) -> ScanContext:
    """Load knowledge, rules and brands, turning a bad user file into one clear line."""
    from chaincut.detect.pipeline import ScanContext
    from chaincut.knowledge.brands import BrandError

    for path in [*brands, *rules]:
        if not path.exists():
            fail(f"path not found: {path}")
            raise typer.Exit(2)
    try:
        return ScanContext.load(brands=brands, rules=rules)
    except (BrandError, ValueError) as exc:
        fail(str(exc))
        raise typer.Exit(2) from None


def scan(
    paths: list[str] = typer.Argument(..., help="Files, directories (walked) or URLs."),
    fmt: str = typer.Option("text", "--format", "-f", help="jsonl, json or text."),
    output: str | None = typer.Option(None, "--output", "-o", help="Write here instead of stdout."),
    html: Path | None = typer.Option(
        None,
        "--html",
        help="Also write a self-contained HTML report per artifact into this directory, "
        "and an index.html listing them all.",
    ),
    brands: list[Path] = typer.Option([], "--brands", help="Extra brand registry YAML files."),
    rules: list[Path] = typer.Option([], "--rules", help="Extra rule folders."),
    trees: bool = typer.Option(False, "--trees", help="Text format: show evidence trees."),
    with_facts: bool = typer.Option(False, "--with-facts", help="Embed each facts document."),
    fail_on: str | None = typer.Option(
        None, "--fail-on", help="Exit 3 if any verdict is at least this (suspicious|malicious)."
    ),
    jobs: int = typer.Option(0, "--jobs", "-j", help="Worker processes (0 = one per core)."),
    timeout: float = typer.Option(120.0, "--timeout", help="Seconds allowed per file."),
    memory_mb: int = typer.Option(3072, "--memory-mb", help="Address-space cap per worker, MB."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    db: str | None = typer.Option(
        None, "--db", help="Consult this store's chains (read-only): chain members say so."
    ),
    fetch: bool = fetch_opts.FETCH,
    allow_private: bool = fetch_opts.ALLOW_PRIVATE,
    user_agent: str = fetch_opts.USER_AGENT,
    fetch_max_mb: int = fetch_opts.FETCH_MAX_MB,
    fetch_timeout: float = fetch_opts.FETCH_TIMEOUT,
) -> None:
    """Judge apps, profiles, pages, links and QR images: verdict, score and why. With
    --fetch a link is followed and judged by the worst thing it leads to."""
    from chaincut.cli.inputs import collect
    from chaincut.cli.streams import open_output, report_inputs
    from chaincut.extractors.budget import Budget
    from chaincut.render.result_text import ResultTextRenderer

    available = result_renderers()
    if fmt not in available:
        fail(f"unknown format {fmt!r}; choose one of: {', '.join(sorted(available))}")
        raise typer.Exit(2)
    if fail_on not in (None, "suspicious", "malicious"):
        fail("--fail-on takes 'suspicious' or 'malicious'")
        raise typer.Exit(2)
    if html is not None:
        _report_folder(html)
    ctx = load_context(brands, rules)
    inputs = collect(paths)
    report_inputs(inputs)
    if not inputs.jobs:
        raise typer.Exit(2)
    renderer = available[fmt]
    if fmt == "text":
        renderer = ResultTextRenderer(trees=trees)
    budget = Budget(seconds=timeout, memory_mb=memory_mb, keep_blobs=True)
    crawls = fetch_opts.crawler(
        fetch, allow_private, user_agent, fetch_max_mb, fetch_timeout, budget
    )
    chains = None
    if db is not None:
        from chaincut.cli.scan_db import StoreChains

        chains = StoreChains(db)
    worst = 0
    unreadable = 0
    with open_output(output) as out:
        for result in _scan_all(
            inputs, ctx, renderer, out, budget, jobs or None, quiet, html, with_facts, chains,
            crawls,
        ):
            worst = max(worst, VERDICT_RANK[result.verdict])
            unreadable += result.verdict == "unknown"
    code = crawls.exit_code() if crawls is not None else 0
    if code == 2:
        raise typer.Exit(2)
    if inputs.missing or unreadable == len(inputs.jobs) or code:
        raise typer.Exit(1)
    if fail_on is not None and worst >= VERDICT_RANK[fail_on]:
        raise typer.Exit(3)


def _report_folder(html: Path) -> None:
    """``--html`` names a folder; an existing file or an unmakeable folder is one line."""
    if html.exists() and not html.is_dir():
        fail(f"--html {html}: is a file; give a folder for the reports")
        raise typer.Exit(2)
    try:
        html.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        fail(f"--html {html}: cannot make the folder: {exc.strerror or exc}")
        raise typer.Exit(2) from None


def _scan_all(
    inputs: Inputs,
    ctx: ScanContext,
    renderer: ResultRenderer,
    out: TextIO,
    budget: Budget,
    workers: int | None,
    quiet: bool,
    html: Path | None,
    with_facts: bool,
    chains: StoreChains | None = None,
    crawls: fetch_opts.Crawler | None = None,
) -> Iterator[ScanResult]:
    """Extract, judge, render and write reports, streaming in input order."""
    from chaincut.cli.scan_fetch import judged_stream
    from chaincut.cli.streams import progress_bar
    from chaincut.render.icons import icon_bytes
    from chaincut.render.report_html import index_entry, render_report, report_name, write_index

    entries = []
    show = not quiet and err.is_terminal and len(inputs.jobs) > 1
    renderer.begin(out)
    with progress_bar(show) as progress:
        task = progress.add_task("scanning", total=len(inputs.jobs)) if progress else None
        for extraction, result in judged_stream(inputs, ctx, budget, workers, crawls):
            if chains is not None:
                result = chains.judge(result)
            if with_facts:
                result = result.model_copy(update={"facts": extraction.document})
            renderer.write(out, result)
            if html is not None:
                icon = icon_bytes(extraction.document, extraction.blobs)
                page = render_report(result, icon, ctx.brands)
                (html / report_name(result)).write_text(page, encoding="utf-8")
                entries.append(index_entry(result))
            if progress is not None and task is not None:
                progress.advance(task)
            yield result
    renderer.end(out)
    if html is not None:
        write_index(html, entries)
