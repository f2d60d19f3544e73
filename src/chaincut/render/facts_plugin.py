"""Registers the built-in facts renderers through the public hook."""

from __future__ import annotations

from chaincut.plugins.manager import hookimpl
from chaincut.render.base import FactsRenderer
from chaincut.render.facts_json import JsonArrayRenderer, JsonLinesRenderer
from chaincut.render.facts_text import TextRenderer


@hookimpl
def chaincut_facts_renderers() -> list[FactsRenderer]:
    return [JsonLinesRenderer(), JsonArrayRenderer(), TextRenderer()]
