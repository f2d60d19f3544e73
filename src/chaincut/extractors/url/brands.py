"""Brand tokens in links: a bank's name in a subdomain or a path ("icbc.kefu-a.top/icbc/").

Tokens come from the brand registry: ids, the ``tokens`` list, ASCII names squeezed to
letters and digits ("Bank of China" -> "bankofchina") and the pinyin of Chinese names
("工商银行" -> "gongshangyinhang"). A short token (three characters or fewer: "ccb", "boc")
counts only as a whole label or segment word; longer ones count anywhere inside. Chinese
names count inside decoded path segments. A brand is never reported on its own domains.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from chaincut.knowledge.brands import Brand, default_registry

SHORT = 3
MIN_PINYIN = 6
WORD_SPLIT = re.compile(r"[^a-z0-9]+")
HAN = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True, slots=True)
class BrandTokens:
    brand: str
    short: frozenset[str]  # whole-word tokens
    long: tuple[str, ...]  # substring tokens
    chinese: tuple[str, ...]  # Chinese names, matched in decoded text
    domains: frozenset[str]


def _tokens(brand: Brand) -> BrandTokens:
    from pypinyin import lazy_pinyin  # its dictionaries load only when a link is analysed

    ascii_words = {t.lower() for t in brand.tokens}
    own_id = WORD_SPLIT.sub("", brand.id)
    chinese: list[str] = []
    for name in brand.names:
        if HAN.search(name):
            chinese.append(name)
            pinyin = "".join(lazy_pinyin(name)).lower()
            if pinyin.isascii() and len(pinyin) >= MIN_PINYIN and pinyin.isalnum():
                ascii_words.add(pinyin)
        elif name.isascii():
            squeezed = WORD_SPLIT.sub("", name.lower())
            if squeezed:
                ascii_words.add(squeezed)
    if len(own_id) > SHORT or own_id in ascii_words:  # "abc" alone is no brand's word
        ascii_words.add(own_id)
    ascii_words.discard("")
    return BrandTokens(
        brand=brand.id,
        short=frozenset(w for w in ascii_words if len(w) <= SHORT),
        long=tuple(sorted(w for w in ascii_words if len(w) > SHORT)),
        chinese=tuple(n for n in chinese if len(n) >= 2),
        domains=frozenset(d.lower() for d in brand.domains),
    )


@functools.cache
def brand_tokens() -> tuple[BrandTokens, ...]:
    """Token sets of the default registry, built once per process."""
    return tuple(_tokens(b) for b in default_registry().brands.values())


@functools.cache
def _any_token() -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    """One pattern per kind (long ASCII, Chinese) that finds whether any brand's token
    occurs at all: most URLs name no brand, and then no brand needs its own check."""

    def union(words: set[str]) -> re.Pattern[str] | None:
        ordered = sorted(words, key=len, reverse=True)
        return re.compile("|".join(map(re.escape, ordered))) if ordered else None

    every = brand_tokens()
    return (union({t for b in every for t in b.long}),
            union({n for b in every for n in b.chinese}))


def find_brand_tokens(parts: list[str], decoded_text: str, registrable: str | None) -> list[str]:
    """Brand ids whose tokens appear in ``parts`` (lower-case host labels, path segments)."""
    words = {w for part in parts for w in WORD_SPLIT.split(part) if w}
    joined = "\n".join(parts)
    any_long, any_chinese = _any_token()
    some_long = any_long is not None and any_long.search(joined) is not None
    some_chinese = any_chinese is not None and any_chinese.search(decoded_text) is not None
    found: list[str] = []
    for tokens in brand_tokens():
        if registrable is not None and _official(registrable, tokens.domains):
            continue
        if (
            tokens.short & words
            or (some_long and any(t in joined for t in tokens.long))
            or (some_chinese and any(n in decoded_text for n in tokens.chinese))
        ):
            found.append(tokens.brand)
    return found


def _official(registrable: str, domains: frozenset[str]) -> bool:
    return registrable in domains or any(registrable.endswith("." + d) for d in domains)
