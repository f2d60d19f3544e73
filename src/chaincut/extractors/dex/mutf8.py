"""Modified UTF-8 as DEX stores strings, decoded without ever raising.

MUTF-8 differs from UTF-8 in two ways: NUL is written C0 80, and a character above
U+FFFF is written as its two UTF-16 surrogates, each as a 3-byte sequence. Strict
UTF-8 decoding rejects both, so the common case (plain UTF-8, which is nearly every
string in a real DEX) takes CPython's C decoder and only strings that fail it come
here. This path uses one registered codec error handler, so it is still C-speed
except at the odd bytes themselves.

Policy for what Android's runtime would accept but Python strings cannot carry
safely: lone surrogates and invalid bytes become U+FFFD, so every string chaincut
emits can be written as JSON. (androguard keeps lone surrogates; the oracle test
normalises them before comparing.)
"""

from __future__ import annotations

import codecs
import re

HANDLER = "chaincut-mutf8"
REPLACEMENT = "\ufffd"
SURROGATE = re.compile("[\ud800-\udfff]")


def _handler(exc: UnicodeError) -> tuple[str, int]:
    """Map C0 80 to NUL and a 3-byte surrogate to its code unit; anything else to U+FFFD."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    data, start = exc.object, exc.start
    lead = data[start]
    if lead == 0xC0 and data[start + 1 : start + 2] == b"\x80":
        return "\x00", start + 2
    if lead == 0xED and start + 2 < len(data):
        b2, b3 = data[start + 1], data[start + 2]
        if 0xA0 <= b2 <= 0xBF and 0x80 <= b3 <= 0xBF:
            return chr(0xD000 | (b2 & 0x3F) << 6 | (b3 & 0x3F)), start + 3
    return REPLACEMENT, max(exc.end, start + 1)


codecs.register_error(HANDLER, _handler)


def decode(raw: bytes) -> str:
    """Decode MUTF-8: surrogate pairs combined, lone surrogates and bad bytes as U+FFFD."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    text = raw.decode("utf-8", HANDLER)
    if SURROGATE.search(text) is None:
        return text
    # Pairs written as two 3-byte sequences become one character; lone halves U+FFFD.
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


decode_lenient = decode  # the name earlier callers import
