"""The outer TLV of a DER/BER blob: where it ends, so appended bytes and truncation show."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Outer:
    """The outer element's header facts. ``end`` is None for indefinite length."""

    tag: int
    header: int
    length: int | None

    @property
    def end(self) -> int | None:
        return None if self.length is None else self.header + self.length


def outer(buf: bytes) -> Outer | None:
    """The first TLV header (short, long or indefinite length), or None if unreadable."""
    if len(buf) < 2:
        return None
    tag, first = buf[0], buf[1]
    if first < 0x80:
        return Outer(tag, 2, first)
    if first == 0x80:
        return Outer(tag, 2, None)
    width = first & 0x7F
    if width > 8 or len(buf) < 2 + width:
        return None
    return Outer(tag, 2 + width, int.from_bytes(buf[2 : 2 + width], "big"))


def indefinite_end(buf: bytes, depth: int = 0) -> int | None:
    """End offset of an indefinite-length element at 0, walking nested TLVs (bounded)."""
    pos, end = _walk(buf, 0, depth)
    return end if pos is not None else None


def _walk(buf: bytes, pos: int, depth: int) -> tuple[int | None, int | None]:
    """Skip one TLV at ``pos``; (start, end) or (None, None) when it is unreadable."""
    if depth > 32:
        return None, None
    head = outer(buf[pos : pos + 10])
    if head is None:
        return None, None
    if head.length is not None:
        end = pos + head.header + head.length
        return (pos, end) if end <= len(buf) else (None, None)
    if not head.tag & 0x20:  # indefinite length is only legal for constructed elements
        return None, None
    cur = pos + head.header
    for _ in range(100_000):
        if buf[cur : cur + 2] == b"\x00\x00":
            return pos, cur + 2
        start, nxt = _walk(buf, cur, depth + 1)
        if start is None or nxt is None:
            return None, None
        cur = nxt
    return None, None
