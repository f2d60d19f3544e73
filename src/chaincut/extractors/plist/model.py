"""The value tree a plist decodes to, and the limits that bound decoding.

Dates become ISO 8601 strings at decode time (nothing downstream needs datetime
arithmetic beyond parsing them back); data stays ``bytes`` because certificates and
icons live there. :func:`plist_to_json_safe` turns any value into compact JSON for facts.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Literal, TypeAlias

PlistValue: TypeAlias = (
    "str | int | float | bool | bytes | list[PlistValue] | dict[str, PlistValue] | None"
)
PlistFormat = Literal["xml", "binary", "invalid", "missing"]

MAX_SIZE = 16 * 1024 * 1024
MAX_DEPTH = 64
MAX_OBJECTS = 200_000
MAX_BYTES_SHOWN = 64  # bytes of a data value kept as hex in JSON-safe output


@dataclass(frozen=True, slots=True)
class Limits:
    """How much of a plist chaincut is willing to decode."""

    max_size: int = MAX_SIZE
    max_depth: int = MAX_DEPTH
    max_objects: int = MAX_OBJECTS


@dataclass(frozen=True, slots=True)
class Plist:
    """A decoded property list: its root value (None when unreadable) and its encoding."""

    value: PlistValue
    format: PlistFormat

    @property
    def ok(self) -> bool:
        return self.format in ("xml", "binary")

    def dict(self) -> dict[str, PlistValue]:
        """The root as a dictionary (empty when the root is anything else)."""
        return self.value if isinstance(self.value, dict) else {}


class PlistError(Exception):
    """Decoding stopped; ``code`` is one of CODES."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail


def _json_ready(obj: PlistValue, depth: int = 0) -> object:
    if depth > MAX_DEPTH:
        return None
    if isinstance(obj, bytes):
        return {"hex": obj[:MAX_BYTES_SHOWN].hex(), "len": len(obj)}
    if isinstance(obj, list):
        return [_json_ready(v, depth + 1) for v in obj]
    if isinstance(obj, dict):
        return {k: _json_ready(v, depth + 1) for k, v in obj.items()}
    if isinstance(obj, float) and not math.isfinite(obj):  # NaN and infinities are not JSON
        return str(obj)
    return obj


def plist_to_json_safe(obj: PlistValue) -> str:
    """Compact JSON for a plist value: bytes as {"hex", "len"}, dates already strings."""
    ready = _json_ready(obj)
    return json.dumps(ready, separators=(",", ":"), ensure_ascii=False, default=str)
