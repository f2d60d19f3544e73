"""The literal-first scans find exactly what the patterns they stand for find.

``candidates.py`` replaces ``finditer`` of IPV4, BARE_HOST and the UTF-16 markers (and
skips the full IPv6 scan when no eight-group literal can be there) for speed; a difference
would silently change indicators. Random texts over the characters that matter (digits,
dots, colons, hex letters, NULs, ``@``, ``/``) hit the edge cases: runs that start after a
dot, version numbers, five-part dotted numbers, overlapping UTF-16 ``x@y@z`` markers.
"""

from __future__ import annotations

import random

from chaincut.extractors.indicators import candidates as c
from chaincut.extractors.indicators.patterns import BARE_HOST, IPV4, IPV6

ALPHABET = "0123456789....::abcfAF-_/@ \x00\x80xyz"
SAMPLES = [
    "1.2.3.4.5 10.0.0.1 v1.2.3.4 999.1.1.1 1.2.3 a.b..c.d .e.f- -g.h. x.1.2.3.4",
    "..abc.def a..b.c com.example.www ab-c.d-e.f..g 12.34.56.78.90.12",
    "fe80:0:0:0:0:0:0:1 2001:db8:1:2:3:4:5:6%eth0 1:2:3:4:5:6:7 ::1 a:b:c:d:e:f:0:1",
]


def _texts() -> list[str]:
    rng = random.Random(12)
    out = list(SAMPLES)
    for _ in range(400):
        out.append("".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 120))))
    return out


def _spans(matches: object) -> list[tuple[int, str]]:
    return [(m.start(), m.group()) for m in matches]  # type: ignore[attr-defined]


def test_ipv4_matches_the_patterns_finditer() -> None:
    for text in _texts():
        assert _spans(c.ipv4_matches(text)) == _spans(IPV4.finditer(text)), text


def test_no_eight_group_ipv6_is_missed_by_the_hint() -> None:
    for text in _texts():
        full = [
            m.group()
            for m in IPV6.finditer(text)
            if "::" not in m.group() and len(m.group().split("%")[0].split(":")) == 8
        ]
        if full:
            assert c.may_hold_full_ipv6(text), text
    assert not c.may_hold_full_ipv6("a:b:c:d:e:f and 12:34:56")


def test_utf16_markers_match_the_pattern_finditer() -> None:
    rng = random.Random(7)
    pieces = [b"a\x00", b"@\x00", b":\x00/\x00/\x00", b"\x00", b"b", b"/\x00", b"Z\x00"]
    blobs = [b"a\x00@\x00b\x00@\x00c\x00:\x00/\x00/\x00x\x00@\x00y\x00"]
    for _ in range(400):
        blobs.append(b"".join(rng.choice(pieces) for _ in range(rng.randint(0, 40))))
    for blob in blobs:
        expected = [
            m.start() if blob[m.start() : m.start() + 1] == b":" else m.start() + 2
            for m in c.UTF16_MARKERS.finditer(blob)
        ]
        assert list(c.utf16_markers(blob)) == expected, blob


def test_digit_soup_test_on_bytes_agrees_with_the_regex() -> None:
    from chaincut.extractors.indicators.phones import DIGIT_SOUP, has_digit_soup

    rng = random.Random(1)
    blobs = [b"1" * 23, b"1" * 24, b"x" + b"9" * 30 + b"\xff", b""]
    blobs += [
        bytes(rng.choice(b"0123456789a\x00\xff ") for _ in range(rng.randint(0, 80)))
        for _ in range(3000)
    ]
    for blob in blobs:
        assert has_digit_soup(blob) == bool(DIGIT_SOUP.search(blob.decode("latin-1"))), blob


def _bare_hosts_reference(text: str, cap: int) -> list[tuple[int, str, str]]:
    """finders.bare_hosts as it was written over ``BARE_HOST.finditer`` (capped)."""
    from itertools import islice

    from chaincut.extractors.indicators import finders as f
    from chaincut.extractors.indicators.patterns import HOST_AFTER, HOST_GLUE, MAX_HOST_LABELS

    hits: list[tuple[int, str, str]] = []
    for m in islice(BARE_HOST.finditer(text), cap):
        start, token = m.start(), m.group()
        if f.length_byte(text, start):
            start, token = start + 1, token[1:]
        if m.end() < len(text) and text[m.end()] in HOST_AFTER:
            continue
        if f.glued(text, start, HOST_GLUE) or (
            start > 1 and text[start - 1] == "/" != text[start - 2]
        ):
            continue
        if token.count(".") >= MAX_HOST_LABELS or len(token) > 253 or start % 7 == 3:
            continue
        if domain := f.bare_host_domain(token):
            hits.append((start, "domain", domain))
    return hits


def test_bare_hosts_finds_what_finditer_finds() -> None:
    """The written-out loop of finders.bare_hosts equals the finditer one, cap included."""
    import pytest

    from chaincut.extractors.indicators import finders as f

    rng = random.Random(5)
    words = ["cdn.example.top", "API.PAY.CN", "com.tencent.mm", "a.b", "x-y.example.co.uk",
             "\x00\x0fapi.example.top\x00", "R.id.name", "libfoo.so", "//w.example.top",
             "u@mail.example.top", "v1.2.example.top", "..", ".", "-", "_", "$", "/", " "]
    texts = _texts() + [
        "".join(rng.choice(words + list(ALPHABET)) for _ in range(rng.randint(0, 60)))
        for _ in range(600)
    ]
    found = 0
    for cap in (20_000, 3):
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(f, "MAX_MATCHES", cap)
            for text in texts:
                hits: list[tuple[int, str, str]] = []
                f.bare_hosts(text, hits, lambda pos: pos % 7 == 3)
                assert hits == _bare_hosts_reference(text, cap), text
                found += len(hits)
    assert found > 100


def test_service_numbers_match_the_pattern_finditer() -> None:
    from chaincut.extractors.indicators.patterns import CN_SERVICE
    from chaincut.extractors.indicators.phones import service_matches

    rng = random.Random(8)
    pieces = ["400", "800", "4008", "8004", "0", "1234", "567", " ", "-", "x", "_", "9"]
    texts = ["400-123-4567 800 123 4567 4008001234567 800123456789 400-800-1234"]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 40))) for _ in range(3000)]
    hits = 0
    for text in texts:
        got = _spans(service_matches(text))
        assert got == _spans(CN_SERVICE.finditer(text)), text
        hits += len(got)
    assert hits > 500
