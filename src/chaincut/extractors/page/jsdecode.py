"""The decoding functions kit scripts hide addresses with, as a browser runs them.

Each follows its JavaScript definition, including where JavaScript throws (then there is
no value, and nothing is reported): ``atob`` takes the standard base64 alphabet and gives
one character per byte (only an ASCII result is followed: a binary string is no
address); ``Base64.decode`` (the js-base64 library) also takes the URL-safe alphabet and
decodes UTF-8; ``decodeURIComponent`` decodes every escape and throws on a malformed one
or on bytes that are not UTF-8; ``decodeURI`` leaves the escapes of reserved characters
(``; / ? : @ & = + $ , #``) alone; ``unescape`` reads ``%XX`` as one Latin-1 character
and ``%uXXXX`` as one UTF-16 unit and never throws; ``String.fromCharCode`` keeps the low
16 bits of each code.
"""

from __future__ import annotations

import base64
import binascii
import re
from urllib.parse import unquote

from chaincut.facts.unicode import join_pairs

MAX_VALUE = 4_096  # characters of one decoded string
PRINTABLE = re.compile(r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$")
ATOB = re.compile(r"^[A-Za-z0-9+/]*={0,2}$")
BASE64_ANY = re.compile(r"^[A-Za-z0-9+/_-]*={0,2}$")
MALFORMED = re.compile(r"%(?![0-9a-fA-F]{2})")
RESERVED = re.compile(r"%(2[346BCFbcf]|3[ABDFabdf]|40)")  # # $ & + , / : ; = ? @
ESCAPES = {
    "atob": "base64",
    "Base64.decode": "base64",
    "decodeURIComponent": "percent",
    "decodeURI": "percent",
    "unescape": "percent",
}


def decode(function: str, text: str) -> str | None:
    """What ``function(text)`` returns in a browser, or None when it throws or the
    result is not printable text."""
    if function == "atob":
        out = _atob(text)
    elif function == "Base64.decode":
        out = _base64_utf8(text)
    elif function == "decodeURIComponent":
        out = _uri(text)
    elif function == "decodeURI":
        out = _uri(RESERVED.sub("\x00\\1", text))
        out = re.sub("\x00(..)", "%\\1", out) if out is not None else None
    elif function == "unescape":
        out = _unescape(text)
    else:
        return None
    return out[:MAX_VALUE] if out is not None and PRINTABLE.match(out) else None


def char_codes(codes: list[int]) -> str:
    """``String.fromCharCode(...codes)``: UTF-16 units, pairs joined into characters."""
    return join_pairs("".join(chr(c & 0xFFFF) for c in codes))


def _atob(text: str) -> str | None:
    raw = re.sub(r"[\t\n\f\r ]+", "", text)
    if not ATOB.match(raw) or len(raw.rstrip("=")) % 4 == 1:
        return None
    try:
        data = base64.b64decode(raw.rstrip("=") + "=" * (-len(raw.rstrip("=")) % 4))
    except (binascii.Error, ValueError):
        return None
    # a binary string (bytes over 0x7F) is no address: it is not followed
    return data.decode("ascii") if data.isascii() else None


def _base64_utf8(text: str) -> str | None:
    raw = re.sub(r"\s+", "", text)
    if not BASE64_ANY.match(raw):
        return None
    raw = raw.rstrip("=").replace("-", "+").replace("_", "/")
    try:
        return base64.b64decode(raw + "=" * (-len(raw) % 4)).decode("utf-8")
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None


def _uri(text: str) -> str | None:
    if MALFORMED.search(text):
        return None  # URIError
    try:
        return unquote(text, errors="strict")
    except UnicodeDecodeError:
        return None  # URIError


UNESCAPE = re.compile(r"%u([0-9a-fA-F]{4})|%([0-9a-fA-F]{2})")


def _unescape(text: str) -> str:
    """One pass, as JavaScript's: "%u0025" + "41" is "%41", not "A"."""
    return join_pairs(UNESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text))
