"""Hypothesis: whatever the bytes, ResourceTable.parse and every lookup never raise.

Seeds are small real tables (corpus and fixtures) and a crafted table using every layout
(dense, offset16, sparse, compact, bags, library, staged alias, several configs). They are
mutated by byte flips, cuts, insertions and overwrites with hostile 16/32-bit values, and
pure random bytes are thrown in too. Every call of the public API runs on each result and
every anomaly code must be a registered one.
"""

from __future__ import annotations

import os
import struct
import zipfile
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chaincut.extractors.apk.arsc import ResourceTable
from chaincut.extractors.findings import Findings
from chaincut.facts.codes import all_codes
from tests import arsc_build as b
from tests.corpus import SHARED

pytestmark = pytest.mark.fuzz
EXAMPLES = int(os.environ.get("CHAINCUT_FUZZ_EXAMPLES", "300"))
MAX_SEED = 64 * 1024
HOSTILE = [0, 1, 7, 8, 0xFF, 0xFFFF, 0x7FFFFFFF, 0xFFFFFFFF, 0x10000, 288, 64, 28]
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def crafted() -> bytes:
    pool = b.string_pool(["Label", "标签", "res/a.png", "res/b.xml"], unterminated=[3])
    chunks = [
        b.library([(2, "com.lib")]),
        b.staged_alias([(0x7F01FFFF, 0x7F010000)]),
        b.type_spec(1, 4),
        b.type_chunk(1, [b.entry(0, 3, 0), b.entry(1, 1, 0x7F010000),
                         b.map_entry(2, 0, [(1, 3, 0)]), b.compact_entry(3, 0x10, 5)]),
        b.type_chunk(1, [b.entry(0, 3, 1)], cfg=b.config(lang="zh", country="CN"), flags=1),
        b.type_chunk(1, [b.entry(0, 3, 1), None, None, b.entry(3, 7, 0x00010000)],
                     cfg=b.config(lang="sr", script="Latn"), flags=2),
        b.type_chunk(2, [b.entry(0, 3, 2)], cfg=b.config(density=480)),
        b.type_chunk(2, [b.entry(0, 3, 3)], cfg=b.config(density=0xFFFE, sdk=26)),
    ]  # fmt: skip
    pkg = b.package(0x7F, "p", ["string", "mipmap"], ["a", "b", "c", "d"], chunks)
    return b.table(pool, [pkg, pkg])


@cache
def seeds() -> list[bytes]:
    found = [crafted()]
    dirs = [SHARED / "corpus" / "androguard", SHARED / "corpus" / "malware",
            Path(__file__).resolve().parents[1] / "fixtures" / "apk"]  # fmt: skip
    for folder in dirs:
        for path in sorted(folder.glob("*.apk")):
            try:
                with zipfile.ZipFile(path) as zf:
                    data = zf.read("resources.arsc")
            except Exception:
                continue
            if len(data) <= MAX_SEED and data not in found:
                found.append(data)
    return found[:24]


def exercise(data: bytes) -> None:
    findings = Findings()
    table = ResourceTable.parse(data, findings)
    ids = [0x7F010000, 0x7F010001, 0x7F010002, 0x7F010003, 0x7F020000, 0x00010000, 0x01040000]
    for pkg in table.packages[:4]:
        for type_id, chunks in list(pkg.types.items())[:6]:
            for chunk in chunks[:3]:
                ids += [(pkg.id << 24) | (type_id << 16) | i for i, _r in chunk.present(data)[:6]]
    for res_id in ids[:80]:
        table.values(res_id)
        table.resolve_string(res_id)
        table.resolve_string(res_id, "zh-rCN")
        table.localized_strings(res_id)
        table.files_of(res_id)
        name = table.name_of(res_id)
        if name is not None:
            type_name, _, key = name.partition("/")
            table.id_of(type_name, key)
    for locale in ["", "night", *table.string_locales()[:5]]:
        table.strings(locale)
    known = all_codes()
    assert all(a.code in known for a in findings.anomalies)
    assert not findings.errors


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(seeds())))
    for _ in range(draw(st.integers(1, 8))):
        if not data:
            break
        pos = draw(st.integers(0, len(data) - 1))
        kind = draw(st.integers(0, 4))
        if kind == 0:
            data[pos] ^= draw(st.integers(1, 255))
        elif kind == 1:
            del data[pos:]
        elif kind == 2:
            data[pos:pos] = draw(st.binary(min_size=1, max_size=16))
        else:
            width = 2 if kind == 3 else 4
            value = draw(st.sampled_from(HOSTILE)) & (0xFFFF if width == 2 else 0xFFFFFFFF)
            data[pos : pos + width] = struct.pack("<H" if width == 2 else "<I", value)
    return bytes(data)


@SETTINGS
@given(mutated())
def test_mutated_tables_never_raise(data: bytes) -> None:
    exercise(data)


@SETTINGS
@given(st.binary(max_size=4096))
def test_random_bytes_never_raise(data: bytes) -> None:
    exercise(data)


@SETTINGS
@given(st.binary(max_size=2048))
def test_table_header_then_random_never_raises(tail: bytes) -> None:
    exercise(struct.pack("<HHII", 2, 12, 12 + len(tail), 1) + tail)
