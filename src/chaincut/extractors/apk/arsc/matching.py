"""Which configuration a device gets: ResTable_config::match and ::isBetterThan.

The device is the one ``aapt dump badging`` pretends to be (portrait, mdpi, sw320dp,
w320dp-h480dp, normal screen, SDK 10000) with no locale for the default label and one
locale per ``application-label-xx`` line. Android's locale rules need CLDR likely-script
and region-parent tables; we keep the cases that decide fraud-app labels (zh Hans/Hant,
sr Cyrl/Latn, exact region before bare language before other regions) and treat every
other language as written in one script, which is what CLDR says for almost all of them.
"""

from __future__ import annotations

import re
from dataclasses import replace

from chaincut.extractors.apk.arsc.config import DENSITY_ANY, Config

MEDIUM = 160
DEVICE = Config(
    orientation=1, density=MEDIUM, sdk=10000, width_dp=320, height_dp=480, smallest_dp=320,
    screen_layout=0x02,
)  # fmt: skip
TRADITIONAL_ZH = frozenset({"TW", "HK", "MO"})
LATIN_SR = frozenset({"ME", "XK", "RO", "RU", "TR"})
CLOSE_TO_US = frozenset({"", "US", "AS", "GU", "MH", "MP", "PR", "UM", "VI"})
_EQUIVALENT = {"tl": "fil"}
LOCALE = re.compile(
    r"(?:[a-z]{2,3}(?:-r(?:[A-Z]{2}|[0-9]{3}))?|b\+[a-z]{2,8}(?:\+[A-Za-z0-9]{2,8})*)\Z"
)


def is_locale(qualifier: str) -> bool:
    """Is ``qualifier`` a locale alone (``en``, ``zh-rCN``, ``b+sr+Latn``), not ``night``?"""
    return bool(LOCALE.match(qualifier)) and qualifier != "car"


def device_for(locale: str | None) -> Config:
    """aapt's badging device, with ``locale`` (``zh-rCN``, ``b+sr+Latn``, ``en``) set."""
    if not locale:
        return DEVICE
    if locale.startswith("b+"):
        parts = [p for p in locale[2:].split("+") if p]
        lang = parts[0] if parts else ""
        script = next((p for p in parts[1:] if len(p) == 4 and p.isalpha()), "")
        country = next((p for p in parts[1:] if len(p) in (2, 3) and p != script), "")
        return replace(DEVICE, language=lang, country=country, script=script)
    lang, _, rest = locale.partition("-")
    country = rest[1:] if rest.startswith("r") else rest
    return replace(DEVICE, language=lang, country=country)


def script_of(c: Config) -> str:
    """The explicit or likely script of a locale; "" when there is no language."""
    if c.script:
        return c.script
    if not c.language:
        return ""
    if c.language == "zh":
        return "Hant" if c.country in TRADITIONAL_ZH else "Hans"
    if c.language == "sr":
        return "Latn" if c.country in LATIN_SR else "Cyrl"
    return "~" + _EQUIVALENT.get(c.language, c.language)  # stand-in: one script per language


def _same_lang(a: str, b: str) -> bool:
    return _EQUIVALENT.get(a, a) == _EQUIVALENT.get(b, b)


def _locale_matches(r: Config, d: Config) -> bool:
    if not r.language and not r.country:
        return True
    if not _same_lang(r.language, d.language):
        return False
    wanted = script_of(d)
    if not wanted:
        return not r.country or r.country == d.country
    return script_of(r) == wanted


def matches(r: Config, d: Config) -> bool:
    """Can a device with configuration ``d`` use a value from configuration ``r``?"""
    if (r.mcc and r.mcc != d.mcc) or (r.mnc and r.mnc != d.mnc):
        return False
    if not _locale_matches(r, d) or (r.gender and r.gender != d.gender):
        return False
    sl, dsl = r.screen_layout, d.screen_layout
    if _differs(sl & 0xC0, dsl & 0xC0) or _differs(sl & 0x30, dsl & 0x30):
        return False
    if sl & 0x0F and (sl & 0x0F) > (dsl & 0x0F):
        return False
    if _differs(r.ui_mode & 0x0F, d.ui_mode & 0x0F) or _differs(r.ui_mode & 0x30, d.ui_mode & 0x30):
        return False
    if _over(r.smallest_dp, d.smallest_dp) or _over(r.width_dp, d.width_dp):
        return False
    if _over(r.height_dp, d.height_dp) or _differs(r.screen_layout2 & 3, d.screen_layout2 & 3):
        return False
    cm, dcm = r.color_mode, d.color_mode
    if _differs(cm & 3, dcm & 3) or _differs(cm & 12, dcm & 12):
        return False
    if _differs(r.orientation, d.orientation) or _differs(r.touchscreen, d.touchscreen):
        return False
    keys, dkeys = r.input_flags & 3, d.input_flags & 3
    if keys and keys != dkeys and not (keys == 1 and dkeys == 3):
        return False
    if _differs(r.input_flags & 12, d.input_flags & 12) or _differs(r.keyboard, d.keyboard):
        return False
    if _differs(r.navigation, d.navigation) or _over(r.screen_width, d.screen_width):
        return False
    if _over(r.screen_height, d.screen_height) or _over(r.sdk, d.sdk):
        return False
    return not _differs(r.minor, d.minor)


def _differs(value: int, wanted: int) -> bool:
    return value != 0 and value != wanted


def _over(value: int, limit: int) -> bool:
    return value != 0 and value > limit


