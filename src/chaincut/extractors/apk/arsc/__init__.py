"""resources.arsc: labels, icons and string resources, resolved as Android resolves them."""

from chaincut.extractors.apk.arsc.config import Config
from chaincut.extractors.apk.arsc.table import ResourceTable
from chaincut.extractors.apk.arsc.values import ResValue

__all__ = ["Config", "ResValue", "ResourceTable"]
