"""One finder per indicator kind; each yields (position, kind, value) hits.

Speed: every search starts from a literal (``://``, ``@``) or a plain character class, so
the regex engine skips ahead in C; the "what may not touch the match" checks that a
lookbehind would do run in Python on the few candidates. All loops are capped.
"""

from __future__ import annotations

import binascii
import ipaddress
import re
from base64 import b64decode
from collections.abc import Callable, Iterator
from urllib.parse import unquote

from chaincut.extractors.indicators.candidates import (
    HOST_DOT,
    LABEL_CHARS,
    LABEL_RUN,
    ipv4_matches,
    may_hold_full_ipv6,
)
from chaincut.extractors.indicators.hosts import (
    bare_host_domain,
    ip_value,
    is_noise_url,
    registrable,
    valid_hostname,
)
from chaincut.extractors.indicators.patterns import (
    APP_SCHEMES,
    BARE_HOST,
    EMAIL_DOMAIN,
    EMAIL_GLUE,
    EMAIL_LOCAL,
    ENCODED_SLASHES,
    HOST_AFTER,
    HOST_GLUE,
    HTML_ENTITY_END,
    IP_GLUE,
    IPV6,
    IPV6_GLUE,
    MAX_HOST_LABELS,
    SCHEME_BEFORE,
    URL,
    URL_BODY,
    URL_GLUE,
    VERSION_BEFORE,
)

MAX_MATCHES = 20_000  # candidates per kind per call
MAX_NESTED = 16
FULL_IPV6_SCAN = 1024 * 1024
IPV6_WINDOWS = 4000  # "::" occurrences looked at per call
TRAILING = ".,;:!?*&'"
CLOSERS = {")": "(", "]": "["}  # a closing bracket without its opener is prose
LENGTH_PREFIX_BEFORE = frozenset(map(chr, [0, *range(0x80, 0x100)]))
AUTHORITY_END = re.compile(r"[/?#]")

Hit = tuple[int, str, str]  # (position, kind, value)
Span = tuple[int, int]


def glued(text: str, start: int, glue: frozenset[str]) -> bool:
    """True when the character before ``start`` joins the match to a longer token.

    Not when that character is itself preceded by NUL or a byte >= 0x80: then it is the
    ULEB128 length in front of a DEX string ("\\x00" + "%" + 37 characters of URL), and
    a URL of 37 or 80 characters must not be lost because its length reads as a letter.
    """
    if start <= 0 or text[start - 1] not in glue:
        return False
    return start < 2 or text[start - 2] not in LENGTH_PREFIX_BEFORE


def length_byte(text: str, start: int) -> bool:
    """True when text[start] is the one-byte ULEB128 length of a DEX string that follows
    a NUL: "\\x00" + "K" + 75 characters + "\\x00". The token then starts one later."""
    if start < 1 or text[start - 1] != "\x00":
        return False
    end = text.find("\x00", start + 1, start + 130)
    return end > 0 and ord(text[start]) == end - start - 1


def capped(
    pattern: re.Pattern[str] | Callable[[str], Iterator[re.Match[str]]], text: str
) -> Iterator[re.Match[str]]:
    """The first MAX_MATCHES matches of a pattern, or of a generator of its matches."""
    found = pattern.finditer(text) if isinstance(pattern, re.Pattern) else pattern(text)
    for count, m in enumerate(found):
        if count >= MAX_MATCHES:
            return
        yield m


def urls(text: str, hits: list[Hit]) -> list[Span]:
    """Append URL hits (with their host's domain/IP); return the URL spans, in order."""
    spans: list[Span] = []
    at = text.find("://")
    while at >= 0 and len(spans) < MAX_MATCHES:
        scheme = SCHEME_BEFORE.search(text, max(0, at - 13), at)
        body = URL_BODY.match(text, at + 3)
        end = body.end() if body else at + 3
        if scheme and not glued(text, scheme.start(), URL_GLUE):
            spans.append((scheme.start(), end))
            hits.extend(url_hits(text[scheme.start() : end], scheme.start(), nested=True))
        at = text.find("://", max(end, at + 3))
    return spans


