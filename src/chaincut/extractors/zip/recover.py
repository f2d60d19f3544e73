"""Rebuild entries from local headers when there is no usable central directory.

Android never does this: without an end record libziparchive refuses the file (kInvalidFile).
It is done here because a truncated download or a deliberately cut archive still carries
its first entries (often AndroidManifest.xml and classes.dex), which are worth reading.
Sizes come from the local header, or, when a data descriptor is used, from the first
descriptor whose compressed size matches its position, else from the next local header.
"""

from __future__ import annotations

from chaincut.extractors.zip.local import EXTRA_LIMIT
from chaincut.extractors.zip.model import ZipEntry
from chaincut.extractors.zip.names import decode_name
from chaincut.extractors.zip.records import (
    DD32,
    DD_SIG,
    FLAG_DATA_DESCRIPTOR,
    LFH,
    LFH_SIG,
    U32_MAX,
)
from chaincut.extractors.zip.report import Reporter

MAX_RECOVERED = 50_000
MAX_DESCRIPTOR_TRIES = 64


def recover(buf: bytes, rep: Reporter) -> list[ZipEntry]:
    """Entries found by walking local headers from the start of the file."""
    out: list[ZipEntry] = []
    n = len(buf)
    pos = buf.find(LFH_SIG)
    while pos >= 0 and pos + LFH.size <= n and len(out) < MAX_RECOVERED:
        entry = _entry(buf, pos, len(out), rep)
        if entry is None:
            pos = buf.find(LFH_SIG, pos + 4)
            continue
        out.append(entry)
        end = entry.data_offset + entry.compressed_size
        if end > n:
            break  # the last entry is cut: what follows its header is its own data
        pos = buf.find(LFH_SIG, end)
    return out


def _entry(buf: bytes, pos: int, index: int, rep: Reporter) -> ZipEntry | None:
    (_, _, flags, method, _, _, crc, csize, usize, nlen, elen) = LFH.unpack_from(buf, pos)
    name_at = pos + LFH.size
    data_offset = name_at + nlen + elen
    if nlen == 0 or data_offset > len(buf) or elen > EXTRA_LIMIT * 4:
        return None
    raw = bytes(buf[name_at : name_at + nlen])
    if flags & FLAG_DATA_DESCRIPTOR or csize == U32_MAX:
        crc, csize, usize = _descriptor(buf, data_offset)
    name = decode_name(raw, rep, pos)
    return ZipEntry(name, raw, index, method, flags, crc, csize, usize, pos, data_offset, -1)


def _descriptor(buf: bytes, data_offset: int) -> tuple[int, int, int]:
    """(crc, compressed, uncompressed) from the data descriptor that fits, or a guess."""
    nxt = buf.find(LFH_SIG, data_offset)
    stop = len(buf) if nxt < 0 else nxt
    at = buf.find(DD_SIG, data_offset, stop)
    for _ in range(MAX_DESCRIPTOR_TRIES):
        if at < 0 or at + 4 + DD32.size > len(buf):
            break
        crc, csize, usize = DD32.unpack_from(buf, at + 4)
        if csize == at - data_offset:
            return crc, csize, usize
        at = buf.find(DD_SIG, at + 4, stop)
    size = stop - data_offset
    return 0, size, size
