"""ResTable_config: the qualifiers of a resource value (locale, density, night, -vNN...).

Qualifier strings follow ResTable_config::toString (the order and spelling of aapt's
folder names: ``mcc460-zh-rCN-sw600dp-land-night-xxhdpi-v21``), with BCP-47 locales
written ``b+sr+Latn`` as aapt2 does. Configs are decoded once per distinct byte string:
a big table repeats a few dozen configurations across thousands of type chunks.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache

CONFIG_MAX = 64  # sizeof(ResTable_config) today; longer configs must be zero past it
CONFIG_MIN = 8  # size field + mcc/mnc: smaller is not a config
DENSITY_ANY = 0xFFFE
DENSITY_NONE = 0xFFFF
DENSITIES = {
    120: "ldpi", 160: "mdpi", 213: "tvdpi", 240: "hdpi", 320: "xhdpi", 480: "xxhdpi",
    640: "xxxhdpi", DENSITY_ANY: "anydpi", DENSITY_NONE: "nodpi",
}  # fmt: skip
ORIENTATIONS = {1: "port", 2: "land", 3: "square"}
TOUCH = {1: "notouch", 2: "stylus", 3: "finger"}
KEYBOARDS = {1: "nokeys", 2: "qwerty", 3: "12key"}
NAVIGATION = {1: "nonav", 2: "dpad", 3: "trackball", 4: "wheel"}
KEYS_HIDDEN = {1: "keysexposed", 2: "keyshidden", 3: "keyssoft"}
NAV_HIDDEN = {0x04: "navexposed", 0x08: "navhidden"}
SCREEN_SIZES = {1: "small", 2: "normal", 3: "large", 4: "xlarge"}
SCREEN_LONG = {0x10: "notlong", 0x20: "long"}
LAYOUT_DIR = {0x40: "ldltr", 0x80: "ldrtl"}
ROUND = {1: "notround", 2: "round"}
WIDE_GAMUT = {1: "nowidecg", 2: "widecg"}
HDR = {0x04: "lowdr", 0x08: "highdr"}
UI_TYPES = {
    1: "normal", 2: "desk", 3: "car", 4: "television", 5: "appliance", 6: "watch", 7: "vrheadset"
}  # fmt: skip
UI_NIGHT = {0x10: "notnight", 0x20: "night"}
GENDERS = {1: "neuter", 2: "feminine", 3: "masculine"}

_HEAD = struct.Struct("<IHH2s2sBBHBBBBHHHHBBHHH4s8sBBHB8s")


@dataclass(frozen=True, slots=True)
class Config:
    """Every field of ResTable_config that changes which value a device gets."""

    mcc: int = 0
    mnc: int = 0
    language: str = ""
    country: str = ""
    orientation: int = 0
    touchscreen: int = 0
    density: int = 0
    keyboard: int = 0
    navigation: int = 0
    input_flags: int = 0
    gender: int = 0
    screen_width: int = 0
    screen_height: int = 0
    sdk: int = 0
    minor: int = 0
    screen_layout: int = 0
    ui_mode: int = 0
    smallest_dp: int = 0
    width_dp: int = 0
    height_dp: int = 0
    script: str = ""
    variant: str = ""
    screen_layout2: int = 0
    color_mode: int = 0
    script_computed: bool = False
    numbering: str = ""

    @property
    def locale(self) -> str:
        """The locale part of the qualifier: ``zh-rCN``, ``en``, ``b+sr+Latn`` or ``""``."""
        return locale_qualifier(self)

    @property
    def qualifier(self) -> str:
        """aapt's folder-style name of the whole configuration (``""`` = default)."""
        return qualifier_of(self)

    @property
    def is_default(self) -> bool:
        return self == DEFAULT

    def without_locale(self) -> Config:
        return _replace_locale(self, "", "", "", "")


DEFAULT = Config()


def _replace_locale(c: Config, language: str, country: str, script: str, variant: str) -> Config:
    return replace(c, language=language, country=country, script=script, variant=variant,
                   script_computed=False, numbering="")  # fmt: skip


def _code(raw: bytes, base: int) -> str:
    """A 2-byte language/region code; the high bit marks a packed 3-letter code."""
    if not raw[0]:
        return ""
    if raw[0] & 0x80:
        first, second = raw[0], raw[1]
        chars = (second & 0x1F, ((second & 0xE0) >> 5) | ((first & 0x03) << 3), (first & 0x7C) >> 2)
        return "".join(chr(base + c) for c in chars)
    return _ascii(raw)


def _ascii(raw: bytes) -> str:
    """A NUL-padded ASCII field; junk bytes are kept visible rather than dropped."""
    return raw.split(b"\0", 1)[0].decode("latin-1")


def raw_config(buf: bytes | memoryview, pos: int, size: int) -> bytes:
    """The config bytes at ``pos``, zero-extended to 64 as Android copies short configs."""
    return bytes(buf[pos : pos + min(size, CONFIG_MAX)]).ljust(CONFIG_MAX, b"\0")


