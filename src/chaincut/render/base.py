"""The renderer protocol shared by built-in and plugin output formats."""

from __future__ import annotations

from typing import Protocol, TextIO

from chaincut.facts.models import FactsDocument


class FactsRenderer(Protocol):
    """Streams facts documents to a text stream in one format.

    Streaming (``begin``/``write``/``end``) keeps memory flat on large corpora and puts
    each document on screen as soon as it is ready.
    """

    name: str
    description: str

    def begin(self, out: TextIO) -> None: ...

    def write(self, out: TextIO, doc: FactsDocument) -> None: ...

    def end(self, out: TextIO) -> None: ...
