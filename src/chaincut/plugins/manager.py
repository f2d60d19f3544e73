"""The one plugin manager, built lazily, holding built-ins and installed plugins alike."""

from __future__ import annotations

import functools
import importlib

import pluggy

from chaincut.plugins import hookspecs

hookimpl = pluggy.HookimplMarker("chaincut")

# Built-in plugin modules: each exposes @hookimpl functions, like any third-party plugin.
BUILTIN_PLUGINS = (
    "chaincut.extractors.apk.plugin",
    "chaincut.extractors.dex.plugin",
    "chaincut.extractors.ios.plugin",
    "chaincut.extractors.web_plugin",
    "chaincut.extractors.other_plugin",
    "chaincut.render.facts_plugin",
    "chaincut.render.result_plugin",
)


@functools.cache
def get_plugin_manager() -> pluggy.PluginManager:
    """The process-wide plugin manager (built-ins first, then entry points)."""
    pm = pluggy.PluginManager("chaincut")
    pm.add_hookspecs(hookspecs)
    for name in BUILTIN_PLUGINS:
        pm.register(importlib.import_module(name), name=name)
    pm.load_setuptools_entrypoints("chaincut")
    return pm
