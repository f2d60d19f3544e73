"""Bounded entry reading: never more than ``max_size`` bytes of output, whatever the headers say.

Android reads what the central record declares: deflate streams are inflated from
``compressed_size`` bytes, every other method is taken as stored, ``uncompressed_size``
bytes long (see ``local.read_length``). It does not check CRCs (libziparchive builds with
``kCrcChecksEnabled = false``), so a CRC mismatch is reported, not raised: the data
returned is what the device would run. Inflation goes through ``decompressobj(-15)``
(zlib-ng's when installed, see ``fastzlib``) with ``max_length``, so a bomb stops at
``max_size + 1`` bytes of memory.
"""

from __future__ import annotations

from collections.abc import Iterator

from chaincut.extractors import fastzlib as zlib
from chaincut.extractors.zip.central import BOMB_MIN_SIZE, BOMB_RATIO
from chaincut.extractors.zip.local import read_length
from chaincut.extractors.zip.model import ZipEntry, ZipEntryError
from chaincut.extractors.zip.records import DEFLATED
from chaincut.extractors.zip.report import Reporter

INPUT_STEP = 1 << 18  # compressed bytes fed per step when streaming


def _span(buf: bytes, entry: ZipEntry, max_size: int) -> tuple[int, int]:
    """(start, length) of the bytes Android reads; raises when they cannot be read."""
    if entry.data_offset < 0:
        raise ZipEntryError("bad_local_header", f"{entry.name!r} has no readable local header")
    length = read_length(entry.method, entry.compressed_size, entry.uncompressed_size)
    if entry.method != DEFLATED and length > max_size:
        raise ZipEntryError("entry_too_large", f"{entry.name!r} is {length} bytes (> {max_size})")
    if entry.data_offset + length > len(buf):
        raise ZipEntryError(
            "truncated_entry",
            f"{entry.name!r} needs {length} bytes at {entry.data_offset}, file has {len(buf)}",
        )
    return entry.data_offset, length


def read_entry(buf: bytes, entry: ZipEntry, max_size: int, rep: Reporter) -> bytes:
    """The whole entry, inflated as Android would, at most ``max_size`` bytes."""
    start, length = _span(buf, entry, max_size)
    if entry.method != DEFLATED:
        data = bytes(buf[start : start + length])
    else:
        inflater = zlib.decompressobj(-15)
        try:
            data = inflater.decompress(memoryview(buf)[start : start + length], max_size + 1)
        except zlib.error as exc:
            raise ZipEntryError("inflate_error", f"{entry.name!r}: {exc}") from None
        if len(data) > max_size:
            raise ZipEntryError("entry_too_large", f"{entry.name!r} inflates past {max_size}")
        if not inflater.eof:
            raise ZipEntryError("inflate_error", f"{entry.name!r}: deflate stream cut short")
    finish(entry, len(data), zlib.crc32(data), rep)
    return data


HEAD_INPUT = 4096  # compressed bytes fed first when only an entry's head is wanted


def read_head(buf: bytes, entry: ZipEntry, size: int, max_size: int, rep: Reporter) -> bytes:
    """The first chunk ``iter_entry(..., chunk_size=size, ...)`` would yield (the first
    ``size`` bytes of the data, or fewer for a shorter entry); raises like it. Inflating
    from the first few KB instead of a 256 KB step is what makes sniffing thousands of
    entries cheap; when they do not yield ``size`` bytes the streaming path decides."""
    start, length = _span(buf, entry, max_size)
    size = max(1, size)
    if entry.method != DEFLATED and length > 0:  # (an empty one is noted by iter_entry)
        return bytes(buf[start : start + min(size, length)])
    if entry.method == DEFLATED and length > HEAD_INPUT:
        try:
            out = zlib.decompressobj(-15).decompress(
                memoryview(buf)[start : start + HEAD_INPUT], size
            )
        except zlib.error:
            out = b""  # the streaming path below raises as it always did
        if len(out) == size:
            return out
    return next(iter_entry(buf, entry, size, max_size, rep), b"")


def reread_entry(buf: bytes, entry: ZipEntry, data: bytes, max_size: int, rep: Reporter) -> bytes:
    """``read_entry``'s result for ``data``, the entry's bytes already inflated once by a
    complete ``iter_entry``: the same limits raise, the same mismatches are noted."""
    _span(buf, entry, max_size)
    if entry.method == DEFLATED and len(data) > max_size:
        raise ZipEntryError("entry_too_large", f"{entry.name!r} inflates past {max_size}")
    finish(entry, len(data), zlib.crc32(data), rep)
    return data


def iter_entry(
    buf: bytes, entry: ZipEntry, chunk_size: int, max_size: int, rep: Reporter
) -> Iterator[bytes]:
    """The entry in chunks of at most ``chunk_size`` bytes, same limits as ``read_entry``."""
    start, length = _span(buf, entry, max_size)
    chunk_size = max(1, chunk_size)
    view = memoryview(buf)
    if entry.method != DEFLATED:
        crc = 0
        for at in range(start, start + length, chunk_size):
            piece = bytes(view[at : min(at + chunk_size, start + length)])
            crc = zlib.crc32(piece, crc)
            yield piece
        finish(entry, length, crc, rep)
        return
    yield from _inflate_chunks(view[start : start + length], entry, chunk_size, max_size, rep)


def _inflate_chunks(
    src: memoryview, entry: ZipEntry, chunk_size: int, max_size: int, rep: Reporter
) -> Iterator[bytes]:
    inflater = zlib.decompressobj(-15)
    total = crc = 0
    try:
        for at in range(0, len(src) or 1, INPUT_STEP):
            pending: bytes | memoryview = src[at : at + INPUT_STEP]
            while not inflater.eof:
                out = inflater.decompress(pending, chunk_size)
                pending = inflater.unconsumed_tail
                if not out:
                    break
                total += len(out)
                if total > max_size:
                    raise ZipEntryError(
                        "entry_too_large", f"{entry.name!r} inflates past {max_size}"
                    )
                crc = zlib.crc32(out, crc)
                yield out
            if inflater.eof:
                break
    except zlib.error as exc:
        raise ZipEntryError("inflate_error", f"{entry.name!r}: {exc}") from None
    if not inflater.eof:
        raise ZipEntryError("inflate_error", f"{entry.name!r}: deflate stream cut short")
    finish(entry, total, crc, rep)


def finish(entry: ZipEntry, size: int, crc: int, rep: Reporter) -> None:
    """Compare what was read with what the central record declared."""
    if size != entry.uncompressed_size:
        rep.note(
            "uncompressed_size_mismatch",
            f"read {size} bytes, declared {entry.uncompressed_size}; Android's extractor fails",
            entry=entry.name,
        )
    if crc != entry.crc32:
        rep.note(
            "crc_mismatch",
            f"data CRC {crc:08x}, declared {entry.crc32:08x}; Android does not check CRCs "
            "(libziparchive kCrcChecksEnabled=false), zipfile and jarsigner refuse",
            entry=entry.name,
        )
    if (
        entry.method == DEFLATED
        and size > BOMB_MIN_SIZE
        and size > BOMB_RATIO * max(entry.compressed_size, 1)
    ):
        rep.note(
            "compression_ratio_extreme",
            f"inflated {size} bytes from {entry.compressed_size}",
            entry=entry.name,
        )
    rep.flush()
