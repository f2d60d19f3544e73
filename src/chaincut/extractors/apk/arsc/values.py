"""Res_value: a typed 32-bit resource value, formatted the way aapt prints it."""

from __future__ import annotations

import struct
from collections.abc import Callable
from dataclasses import dataclass

TYPE_NULL = 0x00
TYPE_REFERENCE = 0x01
TYPE_ATTRIBUTE = 0x02
TYPE_STRING = 0x03
TYPE_FLOAT = 0x04
TYPE_DIMENSION = 0x05
TYPE_FRACTION = 0x06
TYPE_DYNAMIC_REFERENCE = 0x07
TYPE_DYNAMIC_ATTRIBUTE = 0x08
TYPE_INT_DEC = 0x10
TYPE_INT_HEX = 0x11
TYPE_INT_BOOLEAN = 0x12
TYPE_FIRST_COLOR = 0x1C
TYPE_LAST_COLOR = 0x1F

DIMENSION_UNITS = ("px", "dip", "sp", "pt", "in", "mm")
FRACTION_UNITS = ("%", "%p")
RADIX_SHIFT = (0, 7, 15, 23)  # fraction bits of the 23p0, 16p7, 8p15 and 0p23 radixes
_F32 = struct.Struct("<f")
_U32 = struct.Struct("<I")


@dataclass(frozen=True, slots=True)
class ResValue:
    """One value; ``data`` is a string pool index, a resource id or the number itself."""

    data_type: int
    data: int

    def is_reference(self) -> bool:
        """A link to another resource (``@null`` and ``@empty`` are not links)."""
        return self.data_type in (TYPE_REFERENCE, TYPE_DYNAMIC_REFERENCE) and self.data != 0

    def is_string(self) -> bool:
        return self.data_type == TYPE_STRING

    def format(self, lookup: Callable[[int], str | None] | None = None) -> str | None:
        """aapt-style text; strings go through ``lookup`` (None when it has none)."""
        if self.data_type == TYPE_STRING:
            return lookup(self.data) if lookup is not None else None
        return format_scalar(self.data_type, self.data)


def _complex_value(data: int) -> float:
    mantissa = (data >> 8) & 0xFFFFFF
    if mantissa & 0x800000:
        mantissa -= 1 << 24
    return mantissa / float(1 << RADIX_SHIFT[(data >> 4) & 3])


def _number(value: float) -> str:
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"


def format_scalar(data_type: int, data: int) -> str | None:
    """Text of every non-string type; None for unknown types."""
    data &= 0xFFFFFFFF
    if data_type in (TYPE_REFERENCE, TYPE_DYNAMIC_REFERENCE):
        return "@null" if data == 0 else f"@0x{data:08x}"
    if data_type in (TYPE_ATTRIBUTE, TYPE_DYNAMIC_ATTRIBUTE):
        return f"?0x{data:08x}"
    if data_type == TYPE_NULL:
        return "@empty" if data == 1 else "@null"
    if data_type == TYPE_INT_DEC:
        return str(data - (1 << 32) if data & 0x80000000 else data)
    if data_type == TYPE_INT_HEX:
        return f"0x{data:08x}"
    if data_type == TYPE_INT_BOOLEAN:
        return "true" if data else "false"
    if TYPE_FIRST_COLOR <= data_type <= TYPE_LAST_COLOR:
        return f"#{data:08x}"
    if data_type == TYPE_FLOAT:
        return _number(_F32.unpack(_U32.pack(data))[0])
    if data_type == TYPE_DIMENSION:
        unit = DIMENSION_UNITS[data & 0xF] if data & 0xF < len(DIMENSION_UNITS) else "?"
        return _number(_complex_value(data)) + unit
    if data_type == TYPE_FRACTION:
        unit = FRACTION_UNITS[data & 0xF] if data & 0xF < len(FRACTION_UNITS) else "?"
        return _number(_complex_value(data) * 100) + unit
    return None
