"""``chaincut demo``: the main job on the built-in sample packages, for a first look."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import typer

from chaincut.cli.console import fail
from chaincut.cli.facts_cmd import facts


def samples_dir() -> Path:
    """Folder of the sample packages shipped inside the chaincut package."""
    return Path(str(resources.files("chaincut") / "samples"))


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)


def demo(
    fmt: str = typer.Option("text", "--format", "-f", help="jsonl, json or text."),
) -> None:
    """Take the bundled sample apps apart and print what chaincut reads from them."""
    folder = samples_dir()
    if not folder.is_dir():
        fail(f"the bundled samples are missing from {folder}; reinstall chaincut")
        raise typer.Exit(2)
    facts(
        paths=[str(folder)],
        fmt=fmt,
        output=None,
        jobs=0,
        timeout=120.0,
        memory_mb=3072,
        quiet=False,
    )
