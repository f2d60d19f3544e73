"""Where the CLI talks to people: stderr, so stdout stays machine-readable."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape

err = Console(stderr=True, highlight=False, soft_wrap=True)


def warn(message: str) -> None:
    err.print(f"[yellow]chaincut:[/] {escape(message)}", markup=True)


def fail(message: str) -> None:
    err.print(f"[red]chaincut: error:[/] {escape(message)}", markup=True)
