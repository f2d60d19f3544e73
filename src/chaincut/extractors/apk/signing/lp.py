"""Little-endian, length-prefixed reading over a memoryview, the way apksig reads v2/v3 blocks.

Every read is bounds-checked and raises ``LpError`` (never IndexError/struct.error) so a
caller can turn any hostile length into one anomaly and one "malformed" verdict.
"""

from __future__ import annotations

import struct

_U32 = struct.Struct("<I")


class LpError(ValueError):
    """A length or field runs past its enclosing buffer."""


class LpReader:
    """A cursor over a slice of bytes; slices it hands out are views, never copies."""

    __slots__ = ("buf", "pos")

    def __init__(self, buf: memoryview | bytes) -> None:
        self.buf = memoryview(buf)
        self.pos = 0

    def remaining(self) -> int:
        return len(self.buf) - self.pos

    def u32(self) -> int:
        if self.remaining() < 4:
            raise LpError("truncated uint32")
        (value,) = _U32.unpack_from(self.buf, self.pos)
        self.pos += 4
        return int(value)

    def lp_slice(self) -> memoryview:
        """A uint32-length-prefixed slice (apksig getLengthPrefixedSlice)."""
        if self.remaining() < 4:
            raise LpError("remaining buffer too short to contain length of length-prefixed field")
        size = self.u32()
        if size > self.remaining():
            raise LpError(f"length-prefixed field longer than remaining buffer: {size}")
        out = self.buf[self.pos : self.pos + size]
        self.pos += size
        return out

    def rest(self) -> memoryview:
        out = self.buf[self.pos :]
        self.pos = len(self.buf)
        return out


def lp_items(buf: memoryview) -> list[memoryview]:
    """All length-prefixed items of a sequence; raises LpError on the first bad one."""
    reader = LpReader(buf)
    out: list[memoryview] = []
    while reader.remaining():
        out.append(reader.lp_slice())
    return out
