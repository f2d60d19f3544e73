"""What the manifest reader needs from the resource table, as a protocol.

Keeping it a protocol lets the manifest be read (and tested) without resources.arsc.
"""

from __future__ import annotations

from typing import Protocol


class ResourceResolver(Protocol):
    def resolve_string(self, res_id: int) -> str | None:
        """Value in the default configuration, following references."""
        ...

    def name_of(self, res_id: int) -> str | None:
        """``type/name`` of a resource id, e.g. ``string/app_name``."""
        ...
