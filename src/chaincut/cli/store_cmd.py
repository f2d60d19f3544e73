"""``chaincut store info`` and ``chaincut store custody``: what is stored, and its custody.

Every command that reads or writes the store takes ``--db URL`` (default: ``CHAINCUT_DB``,
else an SQLite file in the user data directory) and ``--blobs DIR``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from chaincut.cli.console import fail

if TYPE_CHECKING:  # the store (SQLAlchemy, Alembic) loads only when a command needs it
    from chaincut.store import Store
    from chaincut.store.records import CustodyEntry, StoreStats

DB_OPTION = typer.Option(
    None, "--db", help="Store URL (sqlite:///path or postgresql://...); default CHAINCUT_DB."
)
BLOBS_OPTION = typer.Option(
    None, "--blobs", help="Blobs directory (needed for PostgreSQL; default next to SQLite)."
)

store_app = typer.Typer(help="Inspect the evidence store.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(store_app, name="store")


def check_location(db: str | None, blobs: Path | None) -> None:
    """Fail early (one line, exit 2) on a store URL or blobs setting that cannot work."""
    from chaincut.store.location import StoreConfigError, resolve_location

    try:
        resolve_location(db, blobs)
    except StoreConfigError as exc:
        fail(str(exc))
        raise typer.Exit(2) from None


@contextmanager
def open_store(
    db: str | None, blobs: Path | None, actor: str | None = None, *, create: bool = False
) -> Iterator[Store]:
    """The opened store, or a one-line error and exit 2. Only writers pass ``create``: a
    reader never makes a store (or its folder) where a mistyped ``--db`` points."""
    from sqlalchemy.exc import SQLAlchemyError

    from chaincut.store import Store, StoreConfigError

    try:
        store = Store.open(db, blobs, actor, create=create)
    except StoreConfigError as exc:
        fail(str(exc))
        raise typer.Exit(2) from None
    except SQLAlchemyError as exc:
        fail(f"cannot open the store: {str(exc).splitlines()[0]}")
        raise typer.Exit(2) from None
    try:
        yield store
    finally:
        store.close()


@store_app.command("info")
def info(
    db: str | None = DB_OPTION,
    blobs: Path | None = BLOBS_OPTION,
    fmt: str = typer.Option("text", "--format", "-f", help="text or json."),
) -> None:
    """Counts, versions and location of the store."""
    with open_store(db, blobs) as store:
        stats = store.stats()
    if fmt == "json":
        typer.echo(stats.model_dump_json(indent=2))
    else:
        typer.echo(_stats_text(stats))


@store_app.command("custody")
def custody(
    sha256: str | None = typer.Argument(None, help="Only entries naming this artifact."),
    db: str | None = DB_OPTION,
    blobs: Path | None = BLOBS_OPTION,
    fmt: str = typer.Option("text", "--format", "-f", help="text or jsonl."),
) -> None:
    """The evidence-custody log: who ingested, imported, exported or deleted what, when."""
    with open_store(db, blobs) as store:
        entries = store.custody(sha256)
    if sha256 is not None and not entries:
        fail(f"no custody entries for {sha256}")
        raise typer.Exit(1)
    for entry in entries:
        typer.echo(entry.model_dump_json() if fmt == "jsonl" else _entry_text(entry))


def _stats_text(stats: StoreStats) -> str:
    lines = [
        f"database      {stats.url}",
        f"blobs         {stats.blobs} ({stats.blob_files} files)",
        f"schema        {stats.schema_revision}",
        f"artifacts     {stats.artifacts}",
    ]
    lines += [f"  {k:<12}{v}" for k, v in stats.by_kind.items()]
    lines.append("verdicts      " + ", ".join(f"{k} {v}" for k, v in stats.by_verdict.items()))
    lines += [
        f"indicators    {stats.indicators}",
        f"cases         {stats.cases} ({stats.case_artifacts} references, "
        f"{stats.unresolved} unresolved)",
        f"custody log   {stats.custody_entries} entries",
        f"ingest runs   {stats.runs}",
        f"knowledge     {', '.join(stats.knowledge_versions) or '-'}",
        f"rules         {', '.join(stats.rules_versions) or '-'}",
    ]
    return "\n".join(lines)


def _entry_text(entry: CustodyEntry) -> str:
    details = json.dumps(entry.details, ensure_ascii=False, sort_keys=True)
    return f"{entry.at}  {entry.actor}  {entry.action}  {entry.subject}  {details}"
