"""The map list: the file's own table of contents, checked against the header.

ART verifies the map before loading a DEX, so a map that is missing, out of bounds,
unsorted or at odds with the header means the file was edited after the build.
Bytes past both the data section and the map are an appended payload.
"""

from __future__ import annotations

import struct

from chaincut.extractors.dex.header import DexHeader, Section
from chaincut.extractors.findings import Findings

MAP_ITEM = struct.Struct("<HHII")
MAX_MAP_ITEMS = 64  # about 20 item types exist; more than this is not a real map
HEADER_ITEM = 0x0000
MAP_LIST = 0x1000
KNOWN_TYPES = frozenset(
    {0x0000, 0x0001, 0x0002, 0x0003, 0x0004, 0x0005, 0x0006, 0x0007, 0x0008}
    | {0x1000, 0x1001, 0x1002, 0x1003, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006}
    | {0xF000}
)


def _id_sections(header: DexHeader) -> dict[int, tuple[str, Section]]:
    return {
        0x0001: ("string_ids", header.strings),
        0x0002: ("type_ids", header.types),
        0x0003: ("proto_ids", header.protos),
        0x0004: ("field_ids", header.fields),
        0x0005: ("method_ids", header.methods),
        0x0006: ("class_defs", header.classes),
    }


def read_map(buf: bytes, header: DexHeader) -> tuple[int, list[tuple[int, int, int]], str]:
    """The item count, (type, size, offset) of the first items, and what is wrong ('' if
    nothing). At most MAX_MAP_ITEMS + 1 items are unpacked whatever the count says."""
    n, off = len(buf), header.map_off
    if off == 0:
        return 0, [], "no map_off"
    if off % 4 or off + 4 > n:
        return 0, [], f"map_off {off} misaligned or out of bounds"
    (count,) = struct.unpack_from("<I", buf, off)
    if count > (n - off - 4) // MAP_ITEM.size:
        return 0, [], f"{count} items run past the file"
    start = off + 4
    raw = buf[start : start + MAP_ITEM.size * min(count, MAX_MAP_ITEMS + 1)]
    return count, [(t, s, o) for t, _unused, s, o in MAP_ITEM.iter_unpack(raw)], ""


def _problems(items: list[tuple[int, int, int]], header: DexHeader, n: int) -> list[str]:
    """Each way the items break the format's rules, in words."""
    out: list[str] = []
    if not items or items[0][0] != HEADER_ITEM or items[0][2] != 0:
        out.append("first item is not the header at offset 0")
    seen: set[int] = set()
    last = -1
    ids = _id_sections(header)
    for kind, size, off in items:
        if kind not in KNOWN_TYPES:
            out.append(f"unknown item type 0x{kind:04x}")
        if kind in seen:
            out.append(f"item type 0x{kind:04x} listed twice")
        seen.add(kind)
        if off < last or off > n:
            out.append(f"item 0x{kind:04x} at {off} out of order or out of bounds")
        last = off
        if kind == MAP_LIST and off != header.map_off:
            out.append(f"map item at {off}, header says {header.map_off}")
        if kind in ids:
            name, sec = ids[kind]
            if sec.size and (size, off) != (sec.size, sec.offset):
                out.append(f"{name}: map {size} at {off}, header {sec.size} at {sec.offset}")
    return out


def check_map(buf: bytes, header: DexHeader, findings: Findings, entry: str) -> None:
    """Record what is wrong with the map, and any bytes trailing the data and the map."""
    n = len(buf)
    count, items, problem = read_map(buf, header)
    if problem:
        findings.anomaly("dex_bad_map", problem, entry=entry)
        return
    if count > MAX_MAP_ITEMS:
        findings.anomaly("dex_bad_map", f"{count} map items", entry=entry)
    for detail in _problems(items[:MAX_MAP_ITEMS], header, n)[:8]:
        findings.anomaly("dex_bad_map", detail, entry=entry)
    map_end = header.map_off + 4 + MAP_ITEM.size * count
    data_end = header.data_off + header.data_size
    end = max(map_end, data_end if data_end <= n else 0)
    if end < n:
        findings.anomaly("dex_data_after_map", f"{n - end} bytes after offset {end}", entry=entry)
