"""Content-Encoding decoding with a bound on the decoded size.

A gzip body of a few kilobytes can inflate to gigabytes (a decompression bomb), so the
limit applies to the decoded bytes and inflation stops one byte past it.
"""

from __future__ import annotations

import zlib

IDENTITY = ("", "identity", "none")


class BodyDecoder:
    """Decode one response body incrementally; ``error`` says why decoding stopped early."""

    def __init__(self, encoding: str | None) -> None:
        self.encoding = (encoding or "").strip().lower()
        self.error: str | None = None
        self._inflater: zlib._Decompress | None = None
        if self.encoding in ("gzip", "x-gzip"):
            self._inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif self.encoding not in (*IDENTITY, "deflate"):
            self.error = f"content encoding {self.encoding!r} is not supported; kept as sent"
        self._started = False

    def feed(self, data: bytes, room: int) -> bytes:
        """Decoded bytes of ``data``; at most ``room + 1`` of them (the +1 shows overflow)."""
        if self.encoding == "deflate" and not self._started:
            self._inflater = zlib.decompressobj(zlib.MAX_WBITS if _zlib_header(data) else -15)
        self._started = True
        if self._inflater is None or self.error:
            return data if self._inflater is None else b""
        out = bytearray()
        pending = data
        try:
            while pending or not out:
                out += self._inflater.decompress(pending, room - len(out) + 1)
                pending = self._inflater.unconsumed_tail
                if not pending or len(out) > room:
                    break
        except zlib.error as exc:
            self.error = f"the {self.encoding} body is corrupt ({exc}); decoded part kept"
        return bytes(out)

    def finish(self) -> None:
        """Note a compressed stream that ended before its end marker."""
        inflater = self._inflater
        if inflater is not None and self._started and not self.error and not inflater.eof:
            self.error = f"the {self.encoding} body ended early; decoded part kept"


def _zlib_header(data: bytes) -> bool:
    return len(data) >= 2 and data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0
