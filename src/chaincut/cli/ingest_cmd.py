"""``chaincut ingest``: put artifacts and victim reports into the store.

Case CSVs are validated before anything is written (a bad CSV exits 2 with nothing
stored); the files they name are ingested with the inputs; the cases are imported last,
in one transaction per CSV, with every unresolvable reference reported.
"""

from __future__ import annotations

from pathlib import Path

import typer
from sqlalchemy.exc import SQLAlchemyError

from chaincut.cli.console import err, fail, warn
from chaincut.cli.inputs import Inputs, collect
from chaincut.cli.store_cmd import BLOBS_OPTION, DB_OPTION, check_location, open_store
from chaincut.cli.streams import progress_bar
from chaincut.extractors.budget import Budget, Job
from chaincut.store import CaseImport, CaseRow, Store
from chaincut.store.cases import reference_path
from chaincut.store.cases_csv import CaseCsvError, read_cases_csv
from chaincut.store.ingest import Ingest, IngestOptions
from chaincut.store.records import IngestSummary
from chaincut.store.scanning import IngestScanner, ScanSetupError


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
) -> None:
    """Store artifacts (and victim reports) for linking, with a custody log."""
    from chaincut.store.ingest import IngestOptions
    from chaincut.store.scanning import IngestScanner

    case_files = _read_cases(cases)
    inputs = _inputs(paths or [], case_files)
    if not inputs.jobs and not case_files:
        fail("nothing to ingest: give files, folders or --cases CSV")
        raise typer.Exit(2)
    check_location(db, blobs)
    try:
        scanner = IngestScanner.load(brands, rules)
    except ScanSetupError as exc:
        fail(str(exc))
        raise typer.Exit(2) from None
    if scanner.is_fallback:
        warn(f"detection is not available ({scanner.why_fallback}): artifacts are stored "
             "with verdict 'unknown' (re-run with --rescan once it is)")
    options = IngestOptions(
        budget=Budget(seconds=timeout, memory_mb=memory_mb, keep_blobs=True),
        workers=jobs or None, rescan=rescan, dask=dask, brands=tuple(brands), rules=tuple(rules),
    )
    with open_store(db, blobs, actor) as store:
        store.blobs.sweep()
        summary = _run(store, scanner, options, inputs.jobs, quiet)
        imports = [_import(store, scanner, path, rows) for path, rows in case_files]
        rejudged = _relink(store)
    _report(summary, imports, quiet)
    if not quiet and rejudged:
        err.print(f"linking: {rejudged} artifact(s) re-judged as members of known chains",
                  markup=False)
    if summary.failures or inputs.missing:
        raise typer.Exit(1)


def _read_cases(paths: list[Path]) -> list[tuple[Path, list[CaseRow]]]:
    """Every CSV validated up front: one line per problem, exit 2, nothing written."""

    out: list[tuple[Path, list[CaseRow]]] = []
    problems: list[str] = []
    for path in paths:
        try:
            out.append((path, read_cases_csv(path)))
        except CaseCsvError as exc:
            problems += exc.messages
    for message in problems:
        fail(message)
    if problems:
        raise typer.Exit(2)
    return out


def _inputs(paths: list[str], case_files: list[tuple[Path, list[CaseRow]]]) -> Inputs:
    """PATH inputs, then files named by the CSVs (each file once)."""

    inputs = collect(paths)
    for path in inputs.missing:
        fail(f"path not found: {path}")
    if inputs.skipped:
        more = " ..." if len(inputs.skipped) > 5 else ""
        warn(f"skipped {len(inputs.skipped)} file(s) in walked folders that are not "
             f"artifacts: {', '.join(inputs.skipped[:5])}{more}")
    seen = {Path(j.fspath).resolve() for j in inputs.jobs}
    for csv_path, rows in case_files:
        for row in rows:
            for ref in row.artifacts:
                found = reference_path(ref, csv_path.resolve().parent)
                if found is not None and found.resolve() not in seen:
                    seen.add(found.resolve())
                    inputs.jobs.append(Job(display=str(found), fspath=str(found)))
    return inputs


def _run(store: Store, scanner: IngestScanner, options: IngestOptions, jobs: list[Job],
         quiet: bool) -> IngestSummary:


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


def _import(store: Store, scanner: IngestScanner, path: Path, rows: list[CaseRow]) -> CaseImport:
    from chaincut.store.case_urls import store_case_urls

    store_case_urls(store, scanner, rows)
    result = store.add_cases(rows, str(path.resolve()))
    for item in result.unresolved:
        why = f": {item.reason}" if item.reason else ""
        warn(f"{path}: case {item.case_id} ({item.region}): unresolved artifact "
             f"{item.ref!r}{why}")
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
