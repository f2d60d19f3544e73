"""Host names as browsers read them: IDNA, IPv4 in any notation, IPv6, public suffix split.

Everything is offline. The public suffix list is tldextract's bundled snapshot, read by
:mod:`chaincut.extractors.indicators.suffixes` (no suffix list URLs, no cache directory,
no import of tldextract), so a URL reads the same on an air-gapped box. IPv4
follows the WHATWG URL parser, the way phones' browsers resolve ``http://3232235777/``
(an integer), ``0xC0A80101`` (hex) or ``0300.0250.1.1`` (octal parts).
"""

from __future__ import annotations

import contextlib
import functools
import ipaddress
import re
import unicodedata
from dataclasses import dataclass

import idna

from chaincut.extractors.indicators.suffixes import split_parts

IPV4_PART = re.compile(r"^(?:0[xX][0-9a-fA-F]*|[0-9]+)$")
DNS_LABEL = re.compile(r"^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$")


class InvalidIPv4(ValueError):
    """A host that ends in a number but is no IPv4 address (browsers refuse it)."""


@dataclass(frozen=True, slots=True)
class HostName:
    """A host name in both forms, plus what its Unicode form hides."""

    ascii: str  # lower-case, punycode
    unicode: str  # IDN decoded
    punycode: bool


@dataclass(frozen=True, slots=True)
class Split:
    registrable: str | None
    subdomain: str | None
    suffix: str | None
    tenant: str | None  # registrable under the private suffixes too ("x.github.io")


def ends_in_number(host: str) -> bool:
    """WHATWG: a host whose last label is numeric is parsed as IPv4."""
    labels = host.split(".")
    if labels[-1] == "" and len(labels) > 1:
        labels.pop()
    return bool(labels) and bool(IPV4_PART.match(labels[-1]))


def parse_ipv4(host: str) -> ipaddress.IPv4Address:
    """Decimal, octal and hex parts, 1 to 4 of them, as browsers accept."""
    parts = host.split(".")
    if parts[-1] == "" and len(parts) > 1:
        parts.pop()
    if not 1 <= len(parts) <= 4 or not all(IPV4_PART.match(p) for p in parts):
        raise InvalidIPv4(host)
    numbers = [_ipv4_number(p) for p in parts]
    if any(n > 255 for n in numbers[:-1]) or numbers[-1] >= 256 ** (5 - len(numbers)):
        raise InvalidIPv4(host)
    value = numbers[-1]
    for i, n in enumerate(numbers[:-1]):
        value += n << (8 * (3 - i))
    return ipaddress.IPv4Address(value)


def _ipv4_number(part: str) -> int:
    if len(part) > 40:  # a hostile 10,000-digit "number" must not cost time
        raise InvalidIPv4(part)
    if part[:2].lower() == "0x":
        return int(part[2:] or "0", 16)
    if len(part) > 1 and part.startswith("0"):
        if not set(part) <= set("01234567"):
            raise InvalidIPv4(part)
        return int(part, 8)
    return int(part)


def is_private(addr: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Not reachable on the public internet: private, loopback, link-local, reserved."""
    mapped = getattr(addr, "ipv4_mapped", None)
    return not (mapped or addr).is_global


def to_ascii(raw: str) -> HostName:
    """Lower-case ASCII (punycode) and Unicode forms; raises ValueError for a bad name."""
    text = unicodedata.normalize("NFKC", raw).lower().rstrip(".")
    for dot in ("\u3002", "\uff0e", "\uff61"):
        text = text.replace(dot, ".")
    if not text or len(text) > 253:
        raise ValueError("empty or over-long host")
    if text.isascii():
        ascii_host = text
    else:
        ascii_host = idna.encode(text, uts46=True, transitional=False).decode("ascii")
    labels = ascii_host.split(".")
    if not all(DNS_LABEL.match(label) for label in labels):
        raise ValueError(f"not a DNS name: {ascii_host[:80]}")
    punycode = any(label.startswith("xn--") for label in labels)
    return HostName(ascii_host, _to_unicode(labels) if punycode else text, punycode)


def _to_unicode(labels: list[str]) -> str:
    out = []
    for label in labels:
        if label.startswith("xn--"):
            with contextlib.suppress(UnicodeError, ValueError):  # undecodable: kept as is
                label = label[4:].encode("ascii").decode("punycode")
        out.append(label)
    return ".".join(out)


@functools.lru_cache(maxsize=8192)
def split(host: str) -> Split:
    """Registrable domain, subdomain and suffix from the ICANN part of the PSL."""
    subdomain, domain, suffix = split_parts(host)
    if not suffix or not domain:
        return Split(None, None, suffix or None, None)
    _, tenant_label, tenant_suffix = split_parts(host, private=True)
    tenant = f"{tenant_label}.{tenant_suffix}" if tenant_label else None
    return Split(f"{domain}.{suffix}", subdomain or None, suffix, tenant)
