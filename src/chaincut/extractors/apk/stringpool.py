"""ResStringPool: the string tables of binary XML and resources.arsc.

Decoding is lazy and cached: an ARSC global pool can hold tens of thousands of strings
and a manifest or label lookup needs only a few of them. Android returns NULL for a
string it cannot frame (e.g. not NUL-terminated, the malware trick that breaks
androguard); we return None and record an anomaly, which keeps the rest readable.
"""

from __future__ import annotations

import struct
from array import array

from chaincut.extractors.apk.chunks import Chunk
from chaincut.extractors.findings import Findings

CODES: dict[str, str] = {
    "stringpool_bad_header": "string pool header too small or its offsets point outside the chunk",
    "stringpool_count_clamped": "string pool claims more strings than its chunk can hold",
    "stringpool_bad_string": "a string cannot be framed (offset or length out of range)",
    "stringpool_unterminated": "a string is not NUL-terminated (Android reads it as null)",
    "stringpool_bad_utf8": "a UTF-8 string is invalid or its lengths disagree",
}

UTF8_FLAG = 0x100
POOL_HEADER = struct.Struct("<IIIII")  # stringCount, styleCount, flags, stringsStart, stylesStart
MAX_STRINGS = 2_000_000


class StringPool:
    """A parsed string pool; ``get(i)`` decodes string ``i`` on first use."""

    __slots__ = ("_buf", "_cache", "_end", "_findings", "_offsets", "_start", "count", "utf8")

    def __init__(
        self,
        buf: bytes | memoryview,
        offsets: array[int],
        start: int,
        end: int,
        utf8: bool,
        findings: Findings,
    ) -> None:
        self._buf = buf
        self._offsets = offsets
        self._start = start
        self._end = end
        self.utf8 = utf8
        self.count = len(offsets)
        self._findings = findings
        self._cache: dict[int, str | None] = {}

    @classmethod
    def empty(cls, findings: Findings | None = None) -> StringPool:
        """A pool with no strings, for documents whose pool could not be read."""
        return cls(b"", array("I"), 0, 0, True, findings or Findings())

    @classmethod
    def parse(cls, buf: bytes | memoryview, chunk: Chunk, findings: Findings) -> StringPool:
        """Frame the pool in ``chunk``; never raises, clamps what does not fit."""
        if chunk.header_size < 28 or chunk.offset + 28 > chunk.end:
            findings.anomaly(
                "stringpool_bad_header", f"header size {chunk.header_size}", offset=chunk.offset
            )
            return cls.empty(findings)
        count, _styles, flags, strings_start, _styles_start = POOL_HEADER.unpack_from(
            buf, chunk.offset + 8
        )
        idx_start = chunk.body
        data_start = chunk.offset + strings_start
        if strings_start == 0 or data_start > chunk.end:
            if count:
                findings.anomaly(
                    "stringpool_bad_header", f"strings start {strings_start}", offset=chunk.offset
                )
            data_start = chunk.end
        room = max(0, (min(data_start, chunk.end) - idx_start) // 4)
        if count > room or count > MAX_STRINGS:
            findings.anomaly(
                "stringpool_count_clamped", f"claims {count}, room for {room}", offset=chunk.offset
            )
            count = min(room, MAX_STRINGS)
        offsets = array("I")
        offsets.frombytes(bytes(buf[idx_start : idx_start + 4 * count]))
        if offsets.itemsize != 4:  # pragma: no cover - array('I') is 4 bytes on all our targets
            offsets = array("L", struct.unpack_from(f"<{count}I", buf, idx_start))
        if struct.pack("=I", 1) != struct.pack("<I", 1):  # pragma: no cover - big-endian hosts
            offsets.byteswap()
        return cls(buf, offsets, data_start, chunk.end, bool(flags & UTF8_FLAG), findings)

    def __len__(self) -> int:
        return self.count

    def get(self, index: int) -> str | None:
        """String ``index``, or None when out of range or unreadable (as Android's NULL)."""
        if index < 0 or index >= self.count:
            return None
        cached = self._cache.get(index, self)
        if cached is not self:
            return cached  # type: ignore[return-value]
        value = self._decode(index)
        self._cache[index] = value
        return value

    def get_lenient(self, index: int) -> str | None:
        """Like ``get``, but a string that is framed by its length and merely lacks its NUL
        is still returned (``get`` has recorded the anomaly). Android before 5.x read such
        strings, and repackagers (e.g. Geinimi) injected manifest entries that way."""
        value = self.get(index)
        if value is not None or index < 0 or index >= self.count:
            return value
        pos = self._start + self._offsets[index]
        if pos >= self._end:
            return None
        if self.utf8:
            _chars, at = _len8(self._buf, pos, self._end)
            nbytes, at = _len8(self._buf, at, self._end)
            if at < 0 or at + nbytes > self._end:
                return None
            return bytes(self._buf[at : at + nbytes]).decode("utf-8", "replace")
        return self._utf16_unterminated(pos)

    def _utf16_unterminated(self, pos: int) -> str | None:
        end = self._end
        if pos + 2 > end:
            return None
        (n,) = struct.unpack_from("<H", self._buf, pos)
        pos += 2
        if n & 0x8000:
            if pos + 2 > end:
                return None
            (low,) = struct.unpack_from("<H", self._buf, pos)
            n = ((n & 0x7FFF) << 16) | low
            pos += 2
        if pos + 2 * n > end:
            return None
        return bytes(self._buf[pos : pos + 2 * n]).decode("utf-16-le", "replace")

    def all(self) -> list[str | None]:
        """Every string, in order (used for text analysis of small pools)."""
        return [self.get(i) for i in range(self.count)]

    def _decode(self, index: int) -> str | None:
        pos = self._start + self._offsets[index]
        if pos >= self._end:
            self._findings.anomaly("stringpool_bad_string", f"string {index} offset out of range")
            return None
        return self._decode_utf8(index, pos) if self.utf8 else self._decode_utf16(index, pos)

    def _decode_utf8(self, index: int, pos: int) -> str | None:
        buf, end = self._buf, self._end
        _chars, pos = _len8(buf, pos, end)
        nbytes, pos = _len8(buf, pos, end)
        if pos < 0 or pos + nbytes > end:
            self._findings.anomaly("stringpool_bad_string", f"string {index} overruns the pool")
            return None
        raw = bytes(buf[pos : pos + nbytes])
        if pos + nbytes >= end or buf[pos + nbytes] != 0:
            self._findings.anomaly("stringpool_unterminated", f"string {index}")
            return None
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            self._findings.anomaly("stringpool_bad_utf8", f"string {index}")
            return raw.decode("utf-8", "replace")

    def _decode_utf16(self, index: int, pos: int) -> str | None:
        buf, end = self._buf, self._end
        if pos + 2 > end:
            self._findings.anomaly("stringpool_bad_string", f"string {index} overruns the pool")
            return None
        (n,) = struct.unpack_from("<H", buf, pos)
        pos += 2
        if n & 0x8000:
            if pos + 2 > end:
                self._findings.anomaly("stringpool_bad_string", f"string {index} length cut")
                return None
            (low,) = struct.unpack_from("<H", buf, pos)
            n = ((n & 0x7FFF) << 16) | low
            pos += 2
        stop = pos + 2 * n
        if stop + 2 > end or buf[stop] != 0 or buf[stop + 1] != 0:
            kind = "stringpool_unterminated" if stop + 2 <= end else "stringpool_bad_string"
            self._findings.anomaly(kind, f"string {index} (length {n})")
            return None
        return bytes(buf[pos:stop]).decode("utf-16-le", "replace")


def _len8(buf: bytes | memoryview, pos: int, end: int) -> tuple[int, int]:
    """Decode a UTF-8 pool length (1 or 2 bytes); returns (-1, -1) past ``end``."""
    if pos < 0 or pos >= end:
        return -1, -1
    first = buf[pos]
    if first & 0x80:
        if pos + 1 >= end:
            return -1, -1
        return ((first & 0x7F) << 8) | buf[pos + 1], pos + 2
    return first, pos + 1
