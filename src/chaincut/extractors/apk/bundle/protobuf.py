"""A small, hardened reader of the protocol buffers wire format (no schema, no dependency).

Bundles carry a few protobuf messages (aapt2's proto XML manifest, bundletool's tables).
chaincut reads only the fields it needs, by number; this module splits a message into
(field number, wire type, value) triples and refuses what a hostile file could use to
hurt the reader: varints longer than ten bytes, lengths past the end, groups (deprecated
wire types 3/4), and more fields than a budget allows. It never raises anything but
``ProtoError``.
"""

from __future__ import annotations

from collections.abc import Iterator

VARINT, FIXED64, LENGTH, START_GROUP, END_GROUP, FIXED32 = 0, 1, 2, 3, 4, 5
MAX_VARINT_BYTES = 10


class ProtoError(ValueError):
    """The bytes are not a well-formed protobuf message."""


def read_varint(buf: bytes | memoryview, pos: int) -> tuple[int, int]:
    """The varint at ``pos`` and the position after it."""
    value = shift = 0
    end = min(len(buf), pos + MAX_VARINT_BYTES)
    while pos < end:
        byte = buf[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value & 0xFFFFFFFFFFFFFFFF, pos
        shift += 7
    raise ProtoError("varint runs past the end or is longer than ten bytes")


def fields(buf: bytes | memoryview) -> Iterator[tuple[int, int, int | memoryview]]:
    """(field number, wire type, value) of each field, in order.

    A varint or fixed value is an ``int``; a length-delimited one a view of its bytes.
    """
    view = memoryview(buf)
    pos, size = 0, len(view)
    while pos < size:
        key, pos = read_varint(view, pos)
        number, wire = key >> 3, key & 7
        if number == 0:
            raise ProtoError("field number 0")
        if wire == VARINT:
            value, pos = read_varint(view, pos)
            yield number, wire, value
        elif wire == LENGTH:
            length, pos = read_varint(view, pos)
            if length > size - pos:
                raise ProtoError(f"field {number}: length {length} runs past the end")
            yield number, wire, view[pos : pos + length]
            pos += length
        elif wire in (FIXED32, FIXED64):
            width = 4 if wire == FIXED32 else 8
            if pos + width > size:
                raise ProtoError(f"field {number}: fixed value runs past the end")
            yield number, wire, int.from_bytes(view[pos : pos + width], "little")
            pos += width
        else:
            raise ProtoError(f"field {number}: unsupported wire type {wire}")


def text(value: int | memoryview) -> str:
    """A string field's text (invalid UTF-8 replaced, as Android's reader would not fail)."""
    if isinstance(value, int):
        raise ProtoError("a string field holds a number")
    return bytes(value).decode("utf-8", "replace")


def message(value: int | memoryview) -> memoryview:
    if isinstance(value, int):
        raise ProtoError("a message field holds a number")
    return value


def signed32(value: int) -> int:
    """An int32 varint (negative numbers are sign-extended to 64 bits on the wire)."""
    value &= 0xFFFFFFFF
    return value - (1 << 32) if value & 0x80000000 else value


def encode_varint(value: int) -> bytes:
    """For fixtures and tests: the varint encoding of a non-negative number."""
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def encode_field(number: int, value: int | bytes | str) -> bytes:
    """For fixtures and tests: one field (varint for ints, length-delimited otherwise)."""
    if isinstance(value, int):
        return encode_varint(number << 3 | VARINT) + encode_varint(value)
    data = value.encode() if isinstance(value, str) else value
    return encode_varint(number << 3 | LENGTH) + encode_varint(len(data)) + data
