"""Builders of resources.arsc tables for the tests: a re-export of chaincut.sim.arsc."""

from __future__ import annotations

from chaincut.sim.arsc import (
    DYN_REFERENCE,
    INT_DEC,
    REFERENCE,
    STRING,
    chunk,
    compact_entry,
    config,
    entry,
    library,
    map_entry,
    package,
    staged_alias,
    string_pool,
    table,
    type_chunk,
    type_spec,
)

__all__ = [
    "DYN_REFERENCE",
    "INT_DEC",
    "REFERENCE",
    "STRING",
    "chunk",
    "compact_entry",
    "config",
    "entry",
    "library",
    "map_entry",
    "package",
    "staged_alias",
    "string_pool",
    "table",
    "type_chunk",
    "type_spec",
]
