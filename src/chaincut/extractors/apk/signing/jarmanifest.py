"""JAR manifest / signature-file parsing with the exact byte ranges apksig digests.

A section is a run of "Name: value" lines ended by an empty line; lines break on CRLF, LF
or CR; a line starting with a space continues the previous one. Each section remembers
its start offset and size (including the blank line ending it), because .SF files sign
manifest sections byte for byte.

Speed: a manifest has one section per entry (tens of thousands in a large APK). When its
line breaks are all CRLF or all LF (what jarsigner, apksigner and every build tool write),
the parser splits the whole file at once into sections (``_split``, ``_blocks``);
any other mix of CR and LF goes through the line-by-line port of apksig. Both give the
same sections (tests/test_jarmanifest.py compares them).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import AnyStr

MAX_SECTIONS = 1_000_000


class Section:
    """One section: where it starts, its size in bytes and its attributes in order.

    A plain slotted class rather than a frozen dataclass: a large manifest has tens of
    thousands of sections, and a frozen dataclass sets each field through
    ``object.__setattr__``. Treat it as immutable; equality and hash are by value."""

    __slots__ = ("_by_lower", "attrs", "size", "start")

    def __init__(self, start: int, size: int, attrs: tuple[tuple[str, str], ...]) -> None:
        self.start = start
        self.size = size
        self.attrs = attrs
        self._by_lower: dict[str, str] | None = None

    @property
    def by_lower(self) -> dict[str, str]:
        """Lower-cased name -> value; the first attribute of each name wins (hence
        reversed). Built on first use: many sections are only asked their name."""
        found = self._by_lower
        if found is None:
            found = self._by_lower = {k.lower(): v for k, v in reversed(self.attrs)}
        return found

    def _key(self) -> tuple[int, int, tuple[tuple[str, str], ...]]:
        return (self.start, self.size, self.attrs)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Section) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"Section(start={self.start!r}, size={self.size!r}, attrs={self.attrs!r})"

    def get(self, name: str) -> str | None:
        """First attribute with this name, compared case-insensitively (as Java does)."""
        return self.by_lower.get(name.lower())

    @property
    def name(self) -> str | None:
        attrs = self.attrs
        if attrs and attrs[0][0].lower() == "name":
            return attrs[0][1]  # (the usual place: the first attribute of its name wins)
        return self.by_lower.get("name")


class ManifestParser:
    """A port of apksig's ManifestParser (same section boundaries, same quirks)."""

    __slots__ = ("_buffered", "_data", "_end", "_offset", "_split")

    def __init__(self, data: bytes, *, fast: bool = True) -> None:
        self._data = data
        self._offset = 0
        self._end = len(data)
        self._buffered: bytes | None = None
        self._split: list[Section] | None = _split(data) if fast else None

    def read_section(self) -> Section | None:
        if self._split is not None:
            if self._offset >= len(self._split):
                return None
            self._offset += 1
            return self._split[self._offset - 1]
        while True:
            start = self._offset
            attr = self._read_attribute()
            if attr is None:
                return None
            if attr:
                break
        attrs = [_parse_attr(attr)]
        while True:
            attr = self._read_attribute()
            if not attr:
                break
            attrs.append(_parse_attr(attr))
        return Section(start, self._offset - start, tuple(attrs))

    def read_all_sections(self) -> list[Section]:
        out: list[Section] = []
        while len(out) < MAX_SECTIONS:
            section = self.read_section()
            if section is None:
                break
            out.append(section)
        return out

    def _read_line(self) -> bytes | None:
        if self._offset >= self._end:
            return None
        start = self._offset
        data = self._data
        cr = data.find(b"\r", start)
        lf = data.find(b"\n", start)
        if cr == -1 and lf == -1:
            self._offset = self._end
            return data[start:]
        if cr != -1 and (lf == -1 or cr < lf):
            nl_start = cr
            nl_end = cr + 2 if cr + 1 < self._end and data[cr + 1] == 0x0A else cr + 1
        else:
            nl_start, nl_end = lf, lf + 1
        self._offset = nl_end
        return data[start:nl_start]

    def _read_attribute(self) -> bytes | None:
        if self._buffered is not None and not self._buffered:
            self._buffered = None
            return b""
        line = self._read_line()
        if line is None:
            out, self._buffered = self._buffered, None
            return out
        if not line:
            if self._buffered is not None:
                out, self._buffered = self._buffered, b""
                return out
            return b""
        if self._buffered is None:
            attr = line
        else:
            if line[:1] != b" ":
                out, self._buffered = self._buffered, line
                return out
            attr, self._buffered = self._buffered + line[1:], None
        parts = [attr]
        while True:
            line = self._read_line()
            if line is None:
                return b"".join(parts)
            if not line:
                self._buffered = b""
                return b"".join(parts)
            if line[:1] == b" ":
                parts.append(line[1:])
            else:
                self._buffered = line
                return b"".join(parts)