def url_hits(raw: str, pos: int, *, nested: bool) -> list[Hit]:
    """The URL, then its host's IP or registrable domain, then any URL nested in it."""
    url = trim(raw)
    scheme, _, rest = url.partition("://")
    scheme = scheme.lower()
    hits: list[Hit] = []
    if scheme in APP_SCHEMES:
        if rest:
            hits.append((pos, "url", f"{scheme}://{rest}"))
    else:
        host = url_host(rest)
        path = AUTHORITY_END.search(rest)
        if host is None or is_noise_url(host, rest[path.start() :] if path else ""):
            return []
        hits.append((pos, "url", f"{scheme}://{rest}"))
        if ip := ip_value(host.strip("[]")):
            hits.append((pos, "ip", ip))
        elif domain := registrable(host):
            hits.append((pos, "domain", domain))
    if nested:
        hits.extend(_nested(rest, pos))
    return hits


def trim(url: str) -> str:
    """Drop what follows a URL in prose or markup: trailing punctuation, unbalanced
    closing brackets, HTML entities such as ``&quot;``."""
    if entity := HTML_ENTITY_END.search(url):
        url = url[: entity.start()]
    while url:
        last = url[-1]
        closer = CLOSERS.get(last)
        if last not in TRAILING and not (closer and url.count(closer) < url.count(last)):
            break
        url = url[:-1]
    return url


def url_host(rest: str) -> str | None:
    """The lower-case host of ``rest`` (the URL after ``://``) or None when it is not one:
    empty, a template (``%s``, ``${host}``), a bad port, a dotted number that is no IP."""
    authority = AUTHORITY_END.split(rest, maxsplit=1)[0].rpartition("@")[2]
    if authority.startswith("["):
        host, _, port = authority[1:].partition("]")
        if not is_ip_literal(host.split("%", 1)[0]):
            return None
        port = port[1:] if port.startswith(":") else port
        host = f"[{host.lower()}]"
    else:
        host, _, port = authority.partition(":")
        host = host.lower().rstrip(".")
        if not valid_hostname(host):
            return None
        if host.replace(".", "").isdigit() and not is_ip_literal(host):
            return None
    if port and not (port.isdigit() and len(port) <= 5):
        return None
    return host


