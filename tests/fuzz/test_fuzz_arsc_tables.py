"""Fuzz resources.arsc lookups on mutated real tables: parse and every lookup never raise."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chaincut.extractors.apk.arsc import ResourceTable
from chaincut.extractors.findings import Findings

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "apk" / "labels_locales.apk"
EXAMPLES = int(os.environ.get("CHAINCUT_FUZZ_EXAMPLES", "300"))
pytestmark = pytest.mark.fuzz


def _seed() -> bytes:
    with zipfile.ZipFile(FIXTURE) as z:
        return z.read("resources.arsc")


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    mutations=st.lists(
        st.tuples(st.integers(min_value=0, max_value=1 << 20), st.binary(min_size=1, max_size=8)),
        min_size=1,
        max_size=16,
    ),
)
def test_mutated_tables(mutations: list[tuple[int, bytes]]) -> None:
    data = bytearray(_seed())
    for pos, chunk in mutations:
        at = pos % len(data)
        data[at : at + len(chunk)] = chunk
    table = ResourceTable.parse(bytes(data), Findings())
    for res_id in (0x7F050000, 0x7F030000, 0x7F040000, 0x00000001, 0x7F7F7F7F):
        table.localized_strings(res_id)
        table.files_of(res_id)
        table.name_of(res_id)
    table.strings()
    table.string_locales()
