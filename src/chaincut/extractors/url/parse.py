"""Split a URL into its parts the forgiving way browsers do, reporting what was odd.

``urllib.parse`` raises on bad ports and brackets; a hostile link must instead yield
its parts and anomalies. Special schemes (http, https, ftp, ws, wss) get the browser's
treatment: backslashes are slashes and control characters are dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from chaincut.extractors.findings import Findings

MAX_URL = 8192
SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]{0,31}):")
SPECIAL = {"http", "https", "ftp", "ws", "wss"}
CONTROL = re.compile(r"[\x00-\x20\x7f]")


@dataclass(frozen=True, slots=True)
class UrlParts:
    text: str  # the URL after trimming and the browser's clean-up
    scheme: str | None
    userinfo: str | None
    host: str | None  # raw, as written (not yet IDNA or IP parsed)
    port: str | None  # raw
    path: str
    query: str
    fragment: str
    bracketed: bool  # the host was an [IPv6] literal


def split_url(raw: str, findings: Findings) -> UrlParts:
    """The parts of ``raw``; a URL without a scheme is read as if it had ``http://``."""
    text = raw.strip()
    if len(text) > MAX_URL:
        findings.anomaly("url_too_long", f"{len(text)} characters; read the first {MAX_URL}")
        text = text[:MAX_URL]
    if CONTROL.search(text):
        findings.anomaly("url_control_chars", "whitespace or control characters removed")
        text = CONTROL.sub("", text)
    m = SCHEME.match(text)
    scheme = m.group(1).lower() if m else None
    rest = text[m.end() :] if m else text
    if scheme in SPECIAL or scheme is None:
        head, sep, tail = _cut(rest, "?#")
        if "\\" in head:
            findings.anomaly("url_backslash", "backslashes read as slashes")
            rest = head.replace("\\", "/") + sep + tail
    rest, fragment = _split_off(rest, "#")
    rest, query = _split_off(rest, "?")
    authority_text = _authority_text(scheme, rest)
    if authority_text is None:
        return UrlParts(text, scheme, None, None, None, rest, query, fragment, False)
    authority, path = _cut_path(authority_text)
    userinfo, host, port, bracketed = _authority(authority)
    return UrlParts(text, scheme, userinfo, host, port, path, query, fragment, bracketed)


def _authority_text(scheme: str | None, rest: str) -> str | None:
    """What follows the scheme when it starts with an authority, else None.

    Special schemes take any number of slashes (``http:/x`` and ``http:x`` reach ``x``);
    without a scheme a leading host name is assumed; other schemes need ``//``.
    """
    if scheme in SPECIAL:
        return rest.lstrip("/")
    if scheme is None:
        return rest[2:] if rest.startswith("//") else (None if rest.startswith("/") else rest)
    return rest[2:] if rest.startswith("//") else None


def _cut(text: str, chars: str) -> tuple[str, str, str]:
    for i, ch in enumerate(text):
        if ch in chars:
            return text[:i], ch, text[i + 1 :]
    return text, "", ""


def _split_off(text: str, sep: str) -> tuple[str, str]:
    head, found, tail = text.partition(sep)
    return (head, tail) if found else (text, "")


def _cut_path(rest: str) -> tuple[str, str]:
    slash = rest.find("/")
    return (rest, "") if slash < 0 else (rest[:slash], rest[slash:])


def _authority(authority: str) -> tuple[str | None, str, str | None, bool]:
    """(userinfo, host, port, bracketed); the last '@' ends the userinfo, as browsers read it."""
    userinfo: str | None = None
    if "@" in authority:
        userinfo, _, authority = authority.rpartition("@")
    if authority.startswith("["):
        end = authority.find("]")
        if end > 0:
            host, after = authority[1:end], authority[end + 1 :]
            port = after[1:] if after.startswith(":") else None
            return userinfo, host, port, True
    host, colon, port = authority.partition(":")
    return userinfo, host, (port if colon else None), False


INPUT_SCHEMES = re.compile(r"^(?:https?|ftp|itms-services|itms-apps|wss?)://[^\s]", re.I)


def looks_like_url(arg: str) -> bool:
    """A command-line argument meant as a URL: an explicit scheme such as ``https://``."""
    return len(arg) <= MAX_URL and bool(INPUT_SCHEMES.match(arg.strip()))
