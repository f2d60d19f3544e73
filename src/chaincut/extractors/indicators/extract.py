"""Scan text or raw bytes for indicators, deduplicated in order of first appearance.

Kinds: ``url``, ``domain`` (registrable domain; see hosts.py for when a bare dotted name
counts), ``ip``, ``email`` and ``phone`` (normalised; see phones.py). A URL's host yields
its domain or IP right after the URL; e-mails, IPs and bare names inside a URL are not
reported again. Input is capped at MAX_INPUT and each kind at MAX_MATCHES candidates, so a
hostile 100 MB string costs a bounded, predictable amount of time.

Bytes are read as Latin-1 (one character per byte, cannot fail, C speed): every pattern
is ASCII, so UTF-8 text, MUTF-8 DEX strings and binary noise all scan the same way.
UTF-16LE text (some resources and binaries) is found by its ``:\\0/\\0/\\0`` and ``@\\0``
shapes and decoded only around them. URLs hidden as base64 (``aHR0cHM6Ly9...``) are
decoded and reported too.
"""

from __future__ import annotations

import bisect

from chaincut.extractors.indicators import finders
from chaincut.extractors.indicators.candidates import utf16_markers
from chaincut.extractors.indicators.finders import Hit
from chaincut.extractors.indicators.phones import has_digit_soup, phones
from chaincut.facts.models import Indicator, Location

MAX_INPUT = 4 * 1024 * 1024  # characters (text) or bytes (binary) scanned per call
UTF16_BEFORE, UTF16_AFTER, UTF16_WINDOWS = 512, 4096, 256


def find_indicators(
    text: str, *, location: Location | None = None, limit: int = 2000
) -> list[Indicator]:
    """Indicators in ``text`` (its first MAX_INPUT characters), at most ``limit``."""
    if limit <= 0 or not text:
        return []
    return _build(_scan(text[:MAX_INPUT]), location, limit)


def find_indicators_bytes(
    data: bytes, *, location: Location | None = None, limit: int = 2000
) -> list[Indicator]:
    """Indicators in raw bytes (the first MAX_INPUT): DEX string data, binaries, assets."""
    if limit <= 0 or not data:
        return []
    head = bytes(memoryview(data)[:MAX_INPUT])
    hits = _scan(head.decode("latin-1"), may_hold_soup=has_digit_soup(head))
    hits.extend(_scan_utf16(head))
    return _build(hits, location, limit)


def _build(hits: list[Hit], location: Location | None, limit: int) -> list[Indicator]:
    hits.sort(key=lambda h: h[0])  # stable: a URL stays ahead of its own domain
    seen: set[tuple[str, str]] = set()
    out: list[Indicator] = []
    for _, kind, value in hits:
        if (kind, value) in seen:
            continue
        seen.add((kind, value))
        out.append(Indicator(kind=kind, value=value, location=location))
        if len(out) >= limit:
            break
    return out


def _scan(text: str, *, may_hold_soup: bool = True) -> list[Hit]:
    if "\\/" in text:
        text = text.replace("\\/", "/")  # JSON and JS escape slashes: https:\/\/host\/path
    hits: list[Hit] = []
    spans = finders.urls(text, hits)
    starts = [s for s, _ in spans]

    def inside(pos: int) -> bool:
        i = bisect.bisect_right(starts, pos) - 1
        return i >= 0 and pos < spans[i][1]

    finders.emails(text, hits, inside)
    finders.ips(text, hits, inside)
    finders.bare_hosts(text, hits, inside)
    hits.extend((pos, "phone", value) for pos, value in phones(text, may_hold_soup=may_hold_soup))
    if "aHR0c" in text:  # base64 of "http": a URL hidden from string scanners
        hits.extend(finders.base64_urls(text))
    return hits


def _scan_utf16(data: bytes) -> list[Hit]:
    """Indicators in UTF-16LE text around URL and e-mail shapes (bounded windows)."""
    hits: list[Hit] = []
    covered = [-1, -1]  # end of the last decoded window, per byte parity
    for count, at in enumerate(utf16_markers(data)):  # UTF16_MARKERS' matches, from ":" and "@"
        if count >= UTF16_WINDOWS:
            break
        parity = at % 2
        if at < covered[parity]:
            continue
        start = max(parity, at - UTF16_BEFORE)
        end = at + UTF16_AFTER
        covered[parity] = end
        text = data[start:end].decode("utf-16-le", "replace")
        hits.extend((start + 2 * p, kind, value) for p, kind, value in _scan(text))
    return hits
