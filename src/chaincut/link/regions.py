"""Province-level region names: one key for 广东, 广东省, GD, CN-GD and Guangdong.

Case reports name regions in free text; coordinating across regions needs one spelling per
region, so every common form maps to the region's short Chinese name. A name that matches
no region is kept (trimmed) rather than dropped: an unknown spelling is still a region the
analyst typed.
"""

from __future__ import annotations

import re
import unicodedata

from chaincut.knowledge.chinese import to_simplified

# short Chinese name, pinyin, GB/T 2260 two-letter code, extra aliases
_REGIONS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("北京", "beijing", "BJ", ("peking",)),
    ("天津", "tianjin", "TJ", ()),
    ("河北", "hebei", "HE", ()),
    ("山西", "shanxi", "SX", ()),
    ("内蒙古", "neimenggu", "NM", ("inner mongolia", "nei mongol")),
    ("辽宁", "liaoning", "LN", ()),
    ("吉林", "jilin", "JL", ()),
    ("黑龙江", "heilongjiang", "HL", ()),
    ("上海", "shanghai", "SH", ()),
    ("江苏", "jiangsu", "JS", ()),
    ("浙江", "zhejiang", "ZJ", ()),
    ("安徽", "anhui", "AH", ()),
    ("福建", "fujian", "FJ", ()),
    ("江西", "jiangxi", "JX", ()),
    ("山东", "shandong", "SD", ()),
    ("河南", "henan", "HA", ()),
    ("湖北", "hubei", "HB", ()),
    ("湖南", "hunan", "HN", ()),
    ("广东", "guangdong", "GD", ("canton",)),
    ("广西", "guangxi", "GX", ("廣西",)),
    ("海南", "hainan", "HI", ()),
    ("重庆", "chongqing", "CQ", ("重慶",)),
    ("四川", "sichuan", "SC", ()),
    ("贵州", "guizhou", "GZ", ("貴州",)),
    ("云南", "yunnan", "YN", ("雲南",)),
    ("西藏", "xizang", "XZ", ("tibet",)),
    ("陕西", "shaanxi", "SN", ("陝西",)),
    ("甘肃", "gansu", "GS", ("甘肅",)),
    ("青海", "qinghai", "QH", ()),
    ("宁夏", "ningxia", "NX", ("寧夏",)),
    ("新疆", "xinjiang", "XJ", ()),
    ("台湾", "taiwan", "TW", ("臺灣", "台灣")),
    ("香港", "xianggang", "HK", ("hong kong", "hongkong")),
    ("澳门", "aomen", "MO", ("macau", "macao", "澳門")),
)

_SUFFIXES = (
    "壮族自治区",
    "回族自治区",
    "维吾尔自治区",
    "特别行政区",
    "自治区",
    "省",
    "市",
    " special administrative region",
    " autonomous region",
    " province",
    " municipality",
    " sar",
    " shi",
    " sheng",
)

_TABLE: dict[str, str] = {}
for _name, _pinyin, _code, _aliases in _REGIONS:
    for _form in (_name, _pinyin, _code.lower(), f"cn-{_code.lower()}", *_aliases):
        _TABLE[_form.casefold()] = _name

REGION_NAMES: tuple[str, ...] = tuple(r[0] for r in _REGIONS)


def _clean(text: str) -> str:
    """Width, case, spacing and Traditional characters folded (廣東省 -> 广东省)."""
    text = unicodedata.normalize("NFKC", text).strip().casefold()
    if not text.isascii():
        text = to_simplified(text)
    return re.sub(r"\s+", " ", text)


def region_key(text: str) -> str | None:
    """The canonical short Chinese name of a region, or None when no region matches."""
    form = _clean(text)
    if form in _TABLE:
        return _TABLE[form]
    for suffix in _SUFFIXES:
        if form.endswith(suffix) and form[: -len(suffix)].strip() in _TABLE:
            return _TABLE[form[: -len(suffix)].strip()]
    squashed = form.replace(" ", "").replace("-", "")
    return _TABLE.get(squashed)


def normalize_region(text: str) -> str:
    """The canonical short Chinese name of a region, or the trimmed input when unknown."""
    return region_key(text) or text.strip()