def is_ip_literal(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _nested(rest: str, pos: int) -> list[Hit]:
    """URLs inside a URL's query (redirectors, itms-services manifests), also %-encoded."""
    hits: list[Hit] = []
    candidates = [rest]
    if ENCODED_SLASHES.search(rest):
        candidates.append(unquote(rest))
    for text in candidates:
        for count, m in enumerate(URL.finditer(text)):
            if count >= MAX_NESTED:
                break
            hits.extend(url_hits(m.group(), pos, nested=False))
    return hits


def emails(text: str, hits: list[Hit], inside: Callable[[int], bool]) -> None:
    """user@host with a host under a public suffix (so ``icon@2x.png`` is not one)."""
    at = text.find("@")
    seen = 0
    while at > 0 and seen < MAX_MATCHES:
        seen += 1
        local = EMAIL_LOCAL.search(text, max(0, at - 64), at)
        domain = EMAIL_DOMAIN.match(text, at + 1)
        if local and domain and not inside(at):
            start = local.start() + length_byte(text, local.start())
            while start < at and not text[start].isalnum():
                start += 1  # a local part starts with a letter or digit
            host = domain.group().lower()
            if start < at and not glued(text, start, EMAIL_GLUE) and registrable(host):
                hits.append((start, "email", f"{text[start:at]}@{host}".lower()))
        at = text.find("@", at + 1)


def ips(text: str, hits: list[Hit], inside: Callable[[int], bool]) -> None:
    """IPv4 (not version numbers, not OID pieces) and IPv6 literals that validate."""
    for m in capped(ipv4_matches, text):  # IPV4's matches, found from their dots
        start = m.start()
        if glued(text, start, IP_GLUE) or inside(start):
            continue
        if not VERSION_BEFORE.search(text, max(0, start - 12), start):
            _add_ip(hits, start, m.group())
    seen: set[int] = set()
    for start, value in _ipv6(text):
        if start not in seen and not inside(start):
            seen.add(start)
            _add_ip(hits, start, value)


def _ipv6(text: str) -> Iterator[tuple[int, str]]:
    """IPv6 candidates: searched around each "::" (cheap), and everywhere for the full
    eight-group form only in texts under FULL_IPV6_SCAN (it needs a scan of every byte)."""
    at = text.find("::")
    windows = 0
    while at >= 0 and windows < IPV6_WINDOWS:
        windows += 1
        resume = at + 2
        if text.startswith(":", resume):  # ":::" is in no address: skip the colon run
            while text.startswith(":", resume):
                resume += 1
            at = text.find("::", resume)
            continue
        m = IPV6.search(text, max(0, at - 40), at + 64)
        while m and m.start() <= at:
            resume = max(resume, m.end())
            if not glued(text, m.start(), IPV6_GLUE):
                yield m.start(), m.group()
            m = IPV6.search(text, m.end(), at + 64)
        at = text.find("::", resume)  # each stretch of text is searched once
    if len(text) <= FULL_IPV6_SCAN and text.count(":") >= 7 and may_hold_full_ipv6(text):
        for m in capped(IPV6, text):
            if "::" not in m.group() and not glued(text, m.start(), IPV6_GLUE):
                yield m.start(), m.group()


def _add_ip(hits: list[Hit], pos: int, text: str) -> None:
    if value := ip_value(text):
        hits.append((pos, "ip", value))


def bare_hosts(text: str, hits: list[Hit], inside: Callable[[int], bool]) -> None:
    """Dotted names outside URLs that pass the bare-host rule (hosts.py).

    BARE_HOST's matches are found from their dots (as ``candidates.py`` finds IPv4's):
    a dotted run starts where the label run before its first joining dot starts, found
    on the reversed text in linear time. The loop is written out, so that the tens of
    thousands of dotted identifiers of a DEX cost no generator step each; the tests
    compare it with ``BARE_HOST.finditer``."""
    search, match, run_before = HOST_DOT.search, BARE_HOST.match, LABEL_RUN.match
    n = len(text)
    reversed_text = ""
    pos = count = 0
    cand = search(text)
    while cand is not None:
        at = cand.start()
        if at == 0 or text[at - 1] not in LABEL_CHARS:
            cand = search(text, at + 1)  # not a dot that joins two labels
            continue
        if not reversed_text:
            reversed_text = text[::-1]
        run = run_before(reversed_text, n - at)  # the label run before the dot
        m = match(text, max(pos, at - (run.end() - run.start())) if run else at)
        if m is None:
            cand = search(text, at + 1)
            continue
        if count >= MAX_MATCHES:
            return
        count += 1
        pos = m.end()
        cand = search(text, pos)
        start, token = m.start(), m.group()
        if length_byte(text, start):
            start, token = start + 1, token[1:]
        if pos < n and text[pos] in HOST_AFTER:
            continue
        if glued(text, start, HOST_GLUE) or (
            start > 1 and text[start - 1] == "/" != text[start - 2]
        ):
            continue  # part of an identifier, an e-mail, or a file path (but not //host)
        if token.count(".") >= MAX_HOST_LABELS or len(token) > 253 or inside(start):
            continue
        if domain := bare_host_domain(token):
            hits.append((start, "domain", domain))


BASE64_URL = re.compile(r"aHR0c[A-Za-z0-9+/]{6,2700}={0,2}")  # base64 of "http..."
MAX_BASE64 = 256


def base64_urls(text: str) -> list[Hit]:
    """URLs hidden as base64 strings (``aHR0cHM6Ly9...`` is ``https://...``): fraud apps
    hide their back ends this way from string scanners. Each decoded URL is reported at
    the position of its base64 form; what does not decode to a URL is ignored."""
    hits: list[Hit] = []
    for n, m in enumerate(BASE64_URL.finditer(text)):
        if n >= MAX_BASE64:
            break
        raw = m.group(0)
        try:
            decoded = b64decode(raw + "=" * (-len(raw) % 4), validate=True).decode("ascii")
        except (binascii.Error, ValueError):
            continue
        if decoded.startswith(("http://", "https://")) and decoded.isprintable():
            hits.extend(url_hits(decoded, m.start(), nested=False))
    return hits
