"""Phone numbers, normalised so one number written three ways links as one indicator.

Chinese mobiles (1[3-9] + 9 digits, optionally +86/0086 and spaced 3-4-4) and landlines
with an area code become E.164 (+86...); 400/800 service numbers keep their 10 digits
(they cannot be dialled from abroad); other numbers written with a + country code become
+digits when they have 8 to 15 digits. Digits glued to letters or other digits are not
phone numbers (hex strings, IDs, timestamps).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from chaincut.extractors.indicators.finders import glued
from chaincut.extractors.indicators.patterns import (
    CN_LANDLINE,
    CN_LANDLINE_PREFIX,
    CN_MOBILE,
    CN_MOBILE_PREFIX,
    CN_SERVICE,
    INTL_PHONE,
    PHONE_GLUE,
)

NON_DIGITS = re.compile(r"\D")
SEPARATORS = re.compile(r"[ .-]")
Render = Callable[[re.Match[str]], str | None]
MAX_MATCHES = 20_000  # per pattern and input: bounds the work on digit-soup inputs
# A run of more digits than any written number (with +86 and an extension) cannot hold
# a phone number whose ends are not glued to other digits; blanking such runs (keeping
# positions) makes digit soup linear instead of a regex attempt at every offset.
DIGIT_SOUP = re.compile(r"[0-9]{24,}")


# Digits mapped to "0" and every other byte to ".": a DIGIT_SOUP run is then a plain
# substring search, one C pass over the bytes instead of a regex over the decoded text.
SOUP_TABLE = bytes(0x30 if 0x30 <= b <= 0x39 else 0x2E for b in range(256))
SOUP_RUN = b"0" * 24


def has_digit_soup(data: bytes) -> bool:
    """Whether Latin-1 ``data`` (decoded, the text phones() reads) holds a DIGIT_SOUP run."""
    return SOUP_RUN in data.translate(SOUP_TABLE)


def _blank(m: re.Match[str]) -> str:
    return " " * len(m.group())


def phones(text: str, *, may_hold_soup: bool = True) -> Iterator[tuple[int, str]]:
    """(position, normalised number) for every phone-like match, unsorted.

    ``may_hold_soup=False`` says the caller knows ``text`` has no DIGIT_SOUP run (see
    ``has_digit_soup``), which spares a pass over it."""
    if may_hold_soup:
        text = DIGIT_SOUP.sub(_blank, text)
    for matches, prefix, render in _RENDERERS:
        for count, m in enumerate(matches(text)):
            if count >= MAX_MATCHES:
                break
            start = m.start()
            if prefix is not None and (p := prefix.search(text, max(0, start - 5), start)):
                start = p.start()  # +86 / 0086 belongs to the number
            if glued(text, start, PHONE_GLUE):
                continue
            if value := render(m):
                yield start, value


def _mobile(m: re.Match[str]) -> str:
    return "+861" + "".join(m.groups())


def _service(m: re.Match[str]) -> str:
    return "".join(m.groups())


def _landline(m: re.Match[str]) -> str:
    return "+86" + "".join(m.groups())


def _international(m: re.Match[str]) -> str | None:
    """+digits; a match that ran into a following number loses its trailing groups."""
    if m.group().count("(") != m.group().count(")"):
        return None
    groups = SEPARATORS.split(m.group())
    digits = NON_DIGITS.sub("", "".join(groups))
    while len(digits) > 15 and len(groups) > 1:
        groups.pop()
        digits = NON_DIGITS.sub("", "".join(groups))
    return "+" + digits if 8 <= len(digits) <= 15 else None


# CN_SERVICE with its first character spelled out: a pattern that starts with a literal is
# found by a fast substring search, one that starts with a class ([48]) is tried at every
# offset (it was most of the phone scan's time on DEX strings)
SERVICE_BY_FIRST = tuple(
    re.compile(CN_SERVICE.pattern.replace("([48]00)", f"({first}00)", 1)) for first in "48"
)


def service_matches(text: str) -> Iterator[re.Match[str]]:
    """``CN_SERVICE.finditer(text)``: at each step the earliest match of the 400 and 800
    patterns from where the last match ended (at a given start only one of them can
    match, exactly as CN_SERVICE does there)."""
    pos = 0
    # each pattern's next match at or after pos; searched again only once it is passed,
    # so hostile text with thousands of one kind and one far-away other costs one pass each
    ahead: list[re.Match[str] | None] = [p.search(text) for p in SERVICE_BY_FIRST]
    while True:
        for i, p in enumerate(SERVICE_BY_FIRST):
            m = ahead[i]
            if m is not None and m.start() < pos:
                ahead[i] = p.search(text, pos)
        found = [m for m in ahead if m is not None]
        if not found:
            return
        m = min(found, key=lambda x: x.start())
        yield m
        pos = m.end()  # (never empty: at least ten characters)


Matches = Callable[[str], Iterator[re.Match[str]]]
_RENDERERS: tuple[tuple[Matches, re.Pattern[str] | None, Render], ...] = (
    (CN_MOBILE.finditer, CN_MOBILE_PREFIX, _mobile),
    (service_matches, None, _service),
    (CN_LANDLINE.finditer, CN_LANDLINE_PREFIX, _landline),
    (INTL_PHONE.finditer, None, _international),
)
