"""``chaincut demo``: the whole pipeline on a sample world, for a first look.

It runs what a user would run by hand, through the same functions: ``chaincut sim build``
(a tiny world, seed 0), ``chaincut ingest`` of every artifact with the world's cases.csv
and brands.yaml into a fresh store, then the linking behind ``chaincut chains`` and
``chaincut suppliers``. World and store are temporary unless ``--world`` / ``--db`` keep
them.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from chaincut.cli.console import err, fail
from chaincut.cli.store_cmd import BLOBS_OPTION, check_location, open_store

if TYPE_CHECKING:  # the simulator, store and linking load when the demo runs
    from chaincut.link.chainset import ChainSet
    from chaincut.sim.truth import WorldTruth


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)


def demo(
    world: Path | None = typer.Option(
        None, "--world", help="Keep the world here (built if new or empty; a world is reused)."
    ),
    db: str | None = typer.Option(
        None, "--db", help="Keep the store here (fresh or a previous demo); default: temporary."
    ),
    blobs: Path | None = BLOBS_OPTION,
    fmt: str = typer.Option("text", "--format", "-f", help="text, or json (chains + suppliers)."),
    jobs: int = typer.Option(0, "--jobs", "-j", help="Worker processes (0 = one per core)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress or summary on stderr."),
) -> None:
    """Build a sample fraud world, ingest it, and print its chains and shared suppliers."""
    from chaincut.cli.demo_setup import check_store, prepare_world
    from chaincut.cli.demo_view import demo_json, demo_text

    if fmt not in ("text", "json"):
        fail(f"unknown format {fmt!r} (expected one of text, json)")
        raise typer.Exit(2)
    if db is not None:
        check_location(db, blobs)
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="chaincut-demo-") as tmp:
        folder = world if world is not None else Path(tmp) / "world"
        truth = prepare_world(folder, quiet)
        if db is not None:
            check_store(db, blobs, truth)
        url = db or f"sqlite:///{Path(tmp) / 'demo.sqlite'}"
        code = _ingest(folder, truth, url, blobs, jobs, quiet)
        cs = _link(url, blobs)
    if fmt == "json":
        typer.echo(demo_json(cs))
    else:
        typer.echo(demo_text(cs, truth, db or "a temporary SQLite store", db))
    if not quiet:
        err.print(f"demo done in {time.perf_counter() - start:.1f}s", markup=False)
    if code:
        raise typer.Exit(code)


def _ingest(folder: Path, truth: WorldTruth, url: str, blobs: Path | None, jobs: int,
            quiet: bool) -> int:
    """``chaincut ingest`` on the world; 1 when some artifact failed (the rest is linked)."""
    from chaincut.cli.demo_setup import artifact_paths
    from chaincut.cli.ingest_cmd import ingest

    brands = folder / truth.brands_file
    try:
        ingest(
            paths=artifact_paths(folder, truth), cases=[folder / truth.cases_file], db=url,
            blobs=blobs, jobs=jobs, timeout=120.0, memory_mb=3072, actor=None,
            brands=[brands] if brands.is_file() else [], rules=[], dask=None, rescan=False,
            quiet=quiet,
        )  # fmt: skip
    except typer.Exit as exc:
        if exc.exit_code != 1:
            raise
        return 1
    return 0


def _link(url: str, blobs: Path | None) -> ChainSet:
    """The chains of the store, exactly as ``chaincut chains`` rebuilds them."""
    from chaincut.link.chains import build_chains

    with open_store(url, blobs) as store:
        artifacts = list(store.iter_artifacts())
        cases = list(store.iter_cases())
    if not artifacts:
        fail("no artifact of the world could be stored; nothing to link")
        raise typer.Exit(1)
    return build_chains(artifacts, cases)
