"""Fuzz the DEX reader: mutated real DEX files and random bytes never raise."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chaincut.extractors.dex import DexFile, dex_facts
from chaincut.extractors.findings import Findings

SEED = Path(__file__).resolve().parents[1] / "fixtures" / "apk" / "sample.dex"
EXAMPLES = int(os.environ.get("CHAINCUT_FUZZ_EXAMPLES", "300"))
pytestmark = pytest.mark.fuzz


def _exercise(data: bytes) -> None:
    dex = DexFile.parse(data, Findings())
    dex_facts(dex)
    dex.strings()
    dex.method_refs()
    bytes(dex.raw_string_data())


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    mutations=st.lists(
        st.tuples(st.integers(min_value=0, max_value=1 << 20), st.binary(min_size=1, max_size=8)),
        min_size=1,
        max_size=16,
    ),
    cut=st.one_of(st.none(), st.integers(min_value=0, max_value=1 << 20)),
)
def test_mutated_dex(mutations: list[tuple[int, bytes]], cut: int | None) -> None:
    data = bytearray(SEED.read_bytes())
    for pos, chunk in mutations:
        at = pos % len(data)
        data[at : at + len(chunk)] = chunk
    if cut is not None:
        data = data[: cut % (len(data) + 1)]
    _exercise(bytes(data))


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.binary(max_size=2048))
def test_random_bytes(data: bytes) -> None:
    _exercise(b"dex\n035\0" + data)
