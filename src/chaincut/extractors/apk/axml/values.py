"""Res_value types and their text form, the way Android's TypedValue.coerceToString writes them.

Manifest values reach apps (and analysts) as text: a meta-data integer, a boolean flag, a
dimension. Formatting them like Android keeps our facts comparable with what the device
and aapt report; references stay as ``@0x7f...`` (hex, which analysts grep for) instead of
Android's decimal ``@2131230720``.
"""

from __future__ import annotations

import struct

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
TYPE_INT_COLOR_ARGB8 = 0x1C
TYPE_INT_COLOR_RGB8 = 0x1D
TYPE_INT_COLOR_ARGB4 = 0x1E
TYPE_INT_COLOR_RGB4 = 0x1F
TYPE_FIRST_INT = 0x10
TYPE_LAST_INT = 0x1F

REFERENCE_TYPES = frozenset((TYPE_REFERENCE, TYPE_DYNAMIC_REFERENCE))
ATTRIBUTE_TYPES = frozenset((TYPE_ATTRIBUTE, TYPE_DYNAMIC_ATTRIBUTE))

DIMENSION_UNITS = ("px", "dip", "sp", "pt", "in", "mm")
FRACTION_UNITS = ("%", "%p")
RADIX_SHIFTS = (0, 7, 15, 23)  # COMPLEX_RADIX_23p0 .. 0p23: mantissa bits after the point
_FLOAT = struct.Struct("<f")
_U32 = struct.Struct("<I")


def signed32(data: int) -> int:
    """``data`` (an unsigned 32-bit word) as Java's int."""
    data &= 0xFFFFFFFF
    return data - (1 << 32) if data & 0x80000000 else data


def is_int_type(value_type: int) -> bool:
    return TYPE_FIRST_INT <= value_type <= TYPE_LAST_INT


def float_bits(data: int) -> float:
    return float(_FLOAT.unpack(_U32.pack(data & 0xFFFFFFFF))[0])


def java_float(value: float) -> str:
    """Java's Float.toString: shortest digits that round-trip a 32-bit float."""
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "-0.0" if str(value).startswith("-") else "0.0"
    packed = _FLOAT.pack(value)
    digits = f"{value:.9g}"
    for precision in range(1, 10):
        candidate = f"{value:.{precision}g}"
        if _same_float(candidate, packed):
            digits = candidate
            break
    number = float(digits)
    if 1e-3 <= abs(number) < 1e7:
        text = f"{number:f}".rstrip("0")
        return text + "0" if text.endswith(".") else text
    mantissa, _, exponent = f"{number:.{max(len(digits) - 2, 1)}e}".partition("e")
    mantissa = mantissa.rstrip("0")
    mantissa = mantissa + "0" if mantissa.endswith(".") else mantissa
    return f"{mantissa}E{int(exponent)}"


def _same_float(text: str, packed: bytes) -> bool:
    try:
        return _FLOAT.pack(float(text)) == packed
    except OverflowError:  # rounding up past FLT_MAX
        return False


def _complex_value(data: int) -> float:
    """TypedValue.complexToFloat: a 24-bit signed mantissa, radix in bits 4-5."""
    mantissa = signed32(data & 0xFFFFFF00) >> 8
    return float(mantissa) / float(1 << RADIX_SHIFTS[(data >> 4) & 3])


def format_value(value_type: int, data: int, string: str | None) -> str | None:
    """Text of a typed value; ``string`` is the pool string of a TYPE_STRING value."""
    data &= 0xFFFFFFFF
    if value_type == TYPE_STRING:
        return string
    if value_type == TYPE_NULL:
        return string  # an untyped attribute: only its raw text, if any, means something
    if value_type in REFERENCE_TYPES:
        return f"@0x{data:08x}" if data else "@null"
    if value_type in ATTRIBUTE_TYPES:
        return f"?0x{data:08x}"
    if value_type == TYPE_FLOAT:
        return java_float(float_bits(data))
    if value_type == TYPE_DIMENSION:
        unit = data & 0xF
        suffix = DIMENSION_UNITS[unit] if unit < len(DIMENSION_UNITS) else ""
        return java_float(_complex_value(data)) + suffix
    if value_type == TYPE_FRACTION:
        unit = data & 0xF
        suffix = FRACTION_UNITS[unit] if unit < len(FRACTION_UNITS) else ""
        return java_float(_complex_value(data) * 100) + suffix
    return _format_int(value_type, data, string)


def _format_int(value_type: int, data: int, string: str | None) -> str | None:
    if value_type == TYPE_INT_BOOLEAN:
        return "true" if data else "false"
    if value_type == TYPE_INT_HEX:
        return f"0x{data:x}"
    if TYPE_INT_COLOR_ARGB8 <= value_type <= TYPE_INT_COLOR_RGB4:
        return f"#{data:x}"
    if is_int_type(value_type):
        return str(signed32(data))
    return string  # unknown type: Android's coerceToString gives null; keep the raw text