def _split(data: bytes) -> list[Section] | None:
    """All sections at once when every line ends the same way (CRLF or LF); else None."""
    cr = data.count(b"\r")
    if cr == 0:
        newline = b"\n"
    elif cr == data.count(b"\r\n") == data.count(b"\n"):
        newline = b"\r\n"
    else:
        return None  # lone CRs or mixed breaks: the line-by-line parser decides
    blocks = _blocks(data, newline)
    if blocks is not None:
        return blocks
    lines = data.split(newline)
    if lines[-1] == b"":
        lines.pop()  # the text ends with a line break: no further line
    width = len(newline)
    out: list[Section] = []
    attrs: list[tuple[str, str]] = []
    parts: list[bytes] = []
    start = -1
    pos = 0
    for line in lines:
        end = min(pos + len(line) + width, len(data))
        if not line:
            if start >= 0:
                attrs.append(_parse_attr(b"".join(parts)))
                out.append(Section(start, end - start, tuple(attrs)))
                attrs, start = [], -1
        elif start < 0:
            start, parts = pos, [line]  # a section's first line is an attribute, even " x"
        elif line[:1] == b" ":
            parts.append(line[1:])  # continuation of the attribute above
        else:
            attrs.append(_parse_attr(b"".join(parts)))
            parts = [line]
        pos = end
    if start >= 0:
        attrs.append(_parse_attr(b"".join(parts)))
        out.append(Section(start, pos - start, tuple(attrs)))
    return out


def _blocks(data: bytes, newline: bytes) -> list[Section] | None:
    """The usual layout, exactly one blank line between sections: each section is split
    off whole, its continuation lines joined by one ``replace`` and decoded at once (line
    breaks are ASCII, so decoding a whole section equals decoding it line by line).
    None for other layouts (blank-line runs, a leading blank line)."""
    width = len(newline)
    if data.startswith(newline) or newline * 3 in data:
        return None
    nl = newline.decode()
    if data.isascii():  # (what build tools write) one decode; a character is a byte
        return _sections(data.decode("ascii").split(nl + nl), nl + " ", "", str, nl, width)
    return _sections(data.split(newline * 2), newline + b" ", b"", _utf8, nl, width)


def _utf8(block: bytes) -> str:
    return block.decode("utf-8", errors="replace")


def _sections(blocks: list[AnyStr], cont: AnyStr, empty: AnyStr,
              text: Callable[[AnyStr], str], nl: str, width: int) -> list[Section]:
    """Sections of blank-line-separated blocks (bytes, or ASCII already decoded; sizes
    count bytes either way): continuation lines joined, each line split at its first
    ``": "`` (as _parse_attr does: without one the whole line is the key, the value empty)."""
    out: list[Section] = []
    pos = 0
    last_at = len(blocks) - 1
    for i, block in enumerate(blocks):
        last = i == last_at
        if last and not block:
            break  # the data ends with a blank line
        lines = text(block.replace(cont, empty)).split(nl)
        if last and lines[-1] == "":
            lines.pop()  # the last section ends with a line break, no blank line
        size = len(block) if last else len(block) + 2 * width
        attrs = tuple([(key, value) for key, _, value in [x.partition(": ") for x in lines]])
        out.append(Section(pos, size, attrs))
        pos += size
    return out


def _parse_attr(raw: bytes) -> tuple[str, str]:
    text = raw.decode("utf-8", errors="replace")
    key, sep, value = text.partition(": ")
    return (key, value) if sep else (text, "")
