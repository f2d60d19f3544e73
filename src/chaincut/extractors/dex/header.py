"""The DEX header and its sanity checks (each oddity an anomaly, never an exception)."""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

from chaincut.extractors.findings import Findings

HEADER = struct.Struct("<8sI20sIIIIIIIIIIIIIIIIIIII")
HEADER_SIZE = 0x70
ENDIAN = 0x12345678
REVERSE_ENDIAN = 0x78563412
VERSIONS = {b"035", b"036", b"037", b"038", b"039", b"040", b"041"}


@dataclass(frozen=True, slots=True)
class Section:
    size: int
    offset: int


@dataclass(frozen=True, slots=True)
class DexHeader:
    version: str | None
    checksum_ok: bool | None
    strings: Section
    types: Section
    protos: Section
    fields: Section
    methods: Section
    classes: Section
    map_off: int
    data_end: int


def _section(
    buf_len: int, size: int, off: int, item: int, name: str, note: Findings, entry: str
) -> Section:
    if size == 0:
        return Section(0, 0)
    if off >= buf_len or off + size * item > buf_len:
        fits = max(0, (buf_len - off) // item) if off < buf_len else 0
        note.anomaly("dex_section_out_of_bounds", f"{name}: {size} x {item} at {off}", entry=entry)
        return Section(fits, off)
    return Section(size, off)


def read_header(buf: bytes, findings: Findings, entry: str) -> DexHeader | None:
    """The header, or None when the buffer cannot hold one."""
    if len(buf) < HEADER_SIZE:
        findings.anomaly("dex_truncated", f"{len(buf)} bytes", entry=entry)
        return None
    f = HEADER.unpack_from(buf, 0)
    magic, checksum, _sig, file_size, header_size, endian, link_size, link_off, map_off = f[:9]
    version = None
    if magic[:4] != b"dex\n" or magic[7:8] != b"\0":
        findings.anomaly("dex_bad_magic", repr(magic), entry=entry)
    else:
        version = magic[4:7].decode("latin-1")
        if magic[4:7] not in VERSIONS:
            findings.anomaly("dex_unknown_version", version, entry=entry)
    if file_size != len(buf):
        findings.anomaly("dex_size_mismatch", f"header {file_size}, actual {len(buf)}", entry=entry)
    if header_size != HEADER_SIZE:
        findings.anomaly("dex_bad_header_size", f"0x{header_size:x}", entry=entry)
    if endian == REVERSE_ENDIAN:
        findings.anomaly("dex_reverse_endian", "", entry=entry)
    elif endian != ENDIAN:
        findings.anomaly("dex_bad_endian_tag", f"0x{endian:08x}", entry=entry)
    if link_size or link_off:
        findings.anomaly("dex_link_section", f"{link_size} bytes at {link_off}", entry=entry)
    checksum_ok = zlib.adler32(memoryview(buf)[12:]) == checksum
    if not checksum_ok:
        findings.anomaly("dex_bad_checksum", f"header 0x{checksum:08x}", entry=entry)
    n = len(buf)
    sizes = f[9:]

    def sec(i: int, item: int, name: str) -> Section:
        return _section(n, sizes[2 * i], sizes[2 * i + 1], item, name, findings, entry)

    data_size, data_off = sizes[12], sizes[13]
    return DexHeader(
        version=version,
        checksum_ok=checksum_ok,
        strings=sec(0, 4, "string_ids"),
        types=sec(1, 4, "type_ids"),
        protos=sec(2, 12, "proto_ids"),
        fields=sec(3, 8, "field_ids"),
        methods=sec(4, 8, "method_ids"),
        classes=sec(5, 32, "class_defs"),
        map_off=map_off,
        data_end=data_off + data_size,
    )


def check_map(buf: bytes, header: DexHeader, findings: Findings, entry: str) -> None:
    """The map list must be in bounds; bytes past everything known are a payload."""
    n = len(buf)
    if header.map_off == 0 or header.map_off + 4 > n:
        findings.anomaly("dex_bad_map", f"map_off {header.map_off}", entry=entry)
        return
    (count,) = struct.unpack_from("<I", buf, header.map_off)
    map_end = header.map_off + 4 + 12 * count
    if map_end > n:
        findings.anomaly("dex_bad_map", f"{count} items run past the file", entry=entry)
        return
    end = max(map_end, header.data_end)
    if end < n:
        findings.anomaly("dex_data_after_map", f"{n - end} bytes after offset {end}", entry=entry)
