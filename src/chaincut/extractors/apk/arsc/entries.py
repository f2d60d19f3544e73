"""ResTable_type entries: dense, offset16, sparse and compact layouts, read on demand.

A type chunk is indexed once (where its offset table and entries live); an entry is
located with one or two struct reads when someone asks for it. Entry checks mirror
LoadedArsc's VerifyResTableEntry: an entry that fails them is treated as absent, as the
platform does, and reported.
"""

from __future__ import annotations

import struct
from array import array
from dataclasses import dataclass

from chaincut.extractors.apk.arsc.config import Config, from_raw
from chaincut.extractors.apk.arsc.values import ResValue

FLAG_SPARSE = 0x01
FLAG_OFFSET16 = 0x02
ENTRY_COMPLEX = 0x0001
ENTRY_COMPACT = 0x0008
NO_ENTRY32 = 0xFFFFFFFF
NO_ENTRY16 = 0xFFFF
MAX_ENTRIES = 0x10000  # entry ids are 16 bits
_ENTRY = struct.Struct("<HHI")
_VALUE = struct.Struct("<HBBI")
_U16 = struct.Struct("<H")
_U32 = struct.Struct("<I")
_PAIR = struct.Struct("<HH")
_LITTLE = struct.pack("=H", 1) == struct.pack("<H", 1)


@dataclass(frozen=True, slots=True)
class Entry:
    """One ResTable_entry: its key, and either a value or (for bags) a parent id."""

    key: int
    value: ResValue | None  # None for complex entries (styles, arrays, plurals)
    parent: int | None = None
    offset: int = 0


@dataclass(slots=True)  # not frozen: built thousands of times per table, frozen init is slow
class TypeChunk:
    """One ResTable_type: the entries of one type in one configuration (read-only)."""

    type_id: int
    config_raw: bytes  # 64 bytes, decoded on first use (most configs are never asked)
    flags: int
    count: int
    index_pos: int  # absolute offset of the entry offset table
    entries_pos: int  # absolute offset that entry offsets are relative to
    end: int  # absolute end of the chunk

    @property
    def config(self) -> Config:
        return from_raw(self.config_raw)

    @property
    def sparse(self) -> bool:
        return bool(self.flags & FLAG_SPARSE)

    @property
    def width(self) -> int:
        """Bytes per offset-table slot."""
        return 2 if self.flags & FLAG_OFFSET16 and not self.flags & FLAG_SPARSE else 4

    def entry_offset(self, buf: bytes, index: int) -> int | None:
        """Offset of entry ``index`` relative to ``entries_pos``, or None when absent."""
        if self.flags & FLAG_SPARSE:
            return self._sparse(buf, index)
        if index < 0 or index >= self.count:
            return None
        if self.flags & FLAG_OFFSET16:
            (rel,) = _U16.unpack_from(buf, self.index_pos + 2 * index)
            return None if rel == NO_ENTRY16 else rel * 4
        (rel,) = _U32.unpack_from(buf, self.index_pos + 4 * index)
        return None if rel == NO_ENTRY32 else rel

    def _sparse(self, buf: bytes, index: int) -> int | None:
        """Binary search of the (index, offset/4) pairs, sorted by index as aapt2 writes them."""
        lo, hi = 0, self.count - 1
        while lo <= hi:
            mid = (lo + hi) // 2
            idx, rel = _PAIR.unpack_from(buf, self.index_pos + 4 * mid)
            if idx == index:
                return int(rel) * 4
            if idx < index:
                lo = mid + 1
            else:
                hi = mid - 1
        return None

    def present(self, buf: bytes) -> list[tuple[int, int]]:
        """Every (entry index, relative offset) the chunk defines, in one bulk read."""
        if not self.count:
            return []
        if self.flags & FLAG_SPARSE:
            pairs = _words(buf, self.index_pos, self.count, "I")
            return [(w & 0xFFFF, (w >> 16) * 4) for w in pairs]
        if self.flags & FLAG_OFFSET16:
            slots = _words(buf, self.index_pos, self.count, "H")
            return [(i, rel * 4) for i, rel in enumerate(slots) if rel != NO_ENTRY16]
        slots = _words(buf, self.index_pos, self.count, "I")
        return [(i, rel) for i, rel in enumerate(slots) if rel != NO_ENTRY32]


def _words(buf: bytes, pos: int, count: int, code: str) -> array[int]:
    out = array(code)
    out.frombytes(buf[pos : pos + out.itemsize * count])
    if not _LITTLE:  # pragma: no cover - big-endian hosts
        out.byteswap()
    return out


class EntryError(Exception):
    """Why an entry was unreadable (internal: turned into an anomaly by the caller)."""


def read_entry(buf: bytes, chunk: TypeChunk, rel: int) -> Entry:
    """Decode the entry at ``rel``; raises EntryError when Android would reject it."""
    pos = chunk.entries_pos + rel
    if rel & 3:
        raise EntryError(f"entry offset {rel} is not 4-byte aligned")
    if pos + 8 > chunk.end:
        raise EntryError(f"entry at {pos} runs past its chunk")
    size, flags, key = _ENTRY.unpack_from(buf, pos)
    if flags & ENTRY_COMPACT:
        return Entry(key=size, value=ResValue(flags >> 8, key), offset=pos)
    if size < 8 or pos + size > chunk.end:
        raise EntryError(f"entry at {pos} has size {size}")
    if flags & ENTRY_COMPLEX:
        if size < 16:
            raise EntryError(f"map entry at {pos} has size {size}")
        (parent,) = _U32.unpack_from(buf, pos + 8)
        return Entry(key=key, value=None, parent=parent, offset=pos)
    if pos + size + 8 > chunk.end:
        raise EntryError(f"value of entry at {pos} runs past its chunk")
    vsize, _res0, dtype, data = _VALUE.unpack_from(buf, pos + size)
    if vsize < 8:
        raise EntryError(f"value of entry at {pos} has size {vsize}")
    return Entry(key=key, value=ResValue(dtype, data), offset=pos)
