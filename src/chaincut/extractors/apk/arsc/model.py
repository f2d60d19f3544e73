"""The indexed shape of a resource table: packages and what points into them."""

from __future__ import annotations

from dataclasses import dataclass, field

from chaincut.extractors.apk.arsc.entries import TypeChunk
from chaincut.extractors.apk.stringpool import StringPool


@dataclass(slots=True)
class Package:
    """One ResTable_package; ``types`` maps a type id to its chunks, one per config."""

    id: int
    name: str
    type_names: StringPool
    key_names: StringPool
    offset: int = 0
    type_id_offset: int = 0
    types: dict[int, list[TypeChunk]] = field(default_factory=dict)
    spec_counts: dict[int, int] = field(default_factory=dict)  # type id -> typeSpec entryCount
    libraries: dict[int, str] = field(default_factory=dict)  # build-time id -> package name
    aliases: dict[int, int] = field(default_factory=dict)  # staged id -> finalized id

    def type_name(self, type_id: int) -> str | None:
        """The type's name (``string``, ``mipmap``...); None when the pool lacks it."""
        return self.type_names.get(type_id - 1 - self.type_id_offset)

    def type_ids(self, name: str) -> list[int]:
        return [t for t in self.types if self.type_name(t) == name]
