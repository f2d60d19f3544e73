"""JAR manifest / signature-file parsing with the exact byte ranges apksig digests.

A section is a run of "Name: value" lines ended by an empty line; lines break on CRLF, LF
or CR; a line starting with a space continues the previous one. Each section remembers
its start offset and size (including the blank line ending it), because .SF files sign
manifest sections byte for byte.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_SECTIONS = 1_000_000


@dataclass(frozen=True, slots=True)
class Section:
    start: int
    size: int
    attrs: tuple[tuple[str, str], ...]

    def get(self, name: str) -> str | None:
        """First attribute with this name, compared case-insensitively (as Java does)."""
        low = name.lower()
        for key, value in self.attrs:
            if key.lower() == low:
                return value
        return None

    @property
    def name(self) -> str | None:
        return self.get("Name")


class ManifestParser:
    """A port of apksig's ManifestParser (same section boundaries, same quirks)."""

    __slots__ = ("_buffered", "_data", "_end", "_offset")

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._offset = 0
        self._end = len(data)
        self._buffered: bytes | None = None

    def read_section(self) -> Section | None:
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


def _parse_attr(raw: bytes) -> tuple[str, str]:
    text = raw.decode("utf-8", errors="replace")
    key, sep, value = text.partition(": ")
    return (key, value) if sep else (text, "")
