"""Registers the built-in scan-result renderers through the public hook."""

from __future__ import annotations

from chaincut.plugins.manager import hookimpl
from chaincut.render.result_base import ResultRenderer
from chaincut.render.result_json import ResultJsonArray, ResultJsonLines
from chaincut.render.result_text import ResultTextRenderer


@hookimpl
def chaincut_result_renderers() -> list[ResultRenderer]:
    return [ResultJsonLines(), ResultJsonArray(), ResultTextRenderer()]
