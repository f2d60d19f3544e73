"""Hypothesis: whatever the bytes, the DEX reader and every accessor never raise.

Three generators: real and built DEX files with bytes flipped, cut, inserted and u32
fields (header fields above all) overwritten with hostile values; a built DEX whose
header fields are replaced one by one with any value; and random bytes behind a DEX
magic. Every anomaly code emitted must be registered and the facts must build.
"""

from __future__ import annotations

import os
import struct
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chaincut.extractors.dex import DexFile, dex_facts
from chaincut.extractors.dex.codes import CODES
from chaincut.extractors.findings import Findings
from tests.corpus import SHARED
from tests.dex_build import DexSpec, build, fix, sample_spec

pytestmark = pytest.mark.fuzz
EXAMPLES = int(os.environ.get("CHAINCUT_FUZZ_EXAMPLES", "300"))
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
HOSTILE = [0, 1, 2, 3, 4, 0x70, 0x7F, 0x80, 0xFFFF, 0x10000, 0x7FFFFFFF, 0xFFFFFFFF]
FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "apk" / "sample.dex"


@cache
def seeds() -> tuple[bytes, ...]:
    """Built DEX files, the fixture, and the smallest real DEX files of the corpus."""
    found = [build(sample_spec()), build(DexSpec(strings=["a\x00", "\U0001f600", "x" * 300]))]
    if FIXTURE.exists():
        found.append(FIXTURE.read_bytes())
    corpus = sorted(
        (SHARED / "corpus" / "androguard").glob("*.dex"), key=lambda p: p.stat().st_size
    )
    found += [p.read_bytes() for p in corpus[:4] if p.stat().st_size < 64_000]
    return tuple(found)


def exercise(buf: bytes) -> None:
    findings = Findings()
    dex = DexFile.parse(buf, findings)
    dex.string(0)
    dex.types()
    dex.class_defs()
    dex.packages()
    dex.api_refs()
    dex.strings()
    for _ in dex.method_refs():
        pass
    dex.raw_string_data()
    dex.scan_bytes()
    facts = dex_facts(dex)
    assert facts.size == len(buf)
    assert {a.code for a in findings.anomalies} <= set(CODES)


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    buf = bytearray(draw(st.sampled_from(seeds())))
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(
            st.sampled_from(["flip", "header", "field", "write", "cut", "insert", "delete"])
        )
        at = draw(st.integers(0, max(0, len(buf) - 1)))
        if kind == "flip" and buf:
            buf[at] ^= 1 << draw(st.integers(0, 7))
        elif kind in ("header", "field") and len(buf) >= 4:
            at = draw(st.integers(8, 27)) * 4 if kind == "header" else at & ~3
            at = min(at, len(buf) - 4)
            struct.pack_into("<I", buf, at, draw(st.sampled_from(HOSTILE)))
        elif kind == "write":
            chunk = draw(st.binary(min_size=1, max_size=8))
            buf[at : at + len(chunk)] = chunk
        elif kind == "cut":
            del buf[at:]
        elif kind == "insert":
            buf[at:at] = draw(st.binary(min_size=1, max_size=24))
        else:
            del buf[at : at + draw(st.integers(1, 32))]
    if len(buf) >= 0x70 and draw(st.booleans()):
        return fix(buf)  # valid digests, so the damage is all the reader sees
    return bytes(buf)


@st.composite
def header_fields(draw: st.DrawFn) -> bytes:
    """The built DEX with one to four header u32 fields set to anything."""
    buf = bytearray(build(sample_spec()))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(8, 27)) * 4
        value = draw(st.one_of(st.sampled_from(HOSTILE), st.integers(0, 0xFFFFFFFF)))
        struct.pack_into("<I", buf, at, value)
    return fix(buf)


@SETTINGS
@given(mutated())
def test_mutated_dex_never_raises(buf: bytes) -> None:
    exercise(buf)


@SETTINGS
@given(header_fields())
def test_hostile_header_fields_never_raise(buf: bytes) -> None:
    exercise(buf)


@SETTINGS
@given(st.binary(max_size=4096), st.sampled_from([b"035", b"039", b"041", b"\xff\x00z"]))
def test_random_bytes_never_raise(tail: bytes, version: bytes) -> None:
    exercise(b"dex\n" + version + b"\0" + tail)
    exercise(tail)
