"""The hooks chaincut calls. A plugin implements any of them with ``@hookimpl``.

Third-party packages register through the ``chaincut`` entry-point group; the built-ins
are registered through the very same manager (see ``manager.py``), so nothing built in
has a private path that a plugin could not take.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from chaincut.extractors.base import Extractor
    from chaincut.render.base import FactsRenderer
    from chaincut.render.result_base import ResultRenderer

hookspec = pluggy.HookspecMarker("chaincut")


@hookspec
def chaincut_extractors() -> list[Extractor]:  # type: ignore[empty-body]
    """Return extractors for input kinds (APK, DEX, IPA, ...)."""


@hookspec
def chaincut_facts_renderers() -> list[FactsRenderer]:  # type: ignore[empty-body]
    """Return renderers that turn facts documents into an output format."""


@hookspec
def chaincut_result_renderers() -> list[ResultRenderer]:  # type: ignore[empty-body]
    """Return renderers that turn scan results into an output format."""
