"""The ZIP reader: every trick reported, data read as Android reads it, zipfile as the oracle.

Hostile archives are built byte by byte here (``build``), so each test breaks exactly one
thing; the corpus tests then check that on real APKs the reader agrees with Python's zipfile
wherever zipfile can read at all.
"""

from __future__ import annotations

import contextlib
import io
import mmap
import random
import struct
import tracemalloc
import warnings
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from chaincut.extractors.findings import Findings
from chaincut.extractors.zip import ZipArchive, ZipEntry, ZipEntryError, ZipFormatError
from chaincut.extractors.zip.codes import CODES
from chaincut.extractors.zip.names import android_utf8_ok
from chaincut.extractors.zip.report import PER_CODE
from tests.corpus import corpus_dir

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "apk"
LFH = struct.Struct("<4sHHHHHIIIHH")
CDR = struct.Struct("<4sHHHHHHIIIHHHHHII")
EOCD = struct.Struct("<4sHHHHIIH")


def deflate(data: bytes) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


@dataclass
class E:
    """One entry to write; every header field can be overridden on either side."""

    name: bytes
    plain: bytes = b"payload"
    method: int = 0
    deflated: bool | None = None  # compress the payload; default: method == 8
    flags: int = 0
    crc: int | None = None
    csize: int | None = None
    usize: int | None = None
    local: dict[str, Any] = field(default_factory=dict)  # name/method/flags/crc/csize/usize/extra
    cd_extra: bytes = b""
    descriptor: bytes = b""  # written right after the data
    lho: int | None = None  # central record's local header offset
    gap: bytes = b""  # bytes written before the local header
    raw: bytes | None = None  # exact data bytes (overrides plain/deflated)


def build(
    entries: list[E],
    *,
    prefix: bytes = b"",
    before_cd: bytes = b"",
    after_cd: bytes = b"",
    comment: bytes = b"",
    comment_len: int | None = None,
    trailing: bytes = b"",
    count: int | None = None,
    on_disk: int | None = None,
    cd_size: int | None = None,
    cd_offset: int | None = None,
    disk: int = 0,
    extra_records: bytes = b"",
    zip64: bool = False,
) -> bytes:
    out = bytearray(prefix)
    central = bytearray()
    for e in entries:
        out += e.gap
        lho = len(out)
        deflated = e.method == 8 if e.deflated is None else e.deflated
        data = e.raw if e.raw is not None else deflate(e.plain) if deflated else e.plain
        crc = zlib.crc32(e.plain) if e.crc is None else e.crc
        csize = len(data) if e.csize is None else e.csize
        usize = len(e.plain) if e.usize is None else e.usize
        loc = e.local
        lname = loc.get("name", e.name)
        lextra = loc.get("extra", b"")
        out += LFH.pack(
            b"PK\x03\x04",
            20,
            loc.get("flags", e.flags),
            loc.get("method", e.method),
            0,
            0,
            loc.get("crc", crc),
            loc.get("csize", csize),
            loc.get("usize", usize),
            len(lname),
            len(lextra),
        )
        out += lname + lextra + data + e.descriptor
        central += CDR.pack(
            b"PK\x01\x02",
            20,
            20,
            e.flags,
            e.method,
            0,
            0,
            crc,
            csize,
            usize,
            len(e.name),
            len(e.cd_extra),
            0,
            0,
            0,
            0,
            lho if e.lho is None else e.lho,
        )
        central += e.name + e.cd_extra
    out += before_cd
    start = len(out)
    out += central + extra_records + after_cd
    n = len(entries) if count is None else count
    size = len(central) if cd_size is None else cd_size
    offset = start if cd_offset is None else cd_offset
    if zip64:
        record_at = len(out)
        out += struct.pack("<4sQHHIIQQQQ", b"PK\x06\x06", 44, 45, 45, 0, 0, n, n, size, offset)
        out += struct.pack("<4sIQI", b"PK\x06\x07", 0, record_at, 1)
        n, size, offset = 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF
    clen = len(comment) if comment_len is None else comment_len
    out += EOCD.pack(
        b"PK\x05\x06", disk, disk, n if on_disk is None else on_disk, n, size, offset, clen
    )
    return bytes(out + comment + trailing)


def parse(buf: bytes) -> ZipArchive:
    return ZipArchive.parse(buf, Findings())


def codes(archive: ZipArchive) -> set[str]:
    return {a.code for a in archive.findings.anomalies}


def read_all(archive: ZipArchive) -> None:
    for e in archive.entries:
        with contextlib.suppress(ZipEntryError):
            archive.read(e)


BASIC = [E(b"AndroidManifest.xml", b"<manifest/>" * 20, method=8), E(b"assets/a.txt", b"hello")]


def zipfile_bytes(items: list[tuple[str, bytes, int]], **kw: Any) -> bytes:
    bio = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with zipfile.ZipFile(bio, "w", **kw) as zf:
            for name, data, method in items:
                zf.writestr(zipfile.ZipInfo(name, (2020, 1, 1, 0, 0, 0)), data, method)
    return bio.getvalue()


# ---------------------------------------------------------------- clean archives


