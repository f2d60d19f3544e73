"""Extension points: built-in extractors and renderers register exactly as a third party would."""

from chaincut.plugins.manager import get_plugin_manager, hookimpl

__all__ = ["get_plugin_manager", "hookimpl"]
