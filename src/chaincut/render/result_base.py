"""The protocol for scan-result renderers, built-in and plugin alike."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, TextIO

if TYPE_CHECKING:  # models are loaded by whoever builds the results
    from chaincut.result.models import ScanResult


class ResultRenderer(Protocol):
    """Streams scan results to a text stream in one format (begin/write/end)."""

    name: str
    description: str

    def begin(self, out: TextIO) -> None: ...

    def write(self, out: TextIO, result: ScanResult) -> None: ...

    def end(self, out: TextIO) -> None: ...
