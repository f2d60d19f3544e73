"""resources.arsc: labels, icons and string resources, resolved as Android resolves them."""

from chaincut.extractors.apk.arsc.table import ResourceTable

__all__ = ["ResourceTable"]
