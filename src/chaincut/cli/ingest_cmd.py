"""``chaincut ingest``: put artifacts and victim reports into the store.

Case CSVs are validated before anything is written (a bad CSV exits 2 with nothing
stored); the files they name are ingested with the inputs; the cases are imported last,
in one transaction per CSV, with every unresolvable reference reported.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from chaincut.cli import fetch_opts
from chaincut.cli.console import err, fail, warn
from chaincut.cli.store_cmd import BLOBS_OPTION, DB_OPTION, check_location, open_store

if TYPE_CHECKING:  # the store, extraction and detection load when the command runs
    from chaincut.cli.ingest_fetch import CrawlCounts
    from chaincut.cli.inputs import Inputs
    from chaincut.extractors.budget import Job
    from chaincut.store import CaseImport, Store
    from chaincut.store.cases_csv import CaseFile
    from chaincut.store.ingest import IngestOptions
    from chaincut.store.records import IngestSummary
    from chaincut.store.scanning import IngestScanner


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest)


def ingest(
    paths: list[str] = typer.Argument(None, help="Files or directories (walked recursively)."),
    cases: list[Path] = typer.Option([], "--cases", help="Case-report CSV (repeatable)."),
    db: str | None = DB_OPTION,
    blobs: Path | None = BLOBS_OPTION,
    jobs: int = typer.Option(0, "--jobs", "-j", help="Worker processes (0 = one per core)."),
    timeout: float = typer.Option(120.0, "--timeout", help="Seconds allowed per file."),
    memory_mb: int = typer.Option(3072, "--memory-mb", help="Address-space cap per worker, MB."),
    actor: str | None = typer.Option(None, "--actor", help="Name in the custody log."),
    brands: list[Path] = typer.Option([], "--brands", help="Extra brand registry YAML files."),
    rules: list[Path] = typer.Option([], "--rules", help="Extra rule folders."),
    dask: str | None = typer.Option(
        None, "--dask", help="Run extraction on Dask: a scheduler address, or 'local'."
    ),
    rescan: bool = typer.Option(False, "--rescan", help="Re-extract and re-judge stored files."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar or summary."),
    fetch: bool = fetch_opts.FETCH,
    allow_private: bool = fetch_opts.ALLOW_PRIVATE,
    user_agent: str = fetch_opts.USER_AGENT,
    fetch_max_mb: int = fetch_opts.FETCH_MAX_MB,
    fetch_timeout: float = fetch_opts.FETCH_TIMEOUT,
) -> None:
    """Store artifacts (and victim reports) for linking, with a custody log."""
    from chaincut.extractors.budget import Budget
    from chaincut.store.ingest import IngestOptions
    from chaincut.store.scanning import IngestScanner, ScanSetupError

    case_files = _read_cases(cases, paths or [])
    inputs = _inputs(paths or [], case_files)
    if not inputs.jobs and not case_files:
        fail("nothing to ingest: give files, folders or --cases CSV")
        raise typer.Exit(2)
    check_location(db, blobs)
    _need_dask(dask)
    try:
        scanner = IngestScanner.load(brands, rules)
    except ScanSetupError as exc:
        fail(str(exc))
        raise typer.Exit(2) from None
    if scanner.is_fallback:
        warn(f"detection is not available ({scanner.why_fallback}): artifacts are stored "
             "with verdict 'unknown' (re-run with --rescan once it is)")
    budget = Budget(seconds=timeout, memory_mb=memory_mb, keep_blobs=True)
    options = IngestOptions(
        budget=budget,
        workers=jobs or None, rescan=rescan, dask=dask, brands=tuple(brands), rules=tuple(rules),
    )
    crawls = fetch_opts.crawler(
        fetch, allow_private, user_agent, fetch_max_mb, fetch_timeout, budget
    )
    urls = [j.url for j in inputs.jobs if j.url is not None] if crawls is not None else []
    files = [j for j in inputs.jobs if crawls is None or j.url is None]
    with open_store(db, blobs, actor, create=True) as store:
        store.blobs.sweep()
        summary = _run(store, scanner, options, files, quiet)
        if crawls is not None and urls:
            from chaincut.cli.ingest_fetch import store_crawls

            summary = _with_crawls(summary, store_crawls(store, scanner, crawls, urls))
        imports = [_import(store, scanner, case_file) for case_file in case_files]
        rejudged = _relink(store)
    _report(summary, imports, quiet)
    if not quiet and rejudged:
        err.print(f"linking: {rejudged} artifact(s) re-judged as members of known chains",
                  markup=False)
    code = crawls.exit_code() if crawls is not None else 0
    if code:
        raise typer.Exit(code)
    if summary.failures or inputs.missing:
        raise typer.Exit(1)


def _with_crawls(summary: IngestSummary, counts: CrawlCounts) -> IngestSummary:
    return summary.model_copy(update={
        "total": summary.total + counts.new + counts.existing + len(counts.failures),
        "new": summary.new + counts.new,
        "existing": summary.existing + counts.existing,
        "failures": [*summary.failures, *counts.failures],
    })


def _need_dask(dask: str | None) -> None:
    """``--dask`` without Dask installed: one line naming the extra, before any work."""
    import importlib.util

    if dask is not None and not all(importlib.util.find_spec(m) for m in ("dask", "distributed")):
        fail("--dask needs Dask, which is not installed: pip install 'chaincut[dask]'")
        raise typer.Exit(2)


def _read_cases(paths: list[Path], roots: list[str]) -> list[CaseFile]:
    """Every CSV validated up front: one line per problem, exit 2, nothing written.

    File references must stay inside the CSV's folder or a path given on the command
    line (``roots``); warnings (unknown region, missing file) are printed and the
    import goes on.
    """
    from chaincut.extractors.url import looks_like_url
    from chaincut.store.cases_csv import CaseCsvError, read_cases

    out: list[CaseFile] = []
    problems: list[str] = []
    allowed = [Path(p) for p in roots if not looks_like_url(p) and Path(p).exists()]
    for path in paths:
        try:
            out.append(read_cases(path, allowed))
        except CaseCsvError as exc:
            problems += exc.messages
    for message in problems:
        fail(message)
    if problems:
        raise typer.Exit(2)
    for case_file in out:
        for message in case_file.warnings:
            warn(message)
    return out


def _inputs(paths: list[str], case_files: list[CaseFile]) -> Inputs:
    """PATH inputs, then files named by the CSVs (each file once)."""
    from chaincut.cli.inputs import collect
    from chaincut.extractors.budget import Job
    from chaincut.store.cases_csv import looks_like_case_csv

    inputs = collect(paths)
    for path in inputs.missing:
        fail(f"path not found: {path}")
    if inputs.skipped:
        more = " ..." if len(inputs.skipped) > 5 else ""
        warn(f"skipped {len(inputs.skipped)} file(s) in walked folders that are not "
             f"artifacts: {', '.join(inputs.skipped[:5])}{more}")
    for job in inputs.jobs:
        if job.url is None and looks_like_case_csv(Path(job.fspath)):
            warn(f"{job.display} looks like a case-report CSV but was given as an artifact; "
                 "pass it with --cases to import its cases")
    seen = {Path(j.fspath).resolve() for j in inputs.jobs if j.url is None}
    for case_file in case_files:
        for found in case_file.files:
            if found not in seen:
                seen.add(found)
                inputs.jobs.append(Job(display=str(found), fspath=str(found)))
    return inputs


def _run(store: Store, scanner: IngestScanner, options: IngestOptions, jobs: list[Job],
         quiet: bool) -> IngestSummary:
    from sqlalchemy.exc import SQLAlchemyError

    from chaincut.cli.streams import progress_bar
    from chaincut.store.ingest import Ingest

    show = not quiet and err.is_terminal and len(jobs) > 1
    with progress_bar(show) as progress:
        task = progress.add_task("ingesting", total=len(jobs)) if progress else None

        def advance(n: int) -> None:
            if progress is not None and task is not None:
                progress.advance(task, n)

        try:
            return Ingest(store, scanner, options, advance).run(jobs)
        except SQLAlchemyError as exc:
            fail(f"store error: {type(exc).__name__}: {str(exc).splitlines()[0]}")
            raise typer.Exit(2) from None


def _import(store: Store, scanner: IngestScanner, case_file: CaseFile) -> CaseImport:
    from chaincut.store.case_urls import store_case_urls

    path = case_file.path
    store_case_urls(store, scanner, case_file.rows)
    result = store.add_cases(case_file.rows, str(path.resolve()))
    for item in result.unresolved:
        looked = case_file.missing.get((item.case_id, item.ref))
        why = (f": file not found (looked for {looked})" if looked is not None
               else f": {item.reason}" if item.reason else "")
        warn(f"{path}: case {item.case_id} ({item.region}): unresolved artifact {item.ref!r}"
             f"{why}")
    return result


def _relink(store: Store) -> int:
    """Rebuild the chains and bring stored verdicts in line with them (link/judge.py)."""
    from chaincut.link.chains import build_chains

    total = 0
    # linking reads the verdicts it raised as unflagged (store/reader.py), so the next
    # run finds the same chains and changes nothing; a second round only confirms it
    for _ in range(RELINK_ROUNDS):
        artifacts = list(store.iter_artifacts())
        if not artifacts:
            break
        changed = store.rejudge(build_chains(artifacts, list(store.iter_cases())))
        total += changed
        if not changed:
            break
    return total


RELINK_ROUNDS = 2


def _report(summary: IngestSummary, imports: list[CaseImport], quiet: bool) -> None:
    for failure in summary.failures:
        warn(f"failed: {failure.path}: {failure.reason}")
    if quiet:
        return
    if summary.resumed_from is not None:
        err.print(f"resumed run {summary.resumed_from} at input {summary.resumed_at}")
    cases = sum(i.added + i.updated for i in imports)
    unresolved = sum(len(i.unresolved) for i in imports)
    err.print(
        f"ingest: {summary.new} new, {summary.existing} already stored, "
        f"{len(summary.failures)} failed, {cases} cases, {unresolved} unresolved",
        markup=False,
    )