def decode(buf: bytes | memoryview, pos: int, size: int) -> Config:
    """The config of ``size`` bytes at ``pos`` (short configs are zero-extended, as Android)."""
    return from_raw(raw_config(buf, pos, size))


@lru_cache(maxsize=8192)
def from_raw(raw: bytes) -> Config:
    """Decode 64 config bytes; cached because tables repeat a few configs many times."""
    f = _HEAD.unpack_from(raw, 0)
    return Config(
        mcc=f[1], mnc=f[2], language=_code(f[3], ord("a")), country=_code(f[4], ord("0")),
        orientation=f[5], touchscreen=f[6], density=f[7], keyboard=f[8], navigation=f[9],
        input_flags=f[10], gender=f[11] & 0x03, screen_width=f[12], screen_height=f[13],
        sdk=f[14], minor=f[15], screen_layout=f[16], ui_mode=f[17], smallest_dp=f[18],
        width_dp=f[19], height_dp=f[20], script=_ascii(f[21]), variant=_ascii(f[22]),
        screen_layout2=f[23], color_mode=f[24], script_computed=bool(f[26]),
        numbering=_ascii(f[27]),
    )  # fmt: skip


@lru_cache(maxsize=4096)
def locale_qualifier(c: Config) -> str:
    """Folder-style locale: ``lang-rREGION`` or ``b+lang+Script+REGION+variant``."""
    if not c.language and not c.country:
        return ""
    script = "" if c.script_computed else c.script
    if script or c.variant or len(c.country) == 3 or c.numbering:
        parts = [c.language or "und", script, c.country, c.variant]
        return "b+" + "+".join(p for p in parts if p)
    if c.country:
        return f"{c.language}-r{c.country}" if c.language else f"r{c.country}"
    return c.language


def bcp47(c: Config) -> str:
    """The BCP-47 tag aapt prints (``application-label-zh-CN``): ``zh-CN``, ``sr-Latn``."""
    script = "" if c.script_computed else c.script
    parts = [c.language, script, c.country, c.variant]
    tag = "-".join(p for p in parts if p)
    return f"{tag}-u-nu-{c.numbering}" if c.numbering and tag else tag


def qualifier_to_bcp47(qualifier: str) -> str:
    """``zh-rCN`` -> ``zh-CN``; ``b+sr+Latn`` -> ``sr-Latn`` (locale qualifiers only)."""
    if qualifier.startswith("b+"):
        return "-".join(qualifier[2:].split("+"))
    return qualifier.replace("-r", "-", 1)


def density_name(density: int) -> str:
    return DENSITIES.get(density, f"{density}dpi")


@lru_cache(maxsize=4096)
def qualifier_of(c: Config) -> str:
    """ResTable_config::toString, in aapt's order."""
    parts: list[str] = []
    add = parts.append
    if c.mcc:
        add(f"mcc{c.mcc}")
    if c.mnc:
        add("mnc00" if c.mnc == 0xFFFF else f"mnc{c.mnc}")
    if loc := locale_qualifier(c):
        add(loc)
    _flag(add, GENDERS, c.gender)
    _flag(add, LAYOUT_DIR, c.screen_layout & 0xC0)
    if c.smallest_dp:
        add(f"sw{c.smallest_dp}dp")
    if c.width_dp:
        add(f"w{c.width_dp}dp")
    if c.height_dp:
        add(f"h{c.height_dp}dp")
    _flag(add, SCREEN_SIZES, c.screen_layout & 0x0F)
    _flag(add, SCREEN_LONG, c.screen_layout & 0x30)
    _flag(add, ROUND, c.screen_layout2 & 0x03)
    _flag(add, WIDE_GAMUT, c.color_mode & 0x03)
    _flag(add, HDR, c.color_mode & 0x0C)
    _flag(add, ORIENTATIONS, c.orientation)
    _flag(add, UI_TYPES, c.ui_mode & 0x0F)
    _flag(add, UI_NIGHT, c.ui_mode & 0x30)
    if c.density:
        add(density_name(c.density))
    _flag(add, TOUCH, c.touchscreen)
    _flag(add, KEYS_HIDDEN, c.input_flags & 0x03)
    _flag(add, KEYBOARDS, c.keyboard)
    _flag(add, NAV_HIDDEN, c.input_flags & 0x0C)
    _flag(add, NAVIGATION, c.navigation)
    if c.screen_width or c.screen_height:
        add(f"{c.screen_width}x{c.screen_height}")
    if c.sdk or c.minor:
        add(f"v{c.sdk}" + (f".{c.minor}" if c.minor else ""))
    return "-".join(parts)


def _flag(add: Callable[[str], None], names: dict[int, str], value: int) -> None:
    if value:
        name = names.get(value)
        add(name if name is not None else f"0x{value:x}")
