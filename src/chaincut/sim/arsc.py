"""Write resources.arsc tables byte by byte: the simulator's labels and the tests' oddities."""

from __future__ import annotations

import struct
from collections.abc import Sequence

STRING = 0x03
REFERENCE = 0x01
DYN_REFERENCE = 0x07
INT_DEC = 0x10


def chunk(ctype: int, header: bytes, body: bytes, size: int | None = None) -> bytes:
    """A chunk with an 8-byte frame before ``header``; ``size`` overrides the real size."""
    hsize = 8 + len(header)
    real = hsize + len(body)
    return struct.pack("<HHI", ctype, hsize, real if size is None else size) + header + body


def _utf16(text: str, terminated: bool = True) -> bytes:
    data = text.encode("utf-16-le")
    end = b"\0\0" if terminated else b"\x41\x00"
    return struct.pack("<H", len(data) // 2) + data + end


def _utf8(text: str) -> bytes:
    data = text.encode("utf-8")
    return bytes([len(text), len(data)]) + data + b"\0"


def string_pool(
    strings: Sequence[str], *, utf8: bool = False, unterminated: Sequence[int] = ()
) -> bytes:
    """A ResStringPool; strings listed in ``unterminated`` lose their NUL."""
    blobs = [
        _utf8(s) if utf8 else _utf16(s, terminated=i not in unterminated)
        for i, s in enumerate(strings)
    ]
    offsets, pos = [], 0
    for b in blobs:
        offsets.append(pos)
        pos += len(b)
    data = b"".join(blobs)
    data += b"\0" * (-len(data) % 4)
    index = b"".join(struct.pack("<I", o) for o in offsets)
    start = 28 + len(index)
    header = struct.pack("<IIIII", len(strings), 0, 0x100 if utf8 else 0, start, 0)
    return chunk(0x0001, header, index + data)


def config(
    *,
    lang: str = "",
    country: str = "",
    density: int = 0,
    sdk: int = 0,
    orientation: int = 0,
    ui_mode: int = 0,
    script: str = "",
    mcc: int = 0,
    smallest_dp: int = 0,
    size: int = 64,
) -> bytes:
    raw = bytearray(64)
    struct.pack_into("<IHH", raw, 0, size, mcc, 0)
    raw[8 : 8 + len(lang)] = lang.encode()
    raw[10 : 10 + len(country)] = country.encode()
    struct.pack_into("<BBH", raw, 12, orientation, 0, density)
    struct.pack_into("<HH", raw, 24, sdk, 0)
    struct.pack_into("<BBH", raw, 28, 0, ui_mode, smallest_dp)
    raw[36 : 36 + len(script)] = script.encode()
    return bytes(raw[:size]) if size <= 64 else bytes(raw) + b"\0" * (size - 64)


def entry(key: int, dtype: int, data: int) -> bytes:
    return struct.pack("<HHI", 8, 0, key) + struct.pack("<HBBI", 8, 0, dtype, data)


def compact_entry(key: int, dtype: int, data: int) -> bytes:
    return struct.pack("<HHI", key, 0x0008 | (dtype << 8), data)


def map_entry(key: int, parent: int, items: Sequence[tuple[int, int, int]] = ()) -> bytes:
    head = struct.pack("<HHIII", 16, 0x0001, key, parent, len(items))
    return head + b"".join(struct.pack("<IHBBI", n, 8, 0, t, d) for n, t, d in items)


def type_chunk(
    type_id: int,
    entries: Sequence[bytes | None],
    *,
    cfg: bytes | None = None,
    flags: int = 0,
    count: int | None = None,
) -> bytes:
    """A ResTable_type; flags 0x01 = sparse, 0x02 = offset16."""
    cfg = config() if cfg is None else cfg
    body, pos = b"", 0
    slots: list[tuple[int, int | None]] = []
    for i, e in enumerate(entries):
        if e is None:
            slots.append((i, None))
            continue
        slots.append((i, pos))
        body += e
        pos += len(e)
    if flags & 0x01:
        table = b"".join(struct.pack("<HH", i, p // 4) for i, p in slots if p is not None)
        n = sum(1 for _i, p in slots if p is not None)
    elif flags & 0x02:
        table = b"".join(struct.pack("<H", 0xFFFF if p is None else p // 4) for _i, p in slots)
        table += b"\0" * (-len(table) % 4)
        n = len(slots)
    else:
        table = b"".join(struct.pack("<I", 0xFFFFFFFF if p is None else p) for _i, p in slots)
        n = len(slots)
    header_size = 20 + len(cfg)
    start = header_size + len(table)
    head = struct.pack("<BBHII", type_id, flags, 0, n if count is None else count, start) + cfg
    return chunk(0x0201, head, table + body)


def type_spec(type_id: int, count: int) -> bytes:
    return chunk(0x0202, struct.pack("<BBHI", type_id, 0, 0, count), b"\0" * 4 * count)


def library(entries: Sequence[tuple[int, str]]) -> bytes:
    body = b"".join(
        struct.pack("<I", pid) + name.encode("utf-16-le").ljust(256, b"\0") for pid, name in entries
    )
    return chunk(0x0203, struct.pack("<I", len(entries)), body)


def staged_alias(pairs: Sequence[tuple[int, int]]) -> bytes:
    body = b"".join(struct.pack("<II", a, b) for a, b in pairs)
    return chunk(0x0206, struct.pack("<I", len(pairs)), body)


def package(
    pid: int, name: str, types: Sequence[str], keys: Sequence[str], children: Sequence[bytes]
) -> bytes:
    type_pool, key_pool = string_pool(types), string_pool(keys)
    header_size = 288
    head = struct.pack(
        "<I256sIIIII",
        pid,
        name.encode("utf-16-le"),
        header_size,
        len(types),
        header_size + len(type_pool),
        len(keys),
        0,
    )
    return chunk(0x0200, head, type_pool + key_pool + b"".join(children))


def table(pool: bytes, packages: Sequence[bytes], count: int | None = None) -> bytes:
    header = struct.pack("<I", len(packages) if count is None else count)
    return chunk(0x0002, header, pool + b"".join(packages))
