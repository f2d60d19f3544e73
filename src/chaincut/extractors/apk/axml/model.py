"""The decoded element tree of a binary XML document."""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

TYPE_NULL = 0x00
TYPE_REFERENCE = 0x01
TYPE_ATTRIBUTE = 0x02
TYPE_STRING = 0x03
TYPE_FLOAT = 0x04
TYPE_DIMENSION = 0x05
TYPE_FRACTION = 0x06
TYPE_DYNAMIC_REFERENCE = 0x07
TYPE_INT_DEC = 0x10
TYPE_INT_HEX = 0x11
TYPE_INT_BOOLEAN = 0x12


@dataclass(frozen=True, slots=True)
class XmlAttribute:
    """One attribute with its typed value, as Android's ResXMLParser exposes it."""

    namespace_uri: str | None
    name: str
    resource_id: int | None
    value_type: int
    data: int
    raw: str | None

    def is_reference(self) -> bool:
        return self.value_type in (TYPE_REFERENCE, TYPE_DYNAMIC_REFERENCE) and self.data != 0

    def as_str(self) -> str | None:
        """The value as text, formatted like aapt for typed values."""
        t, d = self.value_type, self.data
        if t == TYPE_STRING:
            return self.raw
        if t == TYPE_INT_BOOLEAN:
            return "true" if d else "false"
        if t == TYPE_INT_DEC:
            return str(d - (1 << 32) if d & 0x80000000 else d)
        if t == TYPE_INT_HEX:
            return f"0x{d:08x}"
        if t in (TYPE_REFERENCE, TYPE_DYNAMIC_REFERENCE):
            return f"@0x{d:08x}"
        if t == TYPE_ATTRIBUTE:
            return f"?0x{d:08x}"
        if t == TYPE_FLOAT:
            return repr(struct.unpack("<f", struct.pack("<I", d))[0])
        if t == TYPE_NULL:
            return self.raw
        return self.raw if self.raw is not None else f"0x{d:08x}"

    def as_int(self) -> int | None:
        """Integer value; strings holding digits count too (as PackageParser accepts)."""
        if self.value_type in (TYPE_INT_DEC, TYPE_INT_HEX):
            return self.data - (1 << 32) if self.data & 0x80000000 else self.data
        if self.value_type == TYPE_INT_BOOLEAN:
            return 1 if self.data else 0
        text = self.raw if self.value_type in (TYPE_STRING, TYPE_NULL) else None
        if text is not None:
            try:
                return int(text.strip(), 0)
            except ValueError:
                return None
        return None

    def as_bool(self) -> bool | None:
        if self.value_type == TYPE_INT_BOOLEAN or self.value_type in (TYPE_INT_DEC, TYPE_INT_HEX):
            return self.data != 0
        if self.raw is not None and self.raw.strip().lower() in ("true", "false"):
            return self.raw.strip().lower() == "true"
        return None


@dataclass(slots=True)
class XmlElement:
    """An element; children are appended while parsing, then left alone."""

    name: str
    namespace_uri: str | None
    attributes: tuple[XmlAttribute, ...]
    offset: int
    children: list[XmlElement] = field(default_factory=list)

    def attr(self, res_id: int, name: str | None = None) -> XmlAttribute | None:
        """The attribute with resource id ``res_id`` (or, lacking ids, plain ``name``)."""
        for a in self.attributes:
            if a.resource_id == res_id:
                return a
        if name is not None:
            for a in self.attributes:
                if a.resource_id is None and a.name == name:
                    return a
        return None

    def iter(self, name: str) -> list[XmlElement]:
        """Direct children called ``name``."""
        return [c for c in self.children if c.name == name]
