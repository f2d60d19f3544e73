"""``chaincut sim build``: write a simulated fraud ecosystem with its ground truth."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import typer

from chaincut.cli.console import err, fail
from chaincut.sim.build import build_world
from chaincut.sim.world import SIZES, WorldSpec

sim_app = typer.Typer(
    name="sim",
    help="The ecosystem simulator: worlds of real artifacts with known truth.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(sim_app, name="sim")


@sim_app.command("build")
def build(
    seed: int = typer.Option(0, "--seed", help="Random seed: one seed, one world."),
    out: Path = typer.Option(Path("chaincut-world"), "--out", "-o", help="Directory to write."),
    size: str = typer.Option("small", "--size", help="tiny, small or medium."),
    apps: int | None = typer.Option(None, "--apps", min=1, help="Number of fake apps."),
    rotation: bool = typer.Option(
        False, "--rotation", help="Gangs rotate keys and domains midway; reports name links."
    ),
) -> None:
    """Write a world: APKs, IPAs, profiles, pages, QR codes, cases.csv, brands.yaml, truth."""
    if size not in SIZES:
        fail(f"unknown size {size!r}; use one of {', '.join(SIZES)}")
        raise typer.Exit(2)
    start = time.perf_counter()
    truth = build_world(WorldSpec(seed=seed, size=size, apps=apps, rotation=rotation), out)
    kinds = Counter(f"{a.role}/{a.kind}" for a in truth.artifacts)
    err.print(
        f"wrote {len(truth.artifacts)} artifacts, {len(truth.cases)} cases, "
        f"{len(truth.gangs)} gangs to {out} in {time.perf_counter() - start:.1f}s"
    )
    err.print(", ".join(f"{k}: {v}" for k, v in sorted(kinds.items())))
    typer.echo(str(out))
