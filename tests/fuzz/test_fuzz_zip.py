"""Hypothesis: whatever the bytes, the ZIP reader raises only its own two errors.

Three generators: raw random bytes (often with ZIP signatures sprinkled in), real small
APKs with bytes flipped / cut / inserted, and archives built field by field with hostile
values. Every parse is followed by reading every entry both ways; when both succeed they
must agree, and every anomaly code must be a registered one.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chaincut.extractors.findings import Findings
from chaincut.extractors.zip import ZipArchive, ZipEntryError, ZipFormatError
from chaincut.extractors.zip.codes import CODES
from tests.corpus import SHARED
from tests.test_zip_reader import E, build

pytestmark = pytest.mark.fuzz
EXAMPLES = int(os.environ.get("CHAINCUT_FUZZ_EXAMPLES", "300"))
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "apk"
SEEDS = [FIXTURES / "unsigned.apk", FIXTURES / "v2v3.apk", FIXTURES / "duplicate_entry.apk"]
CORPUS_SEEDS = [
    SHARED / "corpus" / "androguard" / "apksig" / "v2-only-two-signers.apk",
    SHARED / "corpus" / "androguard" / "apksig" / "golden-aligned-v1-out.apk",
]
SIGS = [b"PK\x03\x04", b"PK\x01\x02", b"PK\x05\x06", b"PK\x06\x06", b"PK\x06\x07", b"PK\x07\x08"]
LIMIT = 1 << 20
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def seeds() -> list[bytes]:
    found = [p.read_bytes() for p in SEEDS + CORPUS_SEEDS if p.is_file()]
    if not found:
        pytest.skip("no seed APKs (tests/fixtures/apk missing)")
    return found


def exercise(buf: bytes) -> None:
    """Parse and read everything; only the reader's own errors may escape."""
    try:
        archive = ZipArchive.parse(buf, Findings())
    except ZipFormatError:
        return
    for entry in [*archive.entries, *archive.hidden_entries]:
        whole: bytes | None
        try:
            whole = archive.read(entry, max_size=LIMIT)
        except ZipEntryError as exc:
            assert exc.code in CODES
            whole = None
        try:
            streamed = b"".join(archive.iter_chunks(entry, chunk_size=4096, max_size=LIMIT))
        except ZipEntryError as exc:
            assert exc.code in CODES
            streamed = None
        if whole is not None and streamed is not None:
            assert whole == streamed
    for name in archive.names():
        first = archive.get(name)
        assert first is not None
        assert first is next(e for e in archive.entries if e.name == name)
    assert {a.code for a in archive.findings.anomalies} <= set(CODES)


@SETTINGS
@given(
    body=st.binary(max_size=2048),
    sigs=st.lists(
        st.tuples(st.sampled_from(SIGS), st.integers(min_value=0, max_value=2048)), max_size=6
    ),
)
def test_random_bytes(body: bytes, sigs: list[tuple[bytes, int]]) -> None:
    buf = bytearray(body)
    for sig, at in sigs:
        at = min(at, len(buf))
        buf[at:at] = sig
    exercise(bytes(buf))


@SETTINGS
@given(
    which=st.integers(min_value=0, max_value=10),
    flips=st.lists(
        st.tuples(st.integers(min_value=0), st.integers(min_value=0, max_value=255)), max_size=10
    ),
    cut=st.one_of(st.none(), st.integers(min_value=0)),
    insert=st.one_of(st.none(), st.tuples(st.integers(min_value=0), st.binary(max_size=64))),
)
def test_mutated_apks(
    which: int,
    flips: list[tuple[int, int]],
    cut: int | None,
    insert: tuple[int, bytes] | None,
) -> None:
    pool = seeds()
    buf = bytearray(pool[which % len(pool)])
    # aim half of the flips at the central directory and end record, where the fields live
    tail = max(0, len(buf) - 600)
    for i, (pos, value) in enumerate(flips):
        at = (tail + pos % 600 if i % 2 else pos) % len(buf)
        buf[at] = value
    if insert is not None:
        at = insert[0] % (len(buf) + 1)
        buf[at:at] = insert[1]
    if cut is not None:
        del buf[cut % (len(buf) + 1) :]
    exercise(bytes(buf))


U32 = st.one_of(
    st.sampled_from([0, 1, 0xFFFF, 0xFFFFFFFF, 0x7FFFFFFF]),
    st.integers(min_value=0, max_value=0xFFFFFFFF),
)
U16 = st.integers(min_value=0, max_value=0xFFFF)

ENTRY = st.builds(
    E,
    name=st.one_of(
        st.sampled_from([b"AndroidManifest.xml", b"classes.dex", b"../x", b"", b"a\x00", b"\xff"]),
        st.binary(max_size=12),
    ),
    plain=st.binary(max_size=300),
    method=st.sampled_from([0, 8, 8, 12, 99, 0xFFFF]),
    flags=st.sampled_from([0, 1, 8, 9, 0x41, 0x808, 0xFFFF]),
    crc=st.one_of(st.none(), U32),
    csize=st.one_of(st.none(), st.none(), U32),
    usize=st.one_of(st.none(), st.none(), U32),
    local=st.dictionaries(
        st.sampled_from(["method", "flags", "crc", "csize", "usize"]), U16, max_size=2
    ),
    cd_extra=st.one_of(
        st.just(b""), st.binary(max_size=40), st.just(b"\x01\x00\x18\x00" + b"\xff" * 24)
    ),
    descriptor=st.one_of(st.just(b""), st.binary(max_size=24)),
    lho=st.one_of(st.none(), st.none(), U32),
    gap=st.one_of(st.just(b""), st.sampled_from(SIGS), st.binary(max_size=20)),
)


@SETTINGS
@given(
    entries=st.lists(ENTRY, max_size=6),
    count=st.one_of(st.none(), U16),
    cd_size=st.one_of(st.none(), U32),
    cd_offset=st.one_of(st.none(), U32),
    comment=st.binary(max_size=40),
    comment_len=st.one_of(st.none(), U16),
    zip64=st.booleans(),
    prefix=st.binary(max_size=8),
    trailing=st.binary(max_size=8),
)
def test_structured_archives(
    entries: list[E],
    count: int | None,
    cd_size: int | None,
    cd_offset: int | None,
    comment: bytes,
    comment_len: int | None,
    zip64: bool,
    prefix: bytes,
    trailing: bytes,
) -> None:
    buf = build(
        entries,
        count=count,
        cd_size=cd_size,
        cd_offset=cd_offset,
        comment=comment,
        comment_len=comment_len,
        zip64=zip64,
        prefix=prefix,
        trailing=trailing,
    )
    exercise(buf)