def test_clean_zip_reads_like_zipfile() -> None:
    big = bytes(range(256)) * 4000
    buf = zipfile_bytes([("a.txt", b"hello", 0), ("b/c.bin", big, 8), ("d/", b"", 0)])
    archive = parse(buf)
    assert codes(archive) == set()
    assert archive.android_refusals == []
    assert archive.names() == ["a.txt", "b/c.bin", "d/"]
    assert archive.read("a.txt") == b"hello"
    entry = archive.get("b/c.bin")
    assert entry is not None and entry.method == 8 and entry.index == 1
    assert archive.read(entry) == big
    assert b"".join(archive.iter_chunks(entry, chunk_size=1000)) == big
    assert all(len(c) <= 1000 for c in archive.iter_chunks(entry, chunk_size=1000))
    assert archive.read("d/") == b""
    assert archive.eocd_offset == len(buf) - 22 and archive.signing_block_offset == -1
    assert archive.get("missing") is None


def test_mmap_buffer_works(tmp_path: Path) -> None:
    path = tmp_path / "x.zip"
    path.write_bytes(zipfile_bytes([("a.txt", b"hello" * 100, 8), ("b", b"x", 0)]))
    with path.open("rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm:
        archive = ZipArchive.parse(mm)  # type: ignore[arg-type]
        assert archive.read("a.txt") == b"hello" * 100
        assert list(archive.iter_chunks(archive.entries[1])) == [b"x"]
        assert codes(archive) == set()


def test_findings_default_and_shared() -> None:
    findings = Findings()
    archive = ZipArchive.parse(build([*BASIC, E(b"assets/a.txt")]), findings)
    assert archive.findings is findings and "duplicate_name" in codes(archive)
    assert isinstance(ZipArchive.parse(build(BASIC)).findings, Findings)


# ---------------------------------------------------------------- end record


def test_multiple_eocd_android_uses_last() -> None:
    base = build(BASIC)
    eocd = base[-22:]
    # the real record's comment is a second, complete end record: Android takes that one
    buf = base[:-2] + struct.pack("<H", 22) + eocd
    archive = parse(buf)
    assert "multiple_eocd" in codes(archive)
    assert archive.eocd_offset == len(buf) - 22
    assert archive.android_refusals == []
    assert archive.read("assets/a.txt") == b"hello"


def test_multiple_eocd_falls_back_when_last_is_unusable() -> None:
    bogus = EOCD.pack(b"PK\x05\x06", 0, 0, 1, 1, 50, 999_999, 0)
    buf = build(BASIC, comment=bogus)
    archive = parse(buf)
    assert "multiple_eocd" in codes(archive)
    assert archive.eocd_offset == len(buf) - 22 - len(bogus)
    assert any("unusable" in r for r in archive.android_refusals)
    assert archive.read("assets/a.txt") == b"hello"


def test_nested_zip_end_record_is_not_multiple_eocd() -> None:
    inner = zipfile_bytes([("x", b"y", 0)])
    archive = parse(build([E(b"assets/inner.zip", inner), E(b"z", b"z")]))
    assert "multiple_eocd" not in codes(archive)
    assert archive.read("assets/inner.zip") == inner


def test_trailing_data_and_comment_length() -> None:
    archive = parse(build(BASIC, comment=b"hi", trailing=b"JUNK"))
    assert "trailing_data" in codes(archive)
    assert archive.comment == b"hi" and archive.android_refusals
    archive = parse(build(BASIC, comment=b"hi", comment_len=40))
    assert "eocd_comment_length_mismatch" in codes(archive)
    assert archive.read("assets/a.txt") == b"hello"


def test_disk_numbers_and_count_fields() -> None:
    assert "disk_number_nonzero" in codes(parse(build(BASIC, disk=1)))
    archive = parse(build(BASIC, on_disk=7))
    assert "entry_count_mismatch" in codes(archive) and len(archive.entries) == 2


def test_declared_count_larger_than_records() -> None:
    archive = parse(build(BASIC, count=5))
    assert "entry_count_mismatch" in codes(archive)
    assert [e.name for e in archive.entries] == ["AndroidManifest.xml", "assets/a.txt"]
    assert any("missing" in r for r in archive.android_refusals)


def test_records_past_declared_count_are_hidden() -> None:
    archive = parse(build([*BASIC, E(b"classes.dex", b"dex\n035")], count=2))
    assert "entry_count_mismatch" in codes(archive)
    assert archive.names() == ["AndroidManifest.xml", "assets/a.txt"]
    assert [e.name for e in archive.hidden_entries] == ["classes.dex"]
    assert archive.read(archive.hidden_entries[0]) == b"dex\n035"
    zf = zipfile.ZipFile(io.BytesIO(build([*BASIC, E(b"classes.dex")], count=2)))
    assert len(zf.infolist()) == 3  # zipfile walks by size: it sees what Android does not


def test_cd_size_and_slack() -> None:
    base = build(BASIC)
    cd_size = struct.unpack_from("<I", base, len(base) - 10)[0]
    archive = parse(build(BASIC, cd_size=cd_size - 10))
    assert "cd_size_mismatch" in codes(archive) and archive.android_refusals
    archive = parse(build(BASIC, after_cd=b"\0" * 30, cd_size=cd_size + 30))
    assert "cd_size_mismatch" in codes(archive)
    assert archive.android_refusals == []  # slack inside cd_size is tolerated by Android


def test_data_after_central_directory() -> None:
    archive = parse(build(BASIC, after_cd=b"hidden payload"))
    assert "data_after_central_directory" in codes(archive)
    assert archive.read("assets/a.txt") == b"hello"


def test_prefix_with_unadjusted_offsets() -> None:
    plain = build(BASIC)
    buf = b"MZ" + b"\0" * 98 + plain
    archive = parse(buf)
    assert {"cd_offset_mismatch", "data_before_first_entry"} <= codes(archive)
    assert archive.cd_offset == buf.find(b"PK\x01\x02")
    assert archive.read("AndroidManifest.xml") == b"<manifest/>" * 20


def test_prefix_with_fixed_offsets() -> None:
    archive = parse(build(BASIC, prefix=b"#!/bin/sh\nexit 0\n"))
    assert codes(archive) == {"data_before_first_entry"}
    assert "offset 0 holds no local header" in archive.android_refusals
    assert archive.read("assets/a.txt") == b"hello"


def test_zip64_end_record() -> None:
    archive = parse(build(BASIC, zip64=True))
    assert "zip64" in codes(archive) and archive.zip64
    assert archive.read("assets/a.txt") == b"hello" and len(archive.entries) == 2


def test_zip64_local_extra_from_zipfile() -> None:
    bio = io.BytesIO()
    with zipfile.ZipFile(bio, "w") as zf, zf.open("big.bin", "w", force_zip64=True) as fh:
        fh.write(b"abc" * 1000)
    archive = parse(bio.getvalue())
    assert "local_header_mismatch" not in codes(archive)
    assert archive.read("big.bin") == b"abc" * 1000


def test_too_many_entries_is_bounded() -> None:
    buf = bytearray(build(BASIC, zip64=True))
    record_at = buf.find(b"PK\x06\x06")
    struct.pack_into("<QQ", buf, record_at + 24, 10**9, 10**9)
    archive = parse(bytes(buf))
    assert {"too_many_entries", "entry_count_mismatch"} <= codes(archive)
    assert len(archive.entries) == 2


def test_empty_archive() -> None:
    archive = parse(EOCD.pack(b"PK\x05\x06", 0, 0, 0, 0, 0, 0, 0))
    assert codes(archive) == {"empty_archive"} and archive.entries == []


def test_empty_declaration_hiding_entries_is_recovered() -> None:
    base = build(BASIC)
    buf = base[:-22] + EOCD.pack(b"PK\x05\x06", 0, 0, 0, 0, 0, 0, 0)
    archive = parse(buf)
    assert {"empty_archive", "recovered_from_local_headers"} <= codes(archive)
    assert archive.read("assets/a.txt") == b"hello"


def test_corrupt_central_record() -> None:
    buf = bytearray(build(BASIC))
    second = buf.rfind(b"PK\x01\x02")
    buf[second : second + 4] = b"XX\x01\x02"
    archive = parse(bytes(buf))
    assert "central_directory_corrupt" in codes(archive)
    assert archive.names() == ["AndroidManifest.xml"]


def test_not_a_zip_raises_format_error() -> None:
    for buf in (b"", b"PK", b"MZ" + b"\0" * 500, b"PK\x05\x06" + b"\xff" * 18):
        with pytest.raises(ZipFormatError):
            parse(buf)


# ---------------------------------------------------------------- local headers


def test_local_name_mismatch() -> None:
    archive = parse(build([E(b"assets/config.json", b"{}", local={"name": b"assets/xonfig.json"})]))
    assert "local_header_mismatch" in codes(archive)
    detail = next(a.detail for a in archive.findings.anomalies)
    assert "xonfig" in detail and "cannot open" in detail
    assert archive.read("assets/config.json") == b"{}"


@pytest.mark.parametrize(
    "override",
    [{"method": 0}, {"usize": 999}, {"crc": 1}, {"flags": 0x800}, {"csize": 3}],
)
def test_local_field_mismatch(override: dict[str, int]) -> None:
    archive = parse(build([E(b"a.xml", b"<a/>" * 50, method=8, local=override)]))
    assert "local_header_mismatch" in codes(archive)
    assert archive.read("a.xml") == b"<a/>" * 50  # the central record decides


def test_bad_local_header_signature_and_offset() -> None:
    archive = parse(build([E(b"a"), E(b"b", lho=3)]))
    assert "bad_local_header" in codes(archive)
    entry = archive.get("b")
    assert entry is not None and entry.data_offset == -1
    with pytest.raises(ZipEntryError) as err:
        archive.read(entry)
    assert err.value.code == "bad_local_header"
    archive = parse(build([E(b"a"), E(b"b", lho=10**6)]))
    assert "bad_local_header" in codes(archive)


def test_entry_out_of_bounds() -> None:
    archive = parse(build([E(b"a", b"x" * 10, csize=5000, usize=5000)]))
    assert "entry_out_of_bounds" in codes(archive)
    with pytest.raises(ZipEntryError) as err:
        archive.read("a")
    assert err.value.code == "truncated_entry"
    # a local header inside the central directory: Android refuses the whole archive
    cd_at = build([*BASIC, E(b"c", lho=0)]).find(b"PK\x01\x02")
    archive = parse(build([*BASIC, E(b"c", lho=cd_at)]))
    assert "entry_out_of_bounds" in codes(archive) and archive.android_refusals


def test_oversized_extra_field() -> None:
    archive = parse(build([E(b"a", local={"extra": b"\0" * 30000})]))
    assert "oversized_extra_field" in codes(archive)
    assert archive.read("a") == b"payload"
    # zipalign-sized padding (16 KiB pages) is not flagged
    assert "oversized_extra_field" not in codes(
        parse(build([E(b"a", local={"extra": b"\0" * 16383})]))
    )


def test_data_descriptor_handled_and_checked() -> None:
    plain = b"descriptor" * 30
    data = deflate(plain)
    good = struct.pack("<4sIII", b"PK\x07\x08", zlib.crc32(plain), len(data), len(plain))
    entry = E(b"a", plain, method=8, flags=8, local={"crc": 0, "csize": 0, "usize": 0})
    archive = parse(build([E(b"a", plain, method=8, flags=8, descriptor=good, local=entry.local)]))
    assert codes(archive) == set()
    assert archive.read("a") == plain
    bad = struct.pack("<4sIII", b"PK\x07\x08", 0, len(data), len(plain))
    archive = parse(build([E(b"a", plain, method=8, flags=8, descriptor=bad, local=entry.local)]))
    assert "data_descriptor_mismatch" in codes(archive)


def test_stored_size_mismatch_reads_uncompressed_size() -> None:
    archive = parse(build([E(b"a", b"0123456789", csize=4), E(b"b")]))
    assert "stored_size_mismatch" in codes(archive)
    assert archive.read("a") == b"0123456789"


# ---------------------------------------------------------------- names


def test_duplicate_names_first_wins() -> None:
    archive = parse(build([E(b"x.json", b"first"), E(b"y"), E(b"x.json", b"second")]))
    assert "duplicate_name" in codes(archive)
    assert archive.names() == ["x.json", "y"]
    assert archive.read("x.json") == b"first"
    assert [e.name for e in archive.entries] == ["x.json", "y", "x.json"]
    detail = next(a.detail for a in archive.findings.anomalies if a.code == "duplicate_name")
    assert "kDuplicateEntry" in detail and "Master Key" in detail
    assert "duplicate entry 'x.json'" in archive.android_refusals


def test_names_differing_only_in_invalid_bytes() -> None:
    archive = parse(build([E(b"a\xff", b"1"), E(b"a\xfe", b"2")]))
    assert "duplicate_name" in codes(archive) and "invalid_utf8_name" in codes(archive)
    assert archive.read("a\ufffd") == b"1"


@pytest.mark.parametrize(
    ("name", "code"),
    [
        (b"", "empty_name"),
        (b"../../evil.so", "path_traversal_name"),
        (b"lib/../../x", "path_traversal_name"),
        (b"/etc/passwd", "path_traversal_name"),
        (b"..\\..\\evil.dll", "path_traversal_name"),
        (b"assets\\x.js", "path_traversal_name"),
        (b"C:/x", "path_traversal_name"),
        (b"bad\xffname", "invalid_utf8_name"),
        (b"a\x00b", "nul_in_name"),
    ],
)
def test_name_anomalies(name: bytes, code: str) -> None:
    archive = parse(build([E(name, b"x"), E(b"ok", b"y")]))
    assert code in codes(archive)
    assert archive.read("ok") == b"y"


def test_clean_names_are_not_flagged() -> None:
    names = [b"a..b", b"res/x..y.png", "日本/名前.txt".encode(), b"lib/arm64-v8a/libx.so"]
    archive = parse(build([E(n, b"x") for n in names]))
    assert codes(archive) == set()


def test_android_utf8_is_lenient() -> None:
    assert android_utf8_ok("é".encode())
    assert android_utf8_ok(b"\xc0\x80")  # overlong NUL: Python refuses, Android accepts
    assert android_utf8_ok(b"\xed\xa0\x80")  # surrogate
    assert not android_utf8_ok(b"\xff")
    assert not android_utf8_ok(b"\x80")
    assert not android_utf8_ok(b"\xe2\x82")
    assert not android_utf8_ok(b"a\x00")
    archive = parse(build([E(b"\xc0\x80x", b"x")]))
    detail = next(a.detail for a in archive.findings.anomalies if a.code == "invalid_utf8_name")
    assert "accepts" in detail


# ---------------------------------------------------------------- methods and flags


def test_unknown_method_read_as_stored_with_uncompressed_size() -> None:
    archive = parse(build([E(b"AndroidManifest.xml", b"\x03\x00\x08\x00binaryxml", method=99)]))
    assert "unsupported_compression_method" in codes(archive)
    assert "method 99" in archive.findings.anomalies[0].detail
    assert archive.read("AndroidManifest.xml") == b"\x03\x00\x08\x00binaryxml"
    # the length Android uses is the uncompressed size, even when the compressed one is smaller
    archive = parse(build([E(b"m", b"0123456789", method=12, csize=3), E(b"z")]))
    assert archive.read("m") == b"0123456789"


def test_fake_encryption_flag() -> None:
    plain = b"not encrypted at all" * 10
    buf = build([E(b"a.txt", plain, method=8, flags=1), E(b"b", flags=0x41)])
    archive = parse(buf)
    assert "fake_encryption_flag" in codes(archive)
    assert archive.read("a.txt") == plain and archive.read("b") == b"payload"
    with pytest.raises(RuntimeError):  # the desktop view: zipfile asks for a password
        zipfile.ZipFile(io.BytesIO(buf)).read("a.txt")


def test_crc_mismatch_returns_data_and_reports() -> None:
    archive = parse(build([E(b"a", b"tampered", crc=0x12345678)]))
    assert archive.read("a") == b"tampered"
    assert "crc_mismatch" in codes(archive)
    archive = parse(build([E(b"a", b"tampered" * 100, method=8, crc=1)]))
    assert b"".join(archive.iter_chunks(archive.entries[0], chunk_size=64)) == b"tampered" * 100
    assert "crc_mismatch" in codes(archive)


def test_uncompressed_size_mismatch() -> None:
    archive = parse(build([E(b"a", b"abc" * 100, method=8, usize=7)]))
    assert archive.read("a") == b"abc" * 100
    assert "uncompressed_size_mismatch" in codes(archive)


def test_inflate_errors() -> None:
    archive = parse(build([E(b"a", raw=b"\xff\xff\xff\xff garbage", method=8)]))
    readers: list[Callable[[ZipEntry], bytes]] = [
        archive.read,
        lambda e: b"".join(archive.iter_chunks(e)),
    ]
    for reader in readers:
        with pytest.raises(ZipEntryError) as err:
            reader(archive.entries[0])
        assert err.value.code == "inflate_error"
    cut = deflate(b"x" * 5000 + bytes(range(256)) * 20)[:-20]
    archive = parse(build([E(b"a", raw=cut, method=8)]))
    with pytest.raises(ZipEntryError, match="cut short"):
        archive.read("a")


def test_entry_not_found() -> None:
    with pytest.raises(ZipEntryError) as err:
        parse(build(BASIC)).read("nope")
    assert err.value.code == "entry_not_found"


# ---------------------------------------------------------------- layout


def test_data_between_entries_and_before_cd() -> None:
    archive = parse(build([E(b"a"), E(b"b", gap=b"HIDDEN DEX")], before_cd=b"MORE"))
    assert {"data_between_entries", "data_before_central_directory"} <= codes(archive)


def test_overlapping_entries() -> None:
    inner_data = b"inner data"
    inner = LFH.pack(b"PK\x03\x04", 20, 0, 0, 0, 0, zlib.crc32(inner_data), 10, 10, 1, 0)
    outer_plain = b"head" + inner + b"i" + inner_data + b"tail"
    buf = build([E(b"o", outer_plain), E(b"i", inner_data, lho=30 + 1 + 4)])
    # the second record's local header is the one embedded in the first entry's data
    buf = buf.replace(b"PK\x01\x02", b"PK\x01\x02", 2)
    archive = parse(buf)
    assert "overlapping_entries" in codes(archive)
    assert archive.read("i") == inner_data and archive.read("o") == outer_plain


def test_same_local_header_twice_overlaps() -> None:
    archive = parse(build([E(b"a", b"x"), E(b"b", b"x", lho=0, local={"name": b"a"})]))
    assert "overlapping_entries" in codes(archive)


def test_signing_block_is_recognised_not_flagged() -> None:
    pairs = struct.pack("<QI", 4 + 8, 0x7109871A) + b"\x01" * 8
    size = len(pairs) + 8 + 16
    block = struct.pack("<Q", size) + pairs + struct.pack("<Q", size) + b"APK Sig Block 42"
    buf = build(BASIC, before_cd=block)
    archive = parse(buf)
    assert codes(archive) == set()
    assert archive.signing_block_offset == buf.find(block)
    assert archive.cd_offset == buf.find(block) + len(block)
    # junk before the block is still reported
    archive = parse(build(BASIC, before_cd=b"junk" + block))
    assert codes(archive) == {"data_before_central_directory"}


# ---------------------------------------------------------------- bombs and limits


def test_declared_bomb_is_flagged_and_bounded() -> None:
    plain = bytes(16 << 20)
    archive = parse(build([E(b"assets/bomb.bin", plain, method=8)]))
    assert "compression_ratio_extreme" in codes(archive)
    tracemalloc.start()
    with pytest.raises(ZipEntryError) as err:
        archive.read("assets/bomb.bin", max_size=1 << 20)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert err.value.code == "entry_too_large"
    assert peak < 8 << 20
    with pytest.raises(ZipEntryError, match="entry_too_large"):
        for _ in archive.iter_chunks(archive.entries[0], chunk_size=1 << 16, max_size=1 << 20):
            pass


def test_lying_bomb_is_bounded_and_flagged_on_read() -> None:
    plain = bytes(12 << 20)
    archive = parse(build([E(b"b", plain, method=8, usize=100)]))
    assert "compression_ratio_extreme" not in codes(archive)  # the header lies
    with pytest.raises(ZipEntryError, match="entry_too_large"):
        archive.read("b", max_size=1 << 20)
    assert len(archive.read("b", max_size=16 << 20)) == 12 << 20
    assert {"compression_ratio_extreme", "uncompressed_size_mismatch"} <= codes(archive)


def test_stored_entry_too_large() -> None:
    archive = parse(build([E(b"a", b"x" * 5000)]))
    with pytest.raises(ZipEntryError, match="entry_too_large"):
        archive.read("a", max_size=100)


def test_per_code_cap_keeps_findings_bounded() -> None:
    entries = [E(f"../x{i}".encode(), b"x") for i in range(PER_CODE + 30)]
    archive = parse(build(entries))
    hits = [a for a in archive.findings.anomalies if a.code == "path_traversal_name"]
    assert len(hits) == PER_CODE + 1
    assert f"{PER_CODE + 30} occurrences" in hits[-1].detail


# ---------------------------------------------------------------- truncation and recovery


def test_truncated_file_is_recovered() -> None:
    big = bytes(range(256)) * 200
    full = build([E(b"AndroidManifest.xml", b"<m/>" * 50, method=8), E(b"classes.dex", big)])
    buf = full[: full.find(b"classes.dex") + 11 + 1000]
    archive = parse(buf)
    assert {"truncated", "recovered_from_local_headers"} <= codes(archive)
    assert archive.recovered and archive.android_refusals
    assert archive.read("AndroidManifest.xml") == b"<m/>" * 50
    with pytest.raises(ZipEntryError) as err:
        archive.read("classes.dex")
    assert err.value.code == "truncated_entry"
    with pytest.raises(ZipEntryError, match="truncated_entry"):
        list(archive.iter_chunks(archive.get("classes.dex")))  # type: ignore[arg-type]


def test_recovery_uses_data_descriptors() -> None:
    plain = b"streamed" * 40
    data = deflate(plain)
    dd = struct.pack("<4sIII", b"PK\x07\x08", zlib.crc32(plain), len(data), len(plain))
    local = {"crc": 0, "csize": 0, "usize": 0}
    full = build([E(b"a", plain, 8, flags=8, descriptor=dd, local=local), E(b"b", b"bb")])
    archive = parse(full[: full.find(b"PK\x01\x02")])
    assert archive.names() == ["a", "b"]
    assert archive.read("a") == plain and archive.read("b") == b"bb"


def test_fixture_truncated_apk() -> None:
    archive = parse((FIXTURES / "truncated.apk").read_bytes())
    assert "truncated" in codes(archive)
    assert archive.read("AndroidManifest.xml").startswith(b"\x03\x00\x08\x00")


@pytest.mark.parametrize(
    ("fixture", "code"),
    [
        ("fake_encryption_flag.apk", "fake_encryption_flag"),
        ("unknown_compression_method.apk", "unsupported_compression_method"),
        ("local_central_mismatch.apk", "local_header_mismatch"),
        ("duplicate_entry.apk", "duplicate_name"),
        ("path_traversal.apk", "path_traversal_name"),
        ("zip_bomb_entry.apk", "compression_ratio_extreme"),
        ("data_prefix.apk", "data_before_first_entry"),
        ("data_prefix_unadjusted.apk", "data_before_first_entry"),
    ],
)
def test_fixture_expected_anomalies(fixture: str, code: str) -> None:
    archive = parse((FIXTURES / fixture).read_bytes())
    assert code in codes(archive)
    assert archive.read("AndroidManifest.xml", max_size=1 << 20)


def test_clean_fixtures_have_no_zip_anomalies() -> None:
    for name in ("unsigned.apk", "v1_only.apk", "v2v3.apk", "v3_rotated.apk", "two_signers.apk"):
        archive = parse((FIXTURES / name).read_bytes())
        assert codes(archive) == set(), name
        assert archive.android_refusals == [], name


# ---------------------------------------------------------------- every code is reachable

ENTRY_ERROR_CODES = {"truncated_entry", "entry_too_large", "inflate_error", "entry_not_found"}
HOSTILE: list[Callable[[], bytes]] = [
    lambda: build(BASIC)[:-2] + struct.pack("<H", 22) + build(BASIC)[-22:],
    lambda: build(BASIC, zip64=True),
    lambda: build(BASIC, trailing=b"x"),
    lambda: build(BASIC, comment_len=9),
    lambda: build(BASIC, disk=2),
    lambda: build(BASIC, count=4),
    lambda: build(BASIC, cd_size=5),
    lambda: b"junk" + build(BASIC),
    lambda: build(BASIC, after_cd=b"x"),
    lambda: EOCD.pack(b"PK\x05\x06", 0, 0, 0, 0, 0, 0, 0),
    lambda: build([E(b"a", local={"method": 8}), E(b"b", lho=7)]),
    lambda: build([E(b"a", b"x", csize=99, usize=99), E(b"b", local={"extra": bytes(40000)})]),
    lambda: build([E(b"a", b"x", flags=8, descriptor=bytes(16)), E(b"b", b"12", csize=1)]),
    lambda: build([E(b"a", method=14), E(b"b", flags=1), E(b"", b""), E(b"", b"")]),
    lambda: build([E(b"../a"), E(b"\xff"), E(b"a\x00")]),
    lambda: build([E(b"a", b"xx", crc=5), E(b"b", gap=b"gap")], before_cd=b"tail"),
    lambda: build([E(b"a", b"x"), E(b"b", b"x", lho=0, local={"name": b"a"})]),
    lambda: build([E(b"z", bytes(3 << 20), method=8, usize=5)]),
    lambda: build([E(b"PK\x05\x06", b"x")], count=1)[:-22] + b"PK\x03\x04",
    lambda: build(BASIC)[: build(BASIC).find(b"PK\x01\x02")],
    lambda: build([E(b"a"), E(b"b")], count=1),
    lambda: build([E(b"x")] * 2),
    lambda: build(BASIC, prefix=b"ab"),
    lambda: build([E(b"a", b"x", csize=10**6, usize=10**6)]),
]


def test_every_code_is_reachable() -> None:
    seen: set[str] = set()
    for make in HOSTILE:
        try:
            archive = parse(make())
        except ZipFormatError:
            continue
        read_all(archive)
        seen |= codes(archive)
    buf = build([E(b"a", b"xyz"), E(b"c", raw=b"\xff\xff", method=8)])
    archive = parse(buf)
    read_all(archive)
    raised = set()
    calls: list[Callable[[], bytes]] = [
        lambda: parse(build([E(b"a", b"x", csize=9999, usize=9999)])).read("a"),
        lambda: parse(build([E(b"a", b"x" * 99)])).read("a", max_size=2),
        lambda: parse(buf).read("c"),
        lambda: parse(buf).read("missing"),
    ]
    for call in calls:
        with pytest.raises(ZipEntryError) as err:
            call()
        raised.add(err.value.code)
    too_many = bytearray(build(BASIC, zip64=True))
    struct.pack_into("<QQ", too_many, too_many.find(b"PK\x06\x06") + 24, 10**9, 10**9)
    seen |= codes(parse(bytes(too_many)))
    seen |= codes(parse(build([E(b"c", raw=b"\x03\x00", method=8, usize=3)])))
    missing = set(CODES) - seen - raised
    assert raised == ENTRY_ERROR_CODES
    assert not missing, sorted(missing)


# ---------------------------------------------------------------- oracle: Python's zipfile


def _corpus_apks() -> list[Path]:
    files: list[Path] = []
    for name in ("androguard", "androguard/apksig", "malware"):
        folder = corpus_dir(name)
        files += sorted(p for p in folder.iterdir() if p.is_file() and p.suffix != ".json")
    return files


def _zipfile_raw_name(info: zipfile.ZipInfo) -> bytes:
    return info.filename.encode("utf-8" if info.flag_bits & 0x800 else "cp437")


@pytest.mark.corpus
@pytest.mark.oracle
def test_corpus_matches_zipfile() -> None:
    compared = entries = 0
    for path in _corpus_apks():
        buf = path.read_bytes()
        try:
            zf = zipfile.ZipFile(io.BytesIO(buf))
            infos = zf.infolist()
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            with pytest.raises(ZipFormatError) if not buf.startswith(b"PK") else _nothing():
                parse(buf)
            continue
        archive = parse(buf)
        if archive.hidden_entries or any(b"\0" in e.raw_name for e in archive.entries):
            continue  # zipfile truncates names at NUL and walks past the count
        ours = [
            (e.raw_name, e.compressed_size, e.uncompressed_size, e.crc32) for e in archive.entries
        ]
        theirs = [(_zipfile_raw_name(i), i.compress_size, i.file_size, i.CRC) for i in infos]
        assert ours == theirs, path.name
        compared += 1
        for entry, info in zip(archive.entries, infos, strict=True):
            entries += _compare_content(zf, info, archive, entry, path.name)
    assert compared > 100 and entries > 5000


def _compare_content(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, archive: ZipArchive, entry: ZipEntry, label: str
) -> int:
    try:
        expected = zf.read(info)
    except (zipfile.BadZipFile, RuntimeError, NotImplementedError, zlib.error, OSError):
        with contextlib.suppress(ZipEntryError):
            archive.read(entry)
        return 0
    assert archive.read(entry) == expected, f"{label}: {entry.name}"
    if len(expected) > 100_000:
        assert b"".join(archive.iter_chunks(entry, chunk_size=65536)) == expected
    return 1


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def _crc_broken_zip() -> bytes:
    """classes.dex (deflated) whose declared CRC is wrong in both headers, and a stored file."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("classes.dex", b"dex\n035\x00" + bytes(range(256)) * 600)
        z.writestr(zipfile.ZipInfo("a.txt"), b"stored text")
    buf = bytearray(out.getvalue())
    crc = struct.pack("<I", zlib.crc32(b"dex\n035\x00" + bytes(range(256)) * 600))
    for at in (buf.find(b"PK\x03\x04"), buf.find(b"PK\x01\x02")):
        field_at = buf.find(crc, at)
        buf[field_at : field_at + 4] = b"\x00\x00\x00\x00"
    return bytes(buf)


def _anomalies(f: Findings) -> list[tuple[str, str, str | None]]:
    return [
        (a.code, a.detail, a.location.entry if a.location else None)
        for a in f.finalized_anomalies()
    ]


def test_entries_kept_from_a_stream_read_the_same_as_inflated_again() -> None:
    buf = _crc_broken_zip()
    plain, kept = Findings(), Findings()
    a, b = ZipArchive.parse(buf, plain), ZipArchive.parse(buf, kept)
    b.keep_streamed([e for e in b.entries if e.name == "classes.dex"], 1 << 20)
    for archive in (a, b):
        for entry in archive.entries:
            b"".join(archive.iter_chunks(entry, chunk_size=4096))  # the digest pass
    dex_a, dex_b = a.get("classes.dex"), b.get("classes.dex")
    assert dex_a is not None and dex_b is not None
    assert id(dex_b) in b._kept  # the stream was kept ...
    assert b.read(dex_b) == a.read(dex_a)
    assert id(dex_b) not in b._kept  # ... and handed out once
    with pytest.raises(ZipEntryError) as small_a:
        a.read(dex_a, max_size=100)
    b.keep_streamed([dex_b], 1 << 20)
    b"".join(b.iter_chunks(dex_b))
    with pytest.raises(ZipEntryError) as small_b:
        b.read(dex_b, max_size=100)  # the limit still holds for kept data
    assert small_a.value.code == small_b.value.code == "entry_too_large"
    assert _anomalies(plain) == _anomalies(kept)
    assert [e for c, _, e in _anomalies(kept) if c == "crc_mismatch"] == ["classes.dex"]


def test_keeping_is_bounded_and_dropped() -> None:
    archive = ZipArchive.parse(_crc_broken_zip(), Findings())
    dex = archive.get("classes.dex")
    assert dex is not None
    archive.keep_streamed([dex], 1000)  # smaller than the entry: streamed, not kept
    b"".join(archive.iter_chunks(dex))
    assert archive._kept == {}
    archive.keep_streamed([dex], 1 << 20)
    b"".join(archive.iter_chunks(dex))
    archive.drop_kept()
    assert archive._kept == {} and archive._room == 0


def test_head_is_the_first_streamed_chunk() -> None:
    out = io.BytesIO()
    rng = random.Random(5)
    noise = bytes(rng.randrange(256) for _ in range(20000))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("big.png", b"PK\x03\x04" + noise)  # deflated, longer than HEAD_INPUT
        z.writestr("small.jpg", b"dex\n035")  # deflated, shorter than the head
        z.writestr(zipfile.ZipInfo("stored.mp3"), b"\x7fELF" + noise[:100])
        z.writestr(zipfile.ZipInfo("empty.txt"), b"")
    archive = ZipArchive.parse(out.getvalue(), Findings())
    for entry in archive.entries:
        for size in (1, 16, 4096):
            first = next(iter(archive.iter_chunks(entry, chunk_size=size)), b"")
            assert archive.head(entry, size) == first, (entry.name, size)


def test_read_whole_is_a_complete_stream_in_one_piece() -> None:
    """What v1 digests of a small entry: the same bytes, notes and keeping as streaming it,
    and None (so the caller streams) when the entry is larger than the limit."""
    buf = _crc_broken_zip()
    streamed, whole = Findings(), Findings()
    a, b = ZipArchive.parse(buf, streamed), ZipArchive.parse(buf, whole)
    for archive in (a, b):
        archive.keep_streamed([e for e in archive.entries if e.name == "classes.dex"], 1 << 20)
    for ea, eb in zip(a.entries, b.entries, strict=True):
        assert b.read_whole(eb, 1 << 20) == b"".join(a.iter_chunks(ea, chunk_size=4096))
    assert _anomalies(streamed) == _anomalies(whole)
    assert set(map(len, a._kept.values())) == set(map(len, b._kept.values())) != set()
    dex = b.get("classes.dex")
    assert dex is not None and b.read_whole(dex, 1000) is None  # larger: stream it


def test_read_whole_leaves_unreadable_entries_to_the_stream() -> None:
    buf = bytearray(_crc_broken_zip())
    at = buf.find(b"PK\x03\x04") + 30 + len("classes.dex")
    buf[at : at + 8] = b"\xff" * 8  # the deflate stream is broken
    archive = ZipArchive.parse(bytes(buf), Findings())
    dex = archive.get("classes.dex")
    assert dex is not None and archive.read_whole(dex, 1 << 20) is None
    with pytest.raises(ZipEntryError):
        b"".join(archive.iter_chunks(dex))
