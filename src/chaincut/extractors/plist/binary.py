"""Binary property lists (``bplist00``) decoded by hand, with every offset checked.

Why not ``plistlib``: a hostile bplist can make an array contain itself (plistlib detects
that, but only after deep recursion), share one huge subtree thousands of times (work
explodes), or point offsets anywhere. Here every visit counts against the object budget,
the current path is checked for cycles, and depth is bounded.
"""

from __future__ import annotations

import struct
from datetime import UTC, datetime, timedelta

from chaincut.extractors.plist.model import Limits, PlistError, PlistValue

HEADER = b"bplist00"
TRAILER = 32
_EPOCH = datetime(2001, 1, 1, tzinfo=UTC)


class _Reader:
    def __init__(self, buf: bytes, limits: Limits, notes: list[tuple[str, str]]) -> None:
        self.buf = buf
        self.limits = limits
        self.notes = notes
        self.visits = 0
        self.path: set[int] = set()
        (_, _, self.off_size, self.ref_size, self.count, self.top, self.table) = struct.unpack(
            ">5sBBBQQQ", buf[-TRAILER:]
        )
        self._check_trailer()

    def _check_trailer(self) -> None:
        n, table = self.count, self.table
        if self.off_size not in (1, 2, 4, 8) or self.ref_size not in (1, 2, 4, 8):
            raise PlistError("plist_bplist_bad_trailer", "offset or reference size not 1/2/4/8")
        if n == 0 or self.top >= n:
            raise PlistError("plist_bplist_bad_trailer", f"root {self.top} of {n} objects")
        if table < len(HEADER) or table + n * self.off_size > len(self.buf) - TRAILER:
            raise PlistError("plist_bplist_bad_offset", "offset table outside the file")

    def offset(self, ref: int) -> int:
        if ref >= self.count:
            raise PlistError("plist_bplist_bad_offset", f"object reference {ref} of {self.count}")
        at = self.table + ref * self.off_size
        off = int.from_bytes(self.buf[at : at + self.off_size], "big")
        if off < len(HEADER) or off >= self.table:
            raise PlistError("plist_bplist_bad_offset", f"object {ref} at {off}")
        return off

    def read(self, ref: int, depth: int) -> PlistValue:
        self.visits += 1
        if self.visits > self.limits.max_objects:
            raise PlistError("plist_too_many_objects", f"over {self.limits.max_objects} objects")
        off = self.offset(ref)
        marker = self.buf[off]
        kind, info = marker >> 4, marker & 0xF
        if kind in (0xA, 0xC, 0xD):
            return self._container(ref, off, kind, info, depth)
        return self._scalar(off, kind, info)

    def _scalar(self, off: int, kind: int, info: int) -> PlistValue:
        buf = self.buf
        if kind == 0:
            if info in (8, 9):
                return info == 9
            if info in (0, 0xF):
                return None
        elif kind == 1 and info <= 4:
            raw = self._bytes(off + 1, 1 << info)
            return int.from_bytes(raw, "big", signed=info >= 3)
        elif kind == 2 and info in (2, 3):
            raw = self._bytes(off + 1, 1 << info)
            return float(struct.unpack(">f" if info == 2 else ">d", raw)[0])
        elif kind == 3 and info == 3:
            return _date(struct.unpack(">d", self._bytes(off + 1, 8))[0], self.notes)
        elif kind in (4, 5, 6):
            length, start = self._length(off, info)
            width = 2 if kind == 6 else 1
            raw = self._bytes(start, length * width)
            if kind == 4:
                return raw
            return raw.decode("utf-16-be" if kind == 6 else "latin-1", "replace")
        elif kind == 8:
            return int.from_bytes(self._bytes(off + 1, info + 1), "big")  # UID
        raise PlistError("plist_bplist_unknown_type", f"marker 0x{buf[off]:02x} at {off}")

    def _container(self, ref: int, off: int, kind: int, info: int, depth: int) -> PlistValue:
        if depth >= self.limits.max_depth:
            self.notes.append(("plist_too_deep", f"over {self.limits.max_depth} levels"))
            return None
        if ref in self.path:
            self.notes.append(("plist_bplist_cycle", f"object {ref} contains itself"))
            return None
        length, start = self._length(off, info)
        if length > self.limits.max_objects:
            raise PlistError("plist_too_many_objects", f"container of {length} objects")
        pairs = 2 if kind == 0xD else 1
        raw = self._bytes(start, length * pairs * self.ref_size)
        size = self.ref_size
        refs = [int.from_bytes(raw[i : i + size], "big") for i in range(0, len(raw), size)]
        self.path.add(ref)
        try:
            if kind != 0xD:
                return [self.read(r, depth + 1) for r in refs]
            return self._dict(refs[:length], refs[length:], depth)
        finally:
            self.path.discard(ref)

    def _dict(self, keys: list[int], values: list[int], depth: int) -> PlistValue:
        out: dict[str, PlistValue] = {}
        for k, v in zip(keys, values, strict=True):
            key = self.read(k, depth + 1)
            if not isinstance(key, str):
                self.notes.append(("plist_non_string_key", type(key).__name__))
                continue
            if key in out:
                self.notes.append(("plist_duplicate_key", key[:80]))
            out[key] = self.read(v, depth + 1)
        return out

    def _length(self, off: int, info: int) -> tuple[int, int]:
        if info != 0xF:
            return info, off + 1
        marker = self._bytes(off + 1, 1)[0]
        if marker >> 4 != 1 or marker & 0xF > 3:
            raise PlistError("plist_bplist_bad_offset", f"bad length marker at {off + 1}")
        width = 1 << (marker & 0xF)
        return int.from_bytes(self._bytes(off + 2, width), "big"), off + 2 + width

    def _bytes(self, start: int, length: int) -> bytes:
        if start + length > self.table:
            raise PlistError("plist_bplist_bad_offset", f"{length} bytes at {start} run past data")
        return self.buf[start : start + length]


def _date(seconds: float, notes: list[tuple[str, str]]) -> PlistValue:
    try:
        when = _EPOCH + timedelta(seconds=seconds)
    except (OverflowError, ValueError):
        notes.append(("plist_bad_value", f"date {seconds!r}"))
        return str(seconds)
    return when.isoformat().replace("+00:00", "Z")


def parse_binary(data: bytes, limits: Limits, notes: list[tuple[str, str]]) -> PlistValue:
    """Decode a bplist00 buffer; anomalies that do not stop decoding go to ``notes``."""
    if len(data) < len(HEADER) + TRAILER + 1:
        raise PlistError("plist_invalid", "binary plist shorter than header and trailer")
    reader = _Reader(data, limits, notes)
    try:
        return reader.read(reader.top, 0)
    except RecursionError:
        raise PlistError("plist_too_deep", "nesting exhausted the stack") from None