def better(a: Config, b: Config, d: Config) -> bool:
    """Is ``a`` a better match than ``b`` for device ``d`` (both already match)?"""
    if a.mcc != b.mcc and d.mcc:
        return bool(a.mcc)
    if a.mnc != b.mnc and d.mnc:
        return bool(a.mnc)
    if _locale_better(a, b, d):
        return True
    if _locale_better(b, a, d):
        return False
    for verdict in _screen(a, b, d):
        if verdict is not None:
            return verdict
    return _rest(a, b, d)


def _screen(a: Config, b: Config, d: Config) -> list[bool | None]:
    """The screen criteria in Android's order; the first non-None one decides."""
    out: list[bool | None] = []
    if a.gender != b.gender and d.gender:
        out.append(bool(a.gender))
    if (a.screen_layout ^ b.screen_layout) & 0xC0 and d.screen_layout & 0xC0:
        out.append((a.screen_layout & 0xC0) > (b.screen_layout & 0xC0))
    if a.smallest_dp != b.smallest_dp:
        out.append(a.smallest_dp > b.smallest_dp)
    mine = _delta(d.width_dp, a.width_dp) + _delta(d.height_dp, a.height_dp)
    other = _delta(d.width_dp, b.width_dp) + _delta(d.height_dp, b.height_dp)
    if mine != other:
        out.append(mine < other)
    if (a.screen_layout ^ b.screen_layout) & 0x0F and d.screen_layout & 0x0F:
        out.append(_size_better(a.screen_layout & 0x0F, b.screen_layout & 0x0F, d))
    if (a.screen_layout ^ b.screen_layout) & 0x30 and d.screen_layout & 0x30:
        out.append(bool(a.screen_layout & 0x30))
    return out


def _delta(wanted: int, value: int) -> int:
    return wanted - value if wanted else 0


def _size_better(mine: int, other: int, d: Config) -> bool:
    fixed_mine, fixed_other = mine, other
    if d.screen_layout & 0x0F >= 2:
        fixed_mine, fixed_other = mine or 2, other or 2
    if fixed_mine == fixed_other:
        return mine != 0
    return fixed_mine > fixed_other


def _rest(a: Config, b: Config, d: Config) -> bool:
    pairs = (
        (a.screen_layout2 & 3, b.screen_layout2 & 3, d.screen_layout2 & 3),
        (a.color_mode & 12, b.color_mode & 12, d.color_mode & 12),
        (a.color_mode & 3, b.color_mode & 3, d.color_mode & 3),
        (a.orientation, b.orientation, d.orientation),
        (a.ui_mode & 0x0F, b.ui_mode & 0x0F, d.ui_mode & 0x0F),
        (a.ui_mode & 0x30, b.ui_mode & 0x30, d.ui_mode & 0x30),
    )
    for mine, other, wanted in pairs:
        if mine != other and wanted:
            return bool(mine)
    if a.density != b.density:
        return _density_better(a.density, b.density, d.density)
    for mine, other, wanted in (
        (a.touchscreen, b.touchscreen, d.touchscreen),
        (a.input_flags & 3, b.input_flags & 3, d.input_flags & 3),
        (a.input_flags & 12, b.input_flags & 12, d.input_flags & 12),
        (a.keyboard, b.keyboard, d.keyboard),
        (a.navigation, b.navigation, d.navigation),
    ):
        if mine != other and wanted:
            return bool(mine)
    mine_px = _delta(d.screen_width, a.screen_width) + _delta(d.screen_height, a.screen_height)
    other_px = _delta(d.screen_width, b.screen_width) + _delta(d.screen_height, b.screen_height)
    if mine_px != other_px:
        return mine_px < other_px
    if a.sdk != b.sdk and d.sdk:
        return a.sdk > b.sdk
    return a.minor != b.minor and bool(d.minor) and bool(a.minor)


def _density_better(mine: int, other: int, wanted: int) -> bool:
    """Android's bucket choice: anydpi first, then the nearest, scaling down before up."""
    this_d, other_d = mine or MEDIUM, other or MEDIUM
    if this_d == DENSITY_ANY:
        return True
    if other_d == DENSITY_ANY:
        return False
    req = MEDIUM if wanted in (0, DENSITY_ANY) else wanted
    high, low, i_am_bigger = this_d, other_d, True
    if low > high:
        high, low, i_am_bigger = other_d, this_d, False
    if req >= high:
        return i_am_bigger
    if low >= req:
        return not i_am_bigger
    if (2 * low - req) * high > req * req:
        return not i_am_bigger
    return i_am_bigger


def _locale_better(a: Config, b: Config, d: Config) -> bool:
    """ResTable_config::isLocaleBetterThan with region parents reduced to bare language."""
    if not d.language and not d.country:
        return False
    if not (a.language or a.country or a.script or b.language or b.country or b.script):
        return False
    if not _same_lang(a.language, b.language):
        if d.language == "en" and d.country in CLOSE_TO_US:
            if d.country == "US":
                us = ("", "US")
                return a.country in us if a.language else b.country not in us
            return a.country in CLOSE_TO_US if a.language else b.country not in CLOSE_TO_US
        return bool(a.language)
    ranks = _region_rank(a.country, d), _region_rank(b.country, d)
    if ranks[0] != ranks[1]:
        return ranks[0] < ranks[1]
    if a.country != b.country:
        return _region_key(a.country) < _region_key(b.country)
    if (a.variant == d.variant) != (b.variant == d.variant):
        return a.variant == d.variant
    return a.language == d.language and b.language != d.language


def _region_rank(country: str, d: Config) -> int:
    if country == d.country:
        return 0
    return 1 if not country else 2


def _region_key(country: str) -> tuple[bool, str]:
    return (country.isdigit(), country)
