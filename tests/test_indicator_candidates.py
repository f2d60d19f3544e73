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


def test_ipv4_and_bare_hosts_match_the_patterns_finditer() -> None:
    for text in _texts():
        assert _spans(c.ipv4_matches(text)) == _spans(IPV4.finditer(text)), text
        assert _spans(c.bare_host_matches(text)) == _spans(BARE_HOST.finditer(text)), text


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
