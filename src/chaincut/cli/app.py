"""The Typer application and its entry point.

Commands live in their own modules and register here; ``main`` turns any user mistake
into a one-line message and a non-zero exit instead of a traceback.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from types import FrameType

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
from chaincut.cli.console import fail
from chaincut.cli.help_names import HumanHelpGroup

app = typer.Typer(
    name="chaincut",
    cls=HumanHelpGroup,  # value placeholders a person understands, for every command
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


class _Interrupt:
    """Ctrl-C: the main process stops (store writes roll back, an ingest run is marked
    interrupted) and says so in one line; forked extraction workers, which get the same
    SIGINT from the terminal, leave silently instead of printing their tracebacks."""

    def __init__(self) -> None:
        self.pid = os.getpid()
        self.seen = False

    def __call__(self, signum: int, frame: FrameType | None) -> None:
        if os.getpid() != self.pid:
            os._exit(130)  # a worker: its parent reports the interruption
        self.seen = True
        raise KeyboardInterrupt


def main() -> None:
    """Console-script entry point."""
    interrupt = _Interrupt()
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, interrupt)
    try:
        app()
    except KeyboardInterrupt:
        interrupt.seen = True
    except SystemExit:
        if not interrupt.seen:
            raise
    except Exception:
        # a library may wrap the KeyboardInterrupt raised inside its callback (pydantic's
        # serializer turns it into PydanticSerializationError): after a Ctrl-C, whatever
        # unwinds is the interruption
        if not interrupt.seen:
            raise
    if interrupt.seen:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut this line
        with contextlib.suppress(OSError, ValueError):
            sys.stdout.flush()
        fail("interrupted")
        sys.exit(130)
