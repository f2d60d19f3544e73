"""``chaincut sim build``: write a simulated fraud ecosystem with its ground truth."""

from __future__ import annotations

import shutil
import time
from collections import Counter
from pathlib import Path

import typer

from chaincut.cli.console import err, fail

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
    replace: bool = typer.Option(
        False, "--replace", help="Empty --out first when it holds an earlier world (truth.json)."
    ),
    rotation: bool = typer.Option(
        False, "--rotation", help="Gangs rotate keys and domains midway; reports name links."
    ),
) -> None:
    """Write a world: APKs, IPAs, profiles, pages, QR codes, cases.csv, brands.yaml, truth."""
    from chaincut.sim.build import build_world  # the simulator loads only when it runs
    from chaincut.sim.world import SIZES, WorldSpec

    if size not in SIZES:
        fail(f"unknown size {size!r}; use one of {', '.join(SIZES)}")
        raise typer.Exit(2)
    _make_room(out, replace)
    start = time.perf_counter()
    try:
        truth = build_world(WorldSpec(seed=seed, size=size, apps=apps, rotation=rotation), out)
    except OSError as exc:
        fail(f"{out}: cannot write the world: {exc.strerror or exc}")
        raise typer.Exit(2) from None
    kinds = Counter(f"{a.role}/{a.kind}" for a in truth.artifacts)
    err.print(
        f"wrote {len(truth.artifacts)} artifacts, {len(truth.cases)} cases, "
        f"{len(truth.gangs)} gangs to {out} in {time.perf_counter() - start:.1f}s"
    )
    err.print(", ".join(f"{k}: {v}" for k, v in sorted(kinds.items())))
    typer.echo(str(out))


def _make_room(out: Path, replace: bool) -> None:
    """A new or empty --out, or an earlier world emptied on request: never two worlds mixed.

    Only a directory that holds a world's truth file is ever emptied, so a mistyped
    ``--out`` cannot wipe someone's folder.
    """
    from chaincut.sim.truth import TRUTH_FILE

    if out.exists() and not out.is_dir():
        fail(f"--out {out}: is a file; give a new or empty directory")
        raise typer.Exit(2)
    if not out.is_dir() or not any(out.iterdir()):
        return
    if not (out / TRUTH_FILE).is_file():
        fail(f"--out {out}: is not empty and holds no simulated world; give a new or empty "
             "directory")  # fmt: skip
        raise typer.Exit(2)
    if not replace:
        fail(f"--out {out}: already holds a world; add --replace to empty it first, "
             "or give a new directory")  # fmt: skip
        raise typer.Exit(2)
    try:
        for child in out.iterdir():
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
    except OSError as exc:
        fail(f"--out {out}: cannot empty it: {exc.strerror or exc}")
        raise typer.Exit(2) from None
