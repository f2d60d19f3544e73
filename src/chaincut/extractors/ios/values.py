"""Typed reads of plist values: hostile plists put any type anywhere, so every read checks."""

from __future__ import annotations

from chaincut.extractors.plist import PlistValue

MAX_TEXT = 2000
MAX_ITEMS = 200


def text(value: PlistValue, limit: int = MAX_TEXT) -> str | None:
    """A string value (bounded), or None for any other type."""
    return value[:limit] if isinstance(value, str) else None


def texts(value: PlistValue, limit: int = MAX_ITEMS) -> list[str]:
    """The string items of an array (or a lone string), bounded."""
    if isinstance(value, str):
        return [value[:MAX_TEXT]]
    if not isinstance(value, list):
        return []
    return [v[:MAX_TEXT] for v in value[:limit] if isinstance(v, str)]


def flag(value: PlistValue) -> bool | None:
    """A boolean (Apple also accepts 0/1 integers), or None."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value != 0
    return None


def mapping(value: PlistValue) -> dict[str, PlistValue]:
    return value if isinstance(value, dict) else {}


def items(value: PlistValue) -> list[PlistValue]:
    return value if isinstance(value, list) else []


def number_text(value: PlistValue) -> str | None:
    """A version-like value written as a string or a number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return str(value)
    return text(value, 200)
