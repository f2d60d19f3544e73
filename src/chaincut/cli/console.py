"""Where the CLI talks to people: stderr, so stdout stays machine-readable.

Rich is imported when something is first printed (``err`` makes its Console on first
use): importing it costs about 25 ms that ``--help`` and a quiet ``facts`` run never need.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from rich.console import Console


@functools.cache
def console() -> Console:
    """The stderr Console itself (for what needs a real one, such as a progress bar)."""
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


class _Stderr:
    """Stands for ``console()`` and makes it on first use."""

    __slots__ = ()

    def __getattr__(self, name: str) -> Any:
        return getattr(console(), name)


err = cast("Console", _Stderr())


def warn(message: str) -> None:
    from rich.markup import escape

    console().print(f"[yellow]chaincut:[/] {escape(message)}", markup=True)


def fail(message: str) -> None:
    from rich.markup import escape

    console().print(f"[red]chaincut: error:[/] {escape(message)}", markup=True)
