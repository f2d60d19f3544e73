"""ResChunk_header: the framing shared by binary XML and resources.arsc.

Both formats are trees of chunks ``{u16 type, u16 header_size, u32 size}``.
Android validates sizes before trusting them; so do we, and we report instead of raising.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

RES_NULL_TYPE = 0x0000
RES_STRING_POOL_TYPE = 0x0001
RES_TABLE_TYPE = 0x0002
RES_XML_TYPE = 0x0003
RES_XML_START_NAMESPACE_TYPE = 0x0100
RES_XML_END_NAMESPACE_TYPE = 0x0101
RES_XML_START_ELEMENT_TYPE = 0x0102
RES_XML_END_ELEMENT_TYPE = 0x0103
RES_XML_CDATA_TYPE = 0x0104
RES_XML_RESOURCE_MAP_TYPE = 0x0180
RES_TABLE_PACKAGE_TYPE = 0x0200
RES_TABLE_TYPE_TYPE = 0x0201
RES_TABLE_TYPE_SPEC_TYPE = 0x0202
RES_TABLE_LIBRARY_TYPE = 0x0203
RES_TABLE_OVERLAYABLE_TYPE = 0x0204
RES_TABLE_OVERLAYABLE_POLICY_TYPE = 0x0205
RES_TABLE_STAGED_ALIAS_TYPE = 0x0206

CHUNK_HEADER = struct.Struct("<HHI")


@dataclass(frozen=True, slots=True)
class Chunk:
    """A chunk's header and where it sits in its buffer."""

    type: int
    header_size: int
    size: int
    offset: int

    @property
    def end(self) -> int:
        return self.offset + self.size

    @property
    def body(self) -> int:
        """Offset of the first byte after the chunk header."""
        return self.offset + self.header_size


def read_chunk(buf: bytes | memoryview, offset: int, limit: int) -> Chunk | None:
    """The chunk at ``offset`` if its header fits and its sizes are sane within ``limit``.

    Returns None for a header that cannot be framed at all (too short, header larger than
    chunk, chunk running past ``limit``); callers turn that into an anomaly.
    """
    if offset < 0 or offset + CHUNK_HEADER.size > limit:
        return None
    ctype, header_size, size = CHUNK_HEADER.unpack_from(buf, offset)
    if header_size < CHUNK_HEADER.size or size < header_size or offset + size > limit:
        return None
    return Chunk(ctype, header_size, size, offset)
