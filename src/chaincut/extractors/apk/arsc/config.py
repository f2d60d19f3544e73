"""ResTable_config: the qualifiers of a resource value (locale, density, night, -vNN...)."""

from __future__ import annotations

import struct
from dataclasses import dataclass

DENSITIES = {
    120: "ldpi", 160: "mdpi", 213: "tvdpi", 240: "hdpi", 320: "xhdpi", 480: "xxhdpi",
    640: "xxxhdpi", 0xFFFE: "anydpi", 0xFFFF: "nodpi",
}  # fmt: skip
ANYDPI = 0xFFFE


@dataclass(frozen=True, slots=True)
class Config:
    """The qualifiers chaincut needs; ``qualifier`` is aapt's folder-style name."""

    locale: str  # "zh-rCN", "en", "b+sr+Latn" or ""
    density: int
    qualifier: str
    other: bool  # some qualifier besides locale, density and version is set

    @property
    def is_default(self) -> bool:
        return self.qualifier == ""


def _lang(raw: bytes, base: str) -> str:
    if not raw[0]:
        return ""
    if raw[0] & 0x80:  # packed 3-letter code
        first, second = raw[0], raw[1]
        chars = (second & 0x1F, ((second & 0xE0) >> 5) | ((first & 0x03) << 3), (first & 0x7C) >> 2)
        return "".join(chr(base + c) for c in chars)
    return raw.decode("latin-1").rstrip("\0")


def decode(buf: bytes, pos: int, size: int) -> Config:
    """Decode a config of ``size`` bytes at ``pos`` (short configs are zero-extended)."""
    raw = bytes(buf[pos : pos + min(size, 64)]).ljust(64, b"\0")
    _size, mcc, mnc = struct.unpack_from("<IHH", raw, 0)
    language = _lang(raw[8:10], ord("a"))
    country = _lang(raw[10:12], ord("0"))
    orientation, _touch, density = struct.unpack_from("<BBH", raw, 12)
    screen_w, screen_h, sdk = struct.unpack_from("<HHH", raw, 20)
    layout, ui_mode, smallest, width_dp, height_dp = struct.unpack_from("<BBHHH", raw, 28)
    script = raw[36:40].decode("latin-1").rstrip("\0") if size > 36 else ""
    locale = language
    if script:
        locale = f"b+{language}+{script}" + (f"+{country}" if country else "")
    elif country:
        locale = f"{language}-r{country}"
    parts = []
    if mcc:
        parts.append(f"mcc{mcc}")
    if locale:
        parts.append(locale)
    if smallest:
        parts.append(f"sw{smallest}dp")
    if width_dp:
        parts.append(f"w{width_dp}dp")
    if height_dp:
        parts.append(f"h{height_dp}dp")
    if orientation in (1, 2):
        parts.append("port" if orientation == 1 else "land")
    if ui_mode & 0x30 == 0x20:
        parts.append("night")
    if density:
        parts.append(DENSITIES.get(density, f"{density}dpi"))
    if sdk:
        parts.append(f"v{sdk}")
    other = bool(mcc or mnc or smallest or width_dp or height_dp or orientation or ui_mode
                 or layout or screen_w or screen_h)  # fmt: skip
    return Config(locale=locale, density=density, qualifier="-".join(parts), other=other)
