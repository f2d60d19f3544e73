"""The matches of the slow indicator patterns, found from a literal first.

``IPV4`` and the UTF-16 markers start with a character class or a
lookbehind, so the regex engine tries them at every offset of a DEX string region (10 MB
for the benchmark corpus): that was most of the indicator scan's time. Each generator here
finds candidates with a pattern that starts with a literal (``.``, ``:``, ``@``), which the
engine skips to in C, then runs the original pattern anchored where a match can start. They
yield exactly the matches ``pattern.finditer(text)`` would, in the same order (the tests
compare both on hostile inputs), so nothing downstream changes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

from chaincut.extractors.indicators.patterns import IPV4

# The first dot of every IPv4 match: ".b.c.d" with 1-3 digit groups after it.
IPV4_DOTS = re.compile(r"\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]")
# A dot followed by a label character: every BARE_HOST match holds one.
HOST_DOT = re.compile(r"\.[A-Za-z0-9-]")
LABEL_RUN = re.compile(r"[A-Za-z0-9-]*")  # matched on the reversed text: the run before a dot
LABEL_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-")
# Eight-group IPv6 literals (no "::") hold seven colons with 1-4 hex digits between them.
IPV6_FULL_HINT = re.compile(r":[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){5}:")
# Where UTF-16LE text is decoded: "://" or "x@y" (utf16_markers finds its matches).
UTF16_MARKERS = re.compile(rb":\x00/\x00/\x00|[A-Za-z0-9]\x00@\x00[A-Za-z0-9]\x00")
UTF16_URL = b":\x00/\x00/\x00"  # "://" in UTF-16LE
UTF16_AT = re.compile(rb"@\x00[A-Za-z0-9]\x00")  # "@x"; the character before "@" is checked
UTF16_ALNUM = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")


def _anchored(
    text: str,
    pattern: re.Pattern[str],
    hint: re.Pattern[str],
    starts: Callable[[int, int], Iterable[int]],
) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)``, given ``hint``, a literal-led pattern found in every
    match, and ``starts(at, pos)``: where a match holding the hint found at ``at`` can
    start, at or after ``pos`` (the end of the previous match), in increasing order."""
    pos = 0
    cand = hint.search(text)
    while cand is not None:
        at = cand.start()
        found = next((m for s in starts(at, pos) if (m := pattern.match(text, s))), None)
        if found is None:
            cand = hint.search(text, at + 1)
            continue
        yield found
        pos = found.end()
        cand = hint.search(text, pos)


def ipv4_matches(text: str) -> Iterator[re.Match[str]]:
    """``IPV4.finditer(text)``: a match starts 1-3 characters before its first dot."""
    return _anchored(text, IPV4, IPV4_DOTS, lambda dot, pos: range(max(pos, dot - 3), dot))


def may_hold_full_ipv6(text: str) -> bool:
    """False when no eight-group IPv6 literal can be in ``text`` (then the full IPv6 scan,
    which tries every offset, cannot find a valid address)."""
    return IPV6_FULL_HINT.search(text) is not None


def utf16_markers(data: bytes) -> Iterator[int]:
    """Where ``:\\0/\\0/\\0|[A-Za-z0-9]\\0@\\0[A-Za-z0-9]\\0`` matches in ``data`` (finditer:
    in order, not overlapping), as the offset of its ``:`` or ``@``."""
    url_at = data.find(UTF16_URL)
    ats = (
        m.start()
        for m in UTF16_AT.finditer(data)
        if m.start() >= 2 and data[m.start() - 1] == 0 and data[m.start() - 2] in UTF16_ALNUM
    )
    at = next(ats, -1)
    end = 0  # where the last match ended: finditer does not overlap matches
    while url_at >= 0 or at >= 0:
        if url_at >= 0 and (at < 0 or url_at < at - 2):
            start, marker = url_at, url_at
            url_at = data.find(UTF16_URL, url_at + 1)
        else:
            start, marker = at - 2, at
            at = next(ats, -1)
        if start < end:
            continue
        end = start + 6
        yield marker
