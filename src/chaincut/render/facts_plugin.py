"""Registers the built-in facts renderers through the public hook."""

from __future__ import annotations

from typing import TextIO

from chaincut.facts.models import FactsDocument
from chaincut.plugins.manager import hookimpl
from chaincut.render.base import FactsRenderer
from chaincut.render.facts_json import JsonArrayRenderer, JsonLinesRenderer


class LazyTextRenderer:
    """``facts_text.TextRenderer``, imported when a document is first written as text:
    it brings Rich (about 25 ms of start-up) that the JSON formats never need."""

    name = "text"
    description = "a readable summary per file"

    def begin(self, out: TextIO) -> None:
        return None

    def write(self, out: TextIO, doc: FactsDocument) -> None:
        from chaincut.render.facts_text import TextRenderer

        TextRenderer().write(out, doc)

    def end(self, out: TextIO) -> None:
        return None


@hookimpl
def chaincut_facts_renderers() -> list[FactsRenderer]:
    return [JsonLinesRenderer(), JsonArrayRenderer(), LazyTextRenderer()]
