"""The DEX header and its sanity checks (each oddity an anomaly, never an exception).

Every offset and count here comes from the file, so each section is clamped to what
fits in the buffer and to a hard cap: a lying header costs an anomaly, not memory.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass

from chaincut.extractors import fastzlib
from chaincut.extractors.findings import Findings

HEADER = struct.Struct("<8sI20sIIIIIIIIIIIIIIIIIIII")
HEADER_SIZE = 0x70
HEADER_SIZE_V41 = 0x78  # 041 adds container_size and header_offset
ENDIAN = 0x12345678
REVERSE_ENDIAN = 0x78563412
VERSIONS = frozenset({b"035", b"036", b"037", b"038", b"039", b"040", b"041"})

# (name, item size, cap). Types and protos are u16-indexed by the format itself;
# the caps on the rest bound memory on hostile files far beyond any real app.
SECTIONS = (
    ("string_ids", 4, 2_000_000),
    ("type_ids", 4, 65_536),
    ("proto_ids", 12, 65_536),
    ("field_ids", 8, 1_000_000),
    ("method_ids", 8, 1_000_000),
    ("class_defs", 32, 65_536),
)


@dataclass(frozen=True, slots=True)
class Section:
    """A table: ``size`` items that fit in the file, of which ``read`` are read."""

    size: int
    offset: int
    read: int


EMPTY = Section(0, 0, 0)


@dataclass(frozen=True, slots=True)
class DexHeader:
    version: str | None
    checksum_ok: bool
    signature_ok: bool | None
    file_size: int
    map_off: int
    data_off: int
    data_size: int
    strings: Section
    types: Section
    protos: Section
    fields: Section
    methods: Section
    classes: Section


def _section(
    n: int, size: int, off: int, spec: tuple[str, int, int], findings: Findings, entry: str
) -> Section:
    """The section as far as it fits, then capped; each cut is an anomaly."""
    name, item, cap = spec
    if size == 0:
        return EMPTY
    if off < HEADER_SIZE:
        findings.anomaly(
            "dex_section_out_of_bounds", f"{name} at {off}: inside the header", entry=entry
        )
    fits = max(0, (n - off) // item) if off < n else 0
    if fits < size:
        findings.anomaly(
            "dex_section_out_of_bounds", f"{name}: {size} x {item} at {off}", entry=entry
        )
        size = fits
    if size > cap:
        findings.anomaly("dex_count_capped", f"{name}: {size}, read {cap}", entry=entry)
    return Section(size, off, min(size, cap))


def _magic(magic: bytes, findings: Findings, entry: str) -> str | None:
    """The version string, or None when the magic is not a DEX magic at all."""
    if magic[:4] != b"dex\n":
        findings.anomaly("dex_bad_magic", repr(magic), entry=entry)
        findings.error(f"{entry}: not a DEX file (magic {magic[:4]!r})")
        return None
    version = magic[4:7]
    if version not in VERSIONS or magic[7] != 0:
        findings.anomaly("dex_unknown_version", repr(magic[4:8]), entry=entry)
    return version.decode("latin-1")


def _check_fields(
    buf: bytes, fields: tuple[int, ...], version: str, findings: Findings, entry: str
) -> None:
    """Size, header size, endian tag and link section."""
    file_size, header_size, endian, link_size, link_off = fields[3:8]
    n = len(buf)
    if file_size != n:
        what = "truncated" if file_size > n else "bytes appended"
        findings.anomaly(
            "dex_size_mismatch", f"header {file_size}, actual {n} ({what})", entry=entry
        )
    expected = HEADER_SIZE_V41 if version >= "041" else HEADER_SIZE
    if header_size not in (HEADER_SIZE, expected):
        findings.anomaly("dex_bad_header_size", f"0x{header_size:x}", entry=entry)
    if endian == REVERSE_ENDIAN:
        findings.anomaly("dex_reverse_endian", "read as little-endian anyway", entry=entry)
    elif endian != ENDIAN:
        findings.anomaly("dex_bad_endian_tag", f"0x{endian:08x}", entry=entry)
    if link_size or link_off:
        findings.anomaly("dex_link_section", f"{link_size} bytes at {link_off}", entry=entry)
        if link_off > n or link_size > n - link_off:
            findings.anomaly(
                "dex_section_out_of_bounds", f"link: {link_size} bytes at {link_off}", entry=entry
            )


def _check_digests(
    buf: bytes, checksum: int, signature: bytes, verify: bool, findings: Findings, entry: str
) -> tuple[bool, bool | None]:
    """adler32 over everything after the checksum; SHA-1 over everything after the signature."""
    view = memoryview(buf)
    checksum_ok = fastzlib.adler32(view[12:]) == checksum
    if not checksum_ok:
        findings.anomaly("dex_bad_checksum", f"header 0x{checksum:08x}", entry=entry)
    if not verify:
        return checksum_ok, None
    signature_ok = hashlib.sha1(view[32:]).digest() == signature
    if not signature_ok:
        findings.anomaly("dex_bad_signature", signature.hex(), entry=entry)
    return checksum_ok, signature_ok


def read_header(
    buf: bytes, findings: Findings, entry: str, *, verify_signature: bool = True
) -> DexHeader | None:
    """The header, or None when the buffer is too short or not a DEX at all."""
    if len(buf) < HEADER_SIZE:
        findings.anomaly("dex_truncated", f"{len(buf)} bytes", entry=entry)
        findings.error(f"{entry}: too short for a DEX header ({len(buf)} bytes)")
        return None
    f = HEADER.unpack_from(buf, 0)
    version = _magic(f[0], findings, entry)
    if version is None:
        return None
    _check_fields(buf, f, version, findings, entry)
    checksum_ok, signature_ok = _check_digests(buf, f[1], f[2], verify_signature, findings, entry)
    n = len(buf)
    sizes = f[9:21]
    sections = [
        _section(n, sizes[2 * i], sizes[2 * i + 1], spec, findings, entry)
        for i, spec in enumerate(SECTIONS)
    ]
    data_size, data_off = f[21], f[22]
    if data_off > n or data_size > n - data_off:
        findings.anomaly(
            "dex_section_out_of_bounds", f"data: {data_size} bytes at {data_off}", entry=entry
        )
    return DexHeader(
        version,
        checksum_ok,
        signature_ok,
        f[3],
        f[8],
        data_off,
        data_size,
        *sections,
    )
