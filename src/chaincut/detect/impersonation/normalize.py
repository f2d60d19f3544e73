"""Label normalisation: reduce what an impostor shows to the brand name underneath.

Impostors decorate a brand's name ("工商銀行Pro", "ICBC 极速版", "工商银行理财 2024"),
write it in traditional characters, in full-width or Cyrillic look-alike letters, or in
pinyin ("gongshang yinhang", "GSYH"). Every comparison goes through the same steps, on
the label and on the registry's names alike:

1. NFKC (full-width and compatibility forms become plain characters), case fold;
2. traditional to simplified Chinese (OpenCC ``t2s``);
3. Cyrillic and Greek look-alikes folded to Latin;
4. (``stripped`` form only) decorations removed: edition words (Pro, Plus, Lite, HD,
   极速版, 专业版, 官方版, 手机版, 客户端, ...), generic finance suffixes (理财, 金融),
   version numbers and years;
5. everything that is not a letter or a digit removed (spaces, punctuation, emoji).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator

from pypinyin import Style, lazy_pinyin

from chaincut.knowledge.chinese import t2s

HOMOGLYPHS = str.maketrans(
    {
        # Cyrillic
        "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o",
        "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "і": "i", "ї": "i", "ј": "j",
        "ѕ": "s", "ԁ": "d", "ԛ": "q", "ԝ": "w", "ѵ": "v", "һ": "h", "ӏ": "l",
        # Greek
        "α": "a", "β": "b", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p",
        "τ": "t", "υ": "u", "χ": "x", "γ": "y", "ω": "w",
        # Latin look-alikes
        "ı": "i", "ɡ": "g", "ɑ": "a", "ℓ": "l",
    }
)  # fmt: skip
# Digit and letter confusions (UTS #39 style) used only for ASCII skeletons of names,
# packages and domains: "1cbc", "icbc" and "lcbc" share the skeleton "lcbc".
SKELETON = str.maketrans({"0": "o", "1": "l", "i": "l", "|": "l", "5": "s", "$": "s"})
MULTI_SKELETON = (("rn", "m"), ("vv", "w"), ("cl", "d"))

EDITION = (
    "极速|专业|尊享|官方|正式|最新|新|手机|国际|企业|青春|老年|关怀|长辈|大字|个人|测试|内测"
    "|体验|会员|高级|安卓|苹果|免费|精简|pro|plus|vip|lite"
)
DECORATIONS = [
    re.compile(rf"(?:{EDITION})版"),
    re.compile(r"客户端|手机银行|网上银行|官方|官网|正版|理财|金融|安卓"),
    re.compile(
        r"(?<![a-z0-9])(?:pro|plus|lite|hd|max|mini|vip|beta|official|new|online|app|apk|ios)"
        r"(?![a-z])"
    ),
    re.compile(r"(?<![0-9])v?\d+(?:\.\d+)+"),  # version numbers: 2.1, v3.0.1
    re.compile(r"(?<![a-z0-9])v\d+(?![0-9])"),  # v5
    re.compile(r"(?<![0-9])(?:19|20)\d\d(?![0-9])"),  # years
]


def _dictionary_keys(chain: object) -> Iterator[str]:
    """Every key of the converter's loaded dictionaries (nested lists of
    ``(max_len, min_len, mapping)``)."""
    if isinstance(chain, list):
        for item in chain:
            yield from _dictionary_keys(item)
    elif isinstance(chain, tuple) and len(chain) == 3 and isinstance(chain[2], dict):
        yield from chain[2]
    else:
        raise TypeError(f"unexpected OpenCC dictionary layout: {type(chain).__name__}")


@functools.cache
def _convertible_runs() -> re.Pattern[str]:
    """Runs of characters that occur in some t2s dictionary key. No key spans any other
    character, and the converter (longest key first, then left and right of it) treats
    the text on either side of such a character independently, so converting only these
    runs gives the same text as converting the whole, without walking every ASCII and
    simplified stretch of a 64 KB string table through OpenCC's pure-Python parse tree."""
    converter = t2s()
    converter.convert("")  # loads the dictionaries
    try:
        chars = {c for key in _dictionary_keys(converter._dict_chain_data) for c in key}
    except TypeError:
        return re.compile(r"(?s).+")  # another OpenCC build: convert everything, as before
    # Python's regex engine tests a class holding characters beyond U+FFFF item by item
    # (hundreds here, for every character of the text); the BMP ones form a table looked
    # up at once, and the rest are tried only on a character beyond U+FFFF.
    bmp = "".join(re.escape(c) for c in sorted(chars) if ord(c) <= 0xFFFF)
    astral = "".join(re.escape(c) for c in sorted(chars) if ord(c) > 0xFFFF)
    if not astral:
        return re.compile(f"[{bmp}]+")
    return re.compile(f"(?:[{bmp}]|(?=[\U00010000-\U0010ffff])[{astral}])+")


