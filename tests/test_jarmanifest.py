"""The whole-file manifest split gives the sections of apksig's line-by-line parser.

``ManifestParser`` splits CRLF-only and LF-only manifests at once (fast) and reads any
other mix line by line (the apksig port). Section boundaries are signed byte ranges, so
the two must agree exactly: start, size and attributes, on continuation lines, blank-line
runs, a section that starts with a space, a missing final line break.
"""

from __future__ import annotations

import random

from chaincut.extractors.apk.signing.jarmanifest import ManifestParser, Section, _blocks

LINES = [
    b"Manifest-Version: 1.0",
    b"Name: classes.dex",
    b"SHA-256-Digest: abc=",
    b" continued",
    b" ",
    b"",
    b"",
    b"Name: res/a very long name that wraps",
    b"x",
    b"Key:no-space",
    b"SHA1-Digest: \xe4\xb8\xad",
    b"Name: cut \xe4\xb8",
    b"\xad tail",
]


def _sections(data: bytes, fast: bool) -> list[Section]:
    return ManifestParser(data, fast=fast).read_all_sections()


def _shape(sections: list[Section]) -> list[tuple[int, int, tuple[tuple[str, str], ...]]]:
    return [(s.start, s.size, s.attrs) for s in sections]


def test_split_and_line_parser_agree() -> None:
    rng = random.Random(3)
    for _ in range(600):
        newline = rng.choice([b"\r\n", b"\n"])
        lines = [rng.choice(LINES) for _ in range(rng.randint(0, 14))]
        data = newline.join(lines) + rng.choice([b"", newline, newline * 2])
        assert _shape(_sections(data, True)) == _shape(_sections(data, False)), data


def test_sections_split_at_single_blank_lines_agree_with_the_line_parser() -> None:
    rng = random.Random(4)
    attrs = [line for line in LINES if line]
    used = 0
    for _ in range(600):
        newline = rng.choice([b"\r\n", b"\n"])
        sections = [
            newline.join(rng.choice(attrs) for _ in range(rng.randint(1, 5)))
            for _ in range(rng.randint(1, 6))
        ]
        data = (newline * 2).join(sections) + rng.choice([b"", newline, newline * 2])
        used += _blocks(data, newline) is not None
        assert _shape(_sections(data, True)) == _shape(_sections(data, False)), data
    assert used > 500  # the whole-section split did the work


def test_mixed_line_breaks_take_the_line_parser() -> None:
    data = b"Name: a\r\nSHA-256-Digest: x\n\rName: b\r\r\n"
    assert ManifestParser(data)._split is None
    assert _shape(_sections(data, True)) == _shape(_sections(data, False))
    assert [s.name for s in _sections(data, True)] == ["a", "b"]


def test_attribute_names_are_case_insensitive_first_wins() -> None:
    (section,) = _sections(b"Name: a\r\nsha-256-digest: one\r\nSHA-256-Digest: two\r\n", True)
    assert section.get("SHA-256-Digest") == "one"
    assert section.get("Missing") is None
