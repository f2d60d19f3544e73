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
    for pattern, prefix, render in _RENDERERS:
        for count, m in enumerate(pattern.finditer(text)):
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


_RENDERERS: tuple[tuple[re.Pattern[str], re.Pattern[str] | None, Render], ...] = (
    (CN_MOBILE, CN_MOBILE_PREFIX, _mobile),
    (CN_SERVICE, None, _service),
    (CN_LANDLINE, CN_LANDLINE_PREFIX, _landline),
    (INTL_PHONE, None, _international),
)
