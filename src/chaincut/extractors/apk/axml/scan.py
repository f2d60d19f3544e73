"""Chunk framing of a binary XML document: the outer header and the chunk sequence.

Android (ResXMLTree::setTo) checks the document header's sizes but never its type, and
validates each chunk before stepping over it by its size. A chunk that cannot be framed
makes Android refuse the whole file; we report it and, rather than lose the rest of the
evidence, resume at the next chunk that looks like an element (``axml_resync``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from chaincut.extractors.apk import chunks as ck

Note = Callable[[str, str, int | None], None]
HEADER = ck.CHUNK_HEADER.size
# Start/end element chunks as aapt and aapt2 write them: type, then header size 16.
ELEMENT_MARKERS = (b"\x02\x01\x10\x00", b"\x03\x01\x10\x00")
MAX_RESYNCS = 256


class Scanner:
    """Walks the chunks of one document; ``truncated`` tells whether it ended mid-chunk."""

    __slots__ = ("body", "buf", "end", "note", "resyncs", "truncated")

    def __init__(self, buf: bytes, note: Note) -> None:
        self.buf = buf
        self.note = note
        self.end = len(buf)
        self.body = HEADER
        self.truncated = False
        self.resyncs = 0

    def open_document(self) -> bool:
        """Frame the RES_XML_TYPE header; False when there is not even a header."""
        size = len(self.buf)
        if size < HEADER:
            self.note("axml_empty", f"{size} bytes", None)
            return False
        ctype, header_size, total = ck.CHUNK_HEADER.unpack_from(self.buf, 0)
        if ctype != ck.RES_XML_TYPE:
            self.note("axml_bad_root_chunk", f"document chunk type 0x{ctype:04x}", 0)
        if total > size:
            self.note("axml_chunk_overrun", f"document claims {total} bytes, has {size}", 0)
            self.truncated = True
        elif total < max(header_size, HEADER):
            self.note("axml_chunk_overrun", f"document size field {total} is invalid", 0)
        else:
            self.end = total
            if total < size:
                self.note("axml_trailing_data", f"{size - total} bytes", total)
        if HEADER <= header_size <= self.end - HEADER:
            self.body = header_size
        else:
            self.note("axml_chunk_overrun", f"document header size {header_size}", 0)
        return True

    def chunks(self, pos: int, *, min_header: int) -> Iterator[ck.Chunk]:
        """Chunks from ``pos`` on, each validated as validate_chunk() does, sizes clamped."""
        buf, end = self.buf, self.end
        while pos + HEADER <= end:
            ctype, header_size, size = ck.CHUNK_HEADER.unpack_from(buf, pos)
            if header_size < HEADER or size < header_size:
                self.note("axml_chunk_overrun", f"unframeable chunk (header {header_size}, "
                          f"size {size})", pos)  # fmt: skip
                nxt = self.resync(pos)
                if nxt is None:
                    return
                pos = nxt
                continue
            if (header_size | size) & 3:
                self.note("axml_misaligned_chunk", f"header {header_size}, size {size}", pos)
            if header_size < min_header and ctype != ck.RES_XML_RESOURCE_MAP_TYPE:
                self.note("axml_bad_node_header", f"type 0x{ctype:04x} header {header_size}", pos)
            if pos + size > end:
                self.note("axml_chunk_overrun", f"chunk of {size} bytes, {end - pos} left", pos)
                self.truncated = True
                if pos + header_size <= end:
                    yield ck.Chunk(ctype, header_size, end - pos, pos)
                nxt = self.resync(pos)
                if nxt is None:
                    return
                pos = nxt
                continue
            yield ck.Chunk(ctype, header_size, size, pos)
            pos += size
        if pos < end:
            self.note("axml_truncated", f"{end - pos} bytes too short for a chunk", pos)

    def resync(self, pos: int) -> int | None:
        """Offset of the next aligned, framable element chunk after ``pos``, if any."""
        if self.resyncs >= MAX_RESYNCS:
            return None
        self.resyncs += 1
        buf, end = self.buf, self.end
        start = pos + 1
        while start < end:
            hits = [i for m in ELEMENT_MARKERS if (i := buf.find(m, start, end)) >= 0]
            if not hits:
                return None
            at = min(hits)
            if at % 4 == pos % 4 and at + HEADER <= end:
                _t, _h, size = ck.CHUNK_HEADER.unpack_from(buf, at)
                if 16 <= size <= end - at:
                    self.note("axml_resync", f"resumed at offset {at}", pos)
                    return at
            start = at + 1
        return None
