"""Local file headers: where each entry's data starts, and every way they contradict the CD.

libziparchive (FindEntry) reads the local header only when an entry is looked up, and uses
it for exactly one thing: the data offset (``offset + 30 + local name length + local extra
length``). Everything else comes from the central record. It refuses the ENTRY
(kInconsistentInformation) when the local name differs, or, without a data descriptor,
when the local CRC or sizes differ; it only warns when the data-descriptor bit differs, and
never compares the method. Other tools read local headers, so any difference is reported.
"""

from __future__ import annotations

from dataclasses import dataclass

from chaincut.extractors.zip.records import (
    DD32,
    DD64,
    DD_SIG,
    DEFLATED,
    FLAG_DATA_DESCRIPTOR,
    LFH,
    LFH_SIG,
    STORED,
    U32_MAX,
    zip64_extra,
)
from chaincut.extractors.zip.report import Reporter

# zipalign pads the local extra field: up to 4 KiB for -p, 16 KiB pages since Android 15.
EXTRA_LIMIT = 16 * 1024 + 64
ENTRY_REFUSED = "Android cannot open this entry (kInconsistentInformation)"


@dataclass(slots=True, frozen=True)
class Central:
    """The central-record facts a local header is checked against."""

    name: str
    raw: bytes
    method: int
    flags: int
    crc: int
    csize: int
    usize: int
    lho: int


def check_local(buf: bytes, cd: Central, rep: Reporter) -> tuple[int, int]:
    """(data offset, end of data plus descriptor); (-1, -1) without a usable local header."""
    n = len(buf)
    lho = cd.lho
    if lho < 0 or lho + LFH.size > n:
        rep.note("bad_local_header", f"local header at {lho} is outside the file", entry=cd.name)
        return -1, -1
    (sig, _, lflags, lmethod, _, _, lcrc, lcsize, lusize, lnlen, lelen) = LFH.unpack_from(buf, lho)
    if sig != LFH_SIG:
        rep.note(
            "bad_local_header",
            f"no local header signature at {lho}; Android cannot open this entry",
            entry=cd.name,
            offset=lho,
        )
        return -1, -1
    name_at = lho + LFH.size
    data_offset = name_at + lnlen + lelen
    if lnlen != len(cd.raw) or buf[name_at : name_at + lnlen] != cd.raw:
        local = bytes(buf[name_at : min(n, name_at + lnlen, name_at + 200)])
        _mismatch(rep, cd, lho, f"local name {local!r}; {ENTRY_REFUSED}")
    if lmethod != cd.method:
        _mismatch(rep, cd, lho, f"local method {lmethod}; Android uses the central {cd.method}")
    if lflags != cd.flags:
        _mismatch(rep, cd, lho, f"local flags {lflags:#06x}, central {cd.flags:#06x}")
    if not lflags & FLAG_DATA_DESCRIPTOR:
        if lcsize == U32_MAX and lusize == U32_MAX:
            z = zip64_extra(bytes(buf[name_at + lnlen : data_offset]), lusize, lcsize, None)
            if z is not None:
                lusize, lcsize = z[0], z[1]
        if (lcrc, lcsize, lusize) != (cd.crc, cd.csize, cd.usize):
            _mismatch(
                rep,
                cd,
                lho,
                f"local crc/sizes {lcrc:08x}/{lcsize}/{lusize}, central "
                f"{cd.crc:08x}/{cd.csize}/{cd.usize}; {ENTRY_REFUSED}",
            )
    if lelen > EXTRA_LIMIT:
        rep.note(
            "oversized_extra_field",
            f"local extra field of {lelen} bytes (alignment needs < 16 KiB)",
            entry=cd.name,
            offset=lho,
        )
    end = data_offset + cd.csize
    if lflags & FLAG_DATA_DESCRIPTOR:
        end = _descriptor(buf, cd, data_offset, rep)
    return data_offset, end


def _mismatch(rep: Reporter, cd: Central, lho: int, detail: str) -> None:
    rep.note("local_header_mismatch", detail, entry=cd.name, offset=lho)


def _descriptor(buf: bytes, cd: Central, data_offset: int, rep: Reporter) -> int:
    """Check the data descriptor where libziparchive looks (ValidateDataDescriptor).

    Android reads it after ``compressed_size`` bytes (``uncompressed_size`` for stored
    entries), takes the optional signature, and fails extraction on any difference.
    """
    at = data_offset + (cd.usize if cd.method == STORED else cd.csize)
    if at + 4 <= len(buf) and buf[at : at + 4] == DD_SIG:
        at += 4
    wide = cd.csize >= U32_MAX or cd.usize >= U32_MAX
    layout = DD64 if wide else DD32
    if at + layout.size > len(buf):
        rep.note(
            "data_descriptor_mismatch",
            "data descriptor flag set but the descriptor is past the end of file",
            entry=cd.name,
            offset=at,
        )
        return data_offset + cd.csize
    crc, csize, usize = layout.unpack_from(buf, at)
    if (crc, csize, usize) != (cd.crc, cd.csize, cd.usize):
        rep.note(
            "data_descriptor_mismatch",
            f"descriptor crc/sizes {crc:08x}/{csize}/{usize}, central "
            f"{cd.crc:08x}/{cd.csize}/{cd.usize}; Android fails extraction",
            entry=cd.name,
            offset=at,
        )
    return at + layout.size


def read_length(method: int, csize: int, usize: int) -> int:
    """How many data bytes Android reads for an entry.

    Deflate: ``compressed_size`` bytes are inflated. Anything else: libandroidfw's
    ApkAssets/ZipAssetsProvider (Android 9+, the path that loads AndroidManifest.xml,
    resources.arsc and assets) tests ``method == kCompressDeflated`` and maps every other
    method as stored, ``uncompressed_size`` bytes long (libziparchive's own extractor copies
    ``uncompressed_size`` bytes for stored entries and fails on unknown methods).
    """
    return csize if method == DEFLATED else usize
