"""``chaincut eval``: measure detection and linking on a simulated world."""

from __future__ import annotations

import tempfile
from pathlib import Path

import typer

from chaincut.cli.console import fail


def register(app: typer.Typer) -> None:
    app.command("eval")(eval_world)


def eval_world(
    world: Path | None = typer.Argument(None, help="A world written by `chaincut sim build`."),
    seed: int | None = typer.Option(None, "--seed", help="Build this world in a temp dir."),
    size: str = typer.Option("small", "--size", help="World size with --seed."),
    fmt: str = typer.Option("table", "--format", "-f", help="table or json."),
    workers: int | None = typer.Option(None, "--workers", "-j", help="Scan worker processes."),
    check: bool = typer.Option(False, "--check", help="Exit 1 when a target is missed."),
) -> None:
    """Scan every artifact of a world and print the metrics next to their targets."""
    from chaincut.eval.render import print_table, to_json
    from chaincut.eval.run import DetectionUnavailable, run_eval
    from chaincut.sim.build import build_world
    from chaincut.sim.truth import TRUTH_FILE
    from chaincut.sim.world import SIZES, WorldSpec

    if fmt not in ("table", "json") or size not in SIZES or (world is None) == (seed is None):
        fail("give either WORLD_DIR or --seed N; --format table|json; --size "
             + "|".join(SIZES))  # fmt: skip
        raise typer.Exit(2)
    try:
        if world is not None:
            if not (world / TRUTH_FILE).is_file():
                fail(f"{world} is not a simulated world (no {TRUTH_FILE})")
                raise typer.Exit(2)
            report = run_eval(world, workers)
        else:
            with tempfile.TemporaryDirectory(prefix="chaincut-world-") as tmp:
                build_world(WorldSpec(seed=seed or 0, size=size), Path(tmp))
                report = run_eval(Path(tmp), workers)
    except DetectionUnavailable as exc:
        fail(str(exc))
        raise typer.Exit(2) from exc
    if fmt == "json":
        typer.echo(to_json(report))
    else:
        from rich.console import Console

        print_table(report, Console(highlight=False))
    if check and not report.all_met:
        raise typer.Exit(1)
