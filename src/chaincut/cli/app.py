"""The Typer application and its entry point.

Commands live in their own modules and register here; ``main`` turns any user mistake
into a one-line message and a non-zero exit instead of a traceback.
"""

from __future__ import annotations

import typer

from chaincut import __version__
from chaincut.cli import (
    brands_cmd,
    demo_cmd,
    eval_cmd,
    facts_cmd,
    ingest_cmd,
    link_cmd,
    rules_cmd,
    scan_cmd,
    serve_cmd,
    sim_cmd,
    store_cmd,
)

app = typer.Typer(
    name="chaincut",
    help="Take fake fraud apps apart and link them into the chains behind them.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"chaincut {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """chaincut: recognise fake apps, take them apart, link them into chains."""


facts_cmd.register(app)
scan_cmd.register(app)
demo_cmd.register(app)
brands_cmd.register(app)
rules_cmd.register(app)
ingest_cmd.register(app)
store_cmd.register(app)
link_cmd.register(app)
sim_cmd.register(app)
eval_cmd.register(app)
serve_cmd.register(app)


def main() -> None:
    """Console-script entry point."""
    app()
