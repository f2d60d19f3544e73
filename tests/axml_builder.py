"""Builders of small binary XML documents for the tests: a re-export of chaincut.sim.axml."""

from __future__ import annotations

from chaincut.sim.axml import (
    ANDROID_NS,
    NO,
    T_BOOL,
    T_DEC,
    T_HEX,
    T_REF,
    T_STRING,
    Doc,
    Node,
    attribute,
    chunk,
    document,
    end,
    manifest,
    namespace,
    resource_map,
    start,
    string_pool,
)

__all__ = [
    "ANDROID_NS",
    "NO",
    "T_BOOL",
    "T_DEC",
    "T_HEX",
    "T_REF",
    "T_STRING",
    "Doc",
    "Node",
    "attribute",
    "chunk",
    "document",
    "end",
    "manifest",
    "namespace",
    "resource_map",
    "start",
    "string_pool",
]
