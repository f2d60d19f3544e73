"""The string table: offsets unpacked at once, strings decoded in one tight loop.

Each string_data_item is a ULEB128 UTF-16 length then MUTF-8 bytes then NUL. The
loop reads the length (one byte for any string under 128 units), finds the NUL with
bytes.find bounded by what that length allows (MUTF-8 spends at most 3 bytes per
UTF-16 unit), and lets CPython's UTF-8 decoder handle the string; only failures go to
the MUTF-8 fallback. Hostile tables (many ids pointing into one long unterminated run)
would make that quadratic in time and memory, so: one string is cut at MAX_STRING
bytes, one decoding pass scans at most the file size, and all passes together at most
three times it; past a budget the remaining strings read as ''. A real DEX never
comes near these bounds (its strings do not overlap, and every string is decoded
at most by the type, method-name and full passes).
"""

from __future__ import annotations

import sys
from array import array
from collections.abc import Iterable

from chaincut.extractors.dex import mutf8
from chaincut.extractors.dex.header import Section
from chaincut.extractors.findings import Findings

MAX_STRING = 1 << 22  # bytes; Java class files cap a constant at 64 KiB
TOTAL_FACTOR = 3
BUDGET_SLACK = 1 << 20


def u32_column(buf: bytes, section: Section, stride: int = 4, column: int = 0) -> array[int]:
    """One u32 field of every item of a section (``read`` items), as an array."""
    table = array("I")
    if section.read == 0:
        return table
    start = section.offset
    table.frombytes(buf[start : start + section.read * stride])
    if sys.byteorder == "big":  # pragma: no cover - DEX is little-endian
        table.byteswap()
    if stride == 4:
        return table
    return table[column :: stride // 4]


def _uleb(buf: bytes, pos: int) -> tuple[int, int]:
    """(value, position after) of a ULEB128 of at most 5 bytes; may run off the end."""
    value = shift = 0
    for _ in range(5):
        byte = buf[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            break
        shift += 7
    return value, pos


def _decode_one(raw: bytes) -> str:
    try:
        return raw.decode()
    except UnicodeDecodeError:
        return mutf8.decode(raw)


class StringTable:
    """Strings of one DEX, decoded on demand and cached."""

    __slots__ = (
        "_all",
        "_buf",
        "_cache",
        "_entry",
        "_findings",
        "_left",
        "_span_start",
        "_tally",
        "offsets",
    )

    def __init__(self, buf: bytes, offsets: array[int], findings: Findings, entry: str) -> None:
        self._buf = buf
        self.offsets = offsets
        self._findings = findings
        self._entry = entry
        self._all: list[str] | None = None
        self._cache: dict[int, str] = {}
        self._tally: dict[str, tuple[int, int]] = {}
        self._span_start = 0
        self._left = TOTAL_FACTOR * len(buf) + BUDGET_SLACK

    def __len__(self) -> int:
        return len(self.offsets)

    # -- decoding --------------------------------------------------------------------

    def all(self) -> list[str]:
        """Every string, in id order (cached)."""
        if self._all is None:
            self._all = self._decode(self.offsets)
            self._cache.clear()
        return self._all

    def get(self, index: int) -> str | None:
        """String ``index``, or None when the index is out of range."""
        if self._all is not None:
            return self._all[index] if 0 <= index < len(self._all) else None
        cached = self._cache.get(index)
        if cached is not None:
            return cached
        if not 0 <= index < len(self.offsets):
            return None
        text = self._decode((self.offsets[index],))[0]
        self._cache[index] = text
        return text

    def many(self, indices: list[int]) -> list[str]:
        """Strings at ``indices`` ('' for an index out of range), in one decoding pass."""
        if self._all is not None:
            strings = self._all
            return [strings[i] if 0 <= i < len(strings) else "" for i in indices]
        offsets = self.offsets
        if indices and (min(indices) < 0 or max(indices) >= len(offsets)):
            return [self.get(i) or "" for i in indices]
        return self._decode([offsets[i] for i in indices])

    def _decode(self, offsets: Iterable[int]) -> list[str]:
        """The hot loop: see the module docstring."""
        buf = self._buf
        find = buf.find
        start = left = min(self._left, len(buf) + BUDGET_SLACK)
        raws: list[bytes] = []  # each string's bytes (none holds a NUL), b"" for a bad one
        app = raws.append
        it = iter(offsets)
        skipped = 0
        for off in it:
            if left < 0:
                self._over_budget()
                skipped = 1 + sum(1 for _ in it)
                break
            try:
                units = buf[off]
                if units < 0x80:
                    pos = off + 1
                    end = find(b"\0", pos, pos + 3 * units + 1)
                else:
                    units, pos = _uleb(buf, off)
                    end = find(b"\0", pos, pos + min(3 * units, MAX_STRING) + 1)
            except IndexError:
                self._bad(off, "offset or length past the end")
                app(b"")
                continue
            if end < 0:
                end = self._long_end(off, pos, units, left)
            left -= end - pos + 1
            app(buf[pos:end])
        self._left -= start - left
        self._report()
        try:  # valid UTF-8 throughout (the usual case): one decode for all of them
            out = b"\0".join(raws).decode().split("\0") if raws else []
        except UnicodeDecodeError:
            out = [_decode_one(raw) for raw in raws]
        if skipped:
            out.extend([""] * skipped)
        return out

    def _bad(self, off: int, why: str) -> str:
        """Count a broken string; one anomaly per kind is reported after the pass."""
        count, first = self._tally.get(why, (0, off))
        self._tally[why] = (count + 1, first)
        return ""

    def _report(self) -> None:
        for why, (count, first) in self._tally.items():
            code = "dex_string_length_mismatch" if why.startswith("longer") else "dex_bad_string"
            detail = f"{count} string(s): {why}, first at {first}"
            self._findings.anomaly(code, detail, entry=self._entry, offset=first)
        self._tally.clear()

    def _over_budget(self) -> None:
        self._findings.anomaly(
            "dex_string_budget", "string scans exceed the file size", entry=self._entry
        )

    def _long_end(self, off: int, pos: int, units: int, left: int) -> int:
        """The NUL of a string longer than its length allows, or where the scan gives up."""
        room = min(max(left, 0), MAX_STRING)
        end = self._buf.find(b"\0", pos, pos + room + 1)
        if end < 0:
            at_end = pos + room >= len(self._buf)
            self._bad(off, "no NUL before the end of the file" if at_end else "no NUL, cut")
            return min(len(self._buf), pos + room)
        self._bad(off, "longer than its UTF-16 length allows")
        return end

    # -- raw bytes ---------------------------------------------------------------------

    def span(self) -> memoryview:
        """The byte range from the first to the last string's data (ULEB lengths included)."""
        offsets, buf = self.offsets, self._buf
        if not offsets:
            return memoryview(b"")
        start, last = min(offsets), max(offsets)
        self._span_start = start
        if start >= len(buf):
            return memoryview(b"")
        last = min(last, len(buf) - 1)
        end = buf.find(b"\0", last + 1, last + 1 + (1 << 20))
        return memoryview(buf)[start : end if end >= 0 else min(len(buf), last + (1 << 20))]

    def scan_bytes(self, limit: int | None = None) -> bytes:
        """:meth:`span` (its first ``limit`` bytes) with every ULEB128 length byte set to NUL.

        A length byte between 0x20 and 0x7E reads as a printable character glued to the
        front of its string ('F' before a 70-byte "api.evil.com/..."), which byte regexes
        would take as part of a host name; NUL keeps each string on its own.
        """
        span = self.span()
        out = bytearray(span[:limit] if limit is not None else span)
        start, size = self._span_start, len(out)
        for off in self.offsets:
            pos = off - start
            while 0 <= pos < size:
                byte = out[pos]
                out[pos] = 0
                if byte < 0x80:
                    break
                pos += 1
        return bytes(out)
