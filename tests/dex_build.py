"""Builders of small valid DEX files for the tests: a re-export of chaincut.sim.dex."""

from __future__ import annotations

from chaincut.sim.dex import (
    HEADER_SIZE,
    NO_INDEX,
    DexSpec,
    build,
    fix,
    mutf8,
    sample_spec,
    uleb,
    utf16_len,
)

__all__ = [
    "HEADER_SIZE",
    "NO_INDEX",
    "DexSpec",
    "build",
    "fix",
    "mutf8",
    "sample_spec",
    "uleb",
    "utf16_len",
]
