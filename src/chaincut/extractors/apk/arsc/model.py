"""The indexed shape of a resource table: packages, type chunks, typed values."""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

from chaincut.extractors.apk.arsc.config import Config
from chaincut.extractors.apk.stringpool import StringPool

TYPE_REFERENCE = 0x01
TYPE_STRING = 0x03
TYPE_DYNAMIC_REFERENCE = 0x07
FLAG_SPARSE = 0x01
FLAG_OFFSET16 = 0x02
ENTRY_COMPLEX = 0x0001
ENTRY_COMPACT = 0x0008
NO_ENTRY32 = 0xFFFFFFFF
NO_ENTRY16 = 0xFFFF


@dataclass(frozen=True, slots=True)
class ResValue:
    data_type: int
    data: int

    def is_reference(self) -> bool:
        return self.data_type in (TYPE_REFERENCE, TYPE_DYNAMIC_REFERENCE) and self.data != 0


@dataclass(frozen=True, slots=True)
class TypeChunk:
    """One ResTable_type: the entries of one type in one configuration."""

    config: Config
    flags: int
    count: int
    index_pos: int  # absolute offset of the entry offset table
    entries_pos: int  # absolute offset entry offsets are relative to
    end: int

    def entry_offset(self, buf: bytes, index: int) -> int | None:
        """Absolute offset of entry ``index`` in this configuration, or None."""
        if self.flags & FLAG_SPARSE:
            return self._sparse(buf, index)
        if index >= self.count:
            return None
        if self.flags & FLAG_OFFSET16:
            (rel,) = struct.unpack_from("<H", buf, self.index_pos + 2 * index)
            return None if rel == NO_ENTRY16 else self.entries_pos + rel * 4
        (rel,) = struct.unpack_from("<I", buf, self.index_pos + 4 * index)
        return None if rel == NO_ENTRY32 else self.entries_pos + rel

    def _sparse(self, buf: bytes, index: int) -> int | None:
        lo, hi = 0, self.count - 1
        while lo <= hi:
            mid = (lo + hi) // 2
            idx, rel = struct.unpack_from("<HH", buf, self.index_pos + 4 * mid)
            if idx == index:
                return self.entries_pos + rel * 4
            if idx < index:
                lo = mid + 1
            else:
                hi = mid - 1
        return None


@dataclass(slots=True)
class Package:
    id: int
    name: str
    type_names: StringPool
    key_names: StringPool
    type_id_offset: int = 0
    types: dict[int, list[TypeChunk]] = field(default_factory=dict)

    def type_name(self, type_id: int) -> str | None:
        return self.type_names.get(type_id - 1 - self.type_id_offset)
