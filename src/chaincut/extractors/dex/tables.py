"""The id tables (types, class definitions, method ids) unpacked in bulk.

Each table is a run of fixed-size little-endian records, so one array/struct call
per table turns it into Python values; no per-record parsing code runs.
"""

from __future__ import annotations

import struct
import sys
from array import array
from dataclasses import dataclass

from chaincut.extractors.dex.header import Section
from chaincut.extractors.dex.strings import u32_column

NO_INDEX = 0xFFFFFFFF
CLASS_DEF = struct.Struct("<8I")


@dataclass(frozen=True, slots=True)
class ClassDef:
    """One class_def_item: the class it defines and where it says it came from."""

    descriptor: str
    superclass: str | None
    access_flags: int
    source_file: str | None


def java_name(descriptor: str) -> str | None:
    """``Lcom/example/Foo;`` -> ``com.example.Foo``; None for arrays and primitives."""
    if len(descriptor) > 2 and descriptor[0] == "L" and descriptor[-1] == ";":
        return descriptor[1:-1].replace("/", ".")
    return None


def class_def_rows(buf: bytes, section: Section) -> list[tuple[int, ...]]:
    """(class_idx, access_flags, superclass_idx, ..., source_file_idx, ...) per class_def."""
    if section.read == 0:
        return []
    raw = buf[section.offset : section.offset + section.read * CLASS_DEF.size]
    return list(CLASS_DEF.iter_unpack(raw))


def class_type_indices(buf: bytes, section: Section) -> array[int]:
    """The class_idx of every class_def, without unpacking the other fields."""
    return u32_column(buf, section, stride=32)


def method_columns(buf: bytes, section: Section) -> tuple[list[int], list[int]]:
    """(class type index, name string index) of every method_id, as two lists."""
    if section.read == 0:
        return [], []
    raw = buf[section.offset : section.offset + section.read * 8]
    words, names = array("H", raw), array("I", raw)
    if sys.byteorder == "big":  # pragma: no cover - DEX is little-endian
        words.byteswap()
        names.byteswap()
    return words[0::4].tolist(), names[1::2].tolist()
