"""Hypothesis: whatever the bytes, parse_axml + read_manifest never raise.

Three generators: real manifests (from the corpora, plus built ones) with bytes flipped,
cut, inserted and 32-bit fields overwritten with hostile values; built manifests whose
chunk headers are corrupted field by field; and raw random bytes behind an AXML header.
Every anomaly code emitted must be registered, and the facts must build an ApkFacts.
"""

from __future__ import annotations

import os
import struct
import zipfile
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chaincut.extractors.apk.axml import attrs as A
from chaincut.extractors.apk.axml import parse_axml
from chaincut.extractors.apk.manifest import read_manifest
from chaincut.extractors.findings import Findings
from chaincut.facts.codes import all_codes
from chaincut.facts.models import ApkFacts
from tests.axml_builder import T_BOOL, T_DEC, T_REF, T_STRING, manifest
from tests.corpus import SHARED

pytestmark = pytest.mark.fuzz
EXAMPLES = int(os.environ.get("CHAINCUT_FUZZ_EXAMPLES", "300"))
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
HOSTILE = [0, 1, 2, 3, 4, 7, 8, 16, 20, 0x7FFF, 0xFFFF, 0x10000, 0x7FFFFFFF, 0xFFFFFFFF]


class Resolver:
    def resolve_string(self, res_id: int) -> str | None:
        return "resolved" if res_id & 1 else None

    def name_of(self, res_id: int) -> str | None:
        return "xml/x" if res_id & 2 else None


def built() -> bytes:
    name = (A.NAME, T_STRING, ".Main")
    return manifest(
        {"package": (0, T_STRING, "com.f.z"), "versionCode": (A.VERSION_CODE, T_DEC, 3)},
        children=[
            ("uses-sdk", {"minSdkVersion": (A.MIN_SDK, T_STRING, "Q")}, []),
            ("uses-permission", {"name": (A.NAME, T_STRING, "android.permission.SEND_SMS")}, []),
            ("application", {"label": (A.LABEL, T_REF, 0x7F010001)}, [
                ("activity", {"name": name, "exported": (A.EXPORTED, T_BOOL, 1)}, [
                    ("intent-filter", {}, [("action", {"name": name}, [])]),
                    ("meta-data", {"name": name, "value": (A.VALUE, T_REF, 0x7F000003)}, []),
                ]),
            ]),
        ],
    )  # fmt: skip


@cache
def seeds() -> tuple[bytes, ...]:
    """A few real manifests (smallest first, to keep examples fast) plus a built one."""
    found: list[bytes] = []
    for folder in ("malware", "androguard"):
        for path in sorted((SHARED / "corpus" / folder).glob("*.apk")):
            try:
                with zipfile.ZipFile(path) as zf:
                    found.append(zf.read("AndroidManifest.xml"))
            except (zipfile.BadZipFile, KeyError, OSError):
                continue
    found.sort(key=len)
    return (built(), *found[:: max(1, len(found) // 12)])


def exercise(buf: bytes) -> None:
    findings = Findings()
    root = parse_axml(buf, findings)
    facts = read_manifest(root, findings, Resolver())
    ApkFacts(**facts.as_fields())
    read_manifest(root, Findings())  # and without a resolver
    known = all_codes()
    assert all(a.code in known for a in findings.anomalies)


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    buf = bytearray(draw(st.sampled_from(seeds())))
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(["flip", "field", "cut", "insert", "delete"]))
        at = draw(st.integers(0, max(0, len(buf) - 1)))
        if kind == "flip" and buf:
            buf[at] ^= 1 << draw(st.integers(0, 7))
        elif kind == "field" and len(buf) >= 4:
            at = min(at & ~3, len(buf) - 4)
            struct.pack_into("<I", buf, at, draw(st.sampled_from(HOSTILE)))
        elif kind == "cut":
            del buf[at:]
        elif kind == "insert":
            buf[at:at] = draw(st.binary(min_size=1, max_size=24))
        else:
            del buf[at : at + draw(st.integers(1, 32))]
    return bytes(buf)


@st.composite
def corrupted_headers(draw: st.DrawFn) -> bytes:
    """The built manifest with one chunk header's type, header size or size replaced."""
    buf = bytearray(built())
    offsets, pos = [], 8
    while pos + 8 <= len(buf):
        offsets.append(pos)
        pos += struct.unpack_from("<I", buf, pos + 4)[0]
    at = draw(st.sampled_from([0, *offsets]))
    field = draw(st.sampled_from([(0, "<H"), (2, "<H"), (4, "<I")]))
    limit = 0xFFFF if field[1] == "<H" else 0xFFFFFFFF
    value = draw(st.one_of(st.sampled_from(HOSTILE), st.integers(0, 0xFFFFFFFF))) & limit
    struct.pack_into(field[1], buf, at + field[0], value)
    return bytes(buf)


@SETTINGS
@given(mutated())
def test_mutated_manifests_never_raise(buf: bytes) -> None:
    exercise(buf)


@SETTINGS
@given(corrupted_headers())
def test_corrupted_chunk_headers_never_raise(buf: bytes) -> None:
    exercise(buf)


@SETTINGS
@given(st.binary(max_size=2048))
def test_random_bytes_never_raise(tail: bytes) -> None:
    exercise(struct.pack("<HHI", 3, 8, 8 + len(tail)) + tail)
    exercise(tail)
