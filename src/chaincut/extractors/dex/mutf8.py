"""Modified UTF-8 as DEX stores strings: NUL as C0 80, supplementary characters as
two 3-byte surrogates. Plain UTF-8 decoding handles almost every string; this module
is the fallback for the rest, and never raises.
"""

from __future__ import annotations


def decode(raw: bytes) -> str:
    """Decode MUTF-8; surrogate pairs are combined, invalid bytes replaced."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    text = raw.replace(b"\xc0\x80", b"\x00").decode("utf-8", "surrogatepass")
    try:
        return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    except UnicodeDecodeError:  # pragma: no cover - surrogatepass already produced str
        return text


def decode_lenient(raw: bytes) -> str:
    """Like :func:`decode` but invalid byte sequences become U+FFFD instead of failing."""
    try:
        return decode(raw)
    except UnicodeDecodeError:
        fixed = raw.replace(b"\xc0\x80", b"\x00")
        try:
            text = fixed.decode("utf-8", "surrogatepass")
        except UnicodeDecodeError:
            return fixed.decode("utf-8", "replace")
        return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