@functools.lru_cache(maxsize=8192)
def _convert_run(run: str) -> str:
    return str(t2s().convert(run))


def to_simplified(text: str) -> str:
    """Traditional to simplified Chinese; a no-op on text without Chinese."""
    if text.isascii() or _CJK.search(text) is None:  # one C scan, not a Python loop
        return text
    return _convertible_runs().sub(lambda m: _convert_run(m.group()), text)


def folded(text: str) -> str:
    """Steps 1-3: NFKC, case fold, simplified Chinese, Latin look-alikes (spaces kept)."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return to_simplified(text).translate(HOMOGLYPHS)


def _keep(text: str) -> str:
    return "".join(c for c in text if unicodedata.category(c)[0] in "LN")


@functools.lru_cache(maxsize=4096)
def basic(text: str) -> str:
    """Folded, without spaces, punctuation or emoji (decorations kept)."""
    return _keep(folded(text))


@functools.lru_cache(maxsize=4096)
def stripped(text: str) -> str:
    """``basic`` without decorations; the basic form when stripping would leave nothing."""
    work = folded(text)
    for pattern in DECORATIONS:
        work = pattern.sub(" ", work)
    out = _keep(work)
    return out or _keep(folded(text))


def latin_tokens(text: str) -> list[str]:
    """ASCII words of a label ("ICBC 极速版" -> ["icbc"]), for short names such as CCB."""
    return re.findall(r"[a-z0-9]+", folded(text))


def skeleton(text: str) -> str:
    """ASCII confusable skeleton: "1cbc" and "icbc" both become "lcbc"."""
    out = folded(text).translate(SKELETON)
    for a, b in MULTI_SKELETON:
        out = out.replace(a, b)
    return out


_CJK = re.compile("[\u3400-\u9fff]")


def is_cjk(text: str) -> bool:
    return _CJK.search(text) is not None


@functools.lru_cache(maxsize=4096)
def pinyin(text: str) -> tuple[str, str]:
    """(full pinyin, initials) of the Chinese in ``text``, ASCII kept: 工商银行 ->
    ("gongshangyinhang", "gsyh"). Empty strings for text without Chinese."""
    return _chinese_pinyin("".join(c for c in stripped(text) if is_cjk(c)))


@functools.lru_cache(maxsize=4096)
def _chinese_pinyin(text: str) -> tuple[str, str]:
    """``pinyin`` of the Chinese characters alone (simplified: 銀行 reads yinhang); cached
    by them too, because labels differing only in decorations, Latin words or script
    ("工商銀行Pro", "工商银行 ICBC") read the same and pypinyin is slow to ask."""
    if not text:
        return "", ""
    syllables = [s for s in lazy_pinyin(text, style=Style.NORMAL, errors="ignore") if s]
    full = "".join(s for s in syllables if s.isascii() and s.isalpha())
    initials = "".join(s[0] for s in syllables if s.isascii() and s.isalpha())
    return full.lower(), initials.lower()


def is_short(name: str) -> bool:
    """Names too short to be found inside other words: 工行, 建行, CCB, JD, MT5."""
    norm = basic(name)
    return len(norm) <= 2 if is_cjk(norm) else len(norm) <= 3
