"""Where ``--fetch`` may connect: checked destinations, pinned to the address that was checked.

A link from a fraud kit is attacker-controlled; left unchecked it could make chaincut
read the analyst's router, a cloud metadata service (169.254.169.254) or a local admin
page. So the host is resolved here, every address it resolves to is checked, and the
connection goes to a checked address (no second lookup between check and connect, which
DNS rebinding would exploit). The Host header and TLS name stay those of the URL.
"""

from __future__ import annotations

import functools
import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from chaincut.facts.unicode import usv

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

FETCHABLE_SCHEMES = ("http", "https")
DEFAULT_PORTS = {"http": 80, "https": 443}
PRIVATE_HINT = "pass --allow-private to fetch private, loopback or link-local destinations"
CGNAT = ipaddress.ip_network("100.64.0.0/10")
NAT64 = ipaddress.ip_network("64:ff9b::/96")
# ranges Python's tables do not flag: site-local IPv6 (deprecated, still routed inside
# some networks), IETF protocol assignments, 6to4 relay anycast, the IPv6 documentation
# block of RFC 9637
EXTRA_REFUSED = (
    (ipaddress.ip_network("fec0::/10"), "a site-local IPv6 address"),
    (ipaddress.ip_network("192.0.0.0/24"), "an IETF protocol assignment address"),
    (ipaddress.ip_network("192.88.99.0/24"), "a 6to4 relay anycast address"),
    (ipaddress.ip_network("3fff::/20"), "an IPv6 documentation address"),
)
PATH_SAFE = "/%:@!$&'()*+,;=-._~"
QUERY_SAFE = PATH_SAFE + "?"


class FetchError(Exception):
    """A fetch that could not be made (bad URL, no such host, network failure)."""


class FetchRefused(FetchError):
    """A fetch chaincut will not make; ``private`` when --allow-private would allow it."""

    def __init__(self, url: str, reason: str, *, private: bool = False) -> None:
        self.url = url
        self.reason = reason
        self.private = private
        hint = f"; {PRIVATE_HINT}" if private else ""
        super().__init__(f"refused {url}: {reason}{hint}")


@dataclass(frozen=True, slots=True)
class Destination:
    """A checked destination: connect to one of ``addresses``, speak to ``host``."""

    url: str
    scheme: str
    host: str  # ASCII (punycode) name or IP literal, without brackets
    port: int
    target: str  # request target: path and query, percent-encoded
    addresses: tuple[str, ...]

    @property
    def host_header(self) -> str:
        name = f"[{self.host}]" if ":" in self.host else self.host
        return name if self.port == DEFAULT_PORTS[self.scheme] else f"{name}:{self.port}"


def address_problem(ip: IPAddress) -> str | None:
    """Why ``ip`` must not be fetched by default, or None for a public address."""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(ip)
        if embedded is not None:
            inner = address_problem(embedded)
            return f"an IPv6 form of {embedded}, {inner}" if inner else None
    extra = next((why for net, why in EXTRA_REFUSED if ip in net), None)
    checks: tuple[tuple[bool, str], ...] = (
        (ip.is_unspecified, "an unspecified address"),
        (ip.is_loopback, "a loopback address"),
        (ip.is_link_local, "a link-local address"),
        (ip.is_multicast, "a multicast address"),
        (ip in CGNAT, "a shared (carrier-grade NAT) address"),
        (ip.is_private, "a private address"),
        (ip.is_reserved, "a reserved address"),
        (extra is not None, extra or ""),
        (ip in own_addresses(), "an address of this machine"),
        (not ip.is_global, "not a globally routable address"),
    )
    return next((why for bad, why in checks if bad), None)


@functools.cache
def own_addresses() -> frozenset[IPAddress]:
    """The addresses of this machine's interfaces (a public one reaches local services)."""
    try:
        import psutil

        table = psutil.net_if_addrs()
    except Exception:  # no interface table (a sandbox): the range checks still hold
        return frozenset()
    out: set[IPAddress] = set()
    for addrs in table.values():
        for addr in addrs:
            if addr.family in (socket.AF_INET, socket.AF_INET6):
                try:
                    out.add(ipaddress.ip_address(addr.address.split("%", 1)[0]))
                except ValueError:
                    continue
    return frozenset(out)


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (mapped, 6to4, Teredo, NAT64), if any."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if ip in NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def split_url(url: str) -> tuple[str, str, int, str]:
    """Scheme, ASCII host, port and request target; refuses what is never fetched."""
    url = usv(url)  # a lone surrogate cannot be percent-encoded; a browser sends U+FFFD
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise FetchRefused(url, f"not a valid URL ({exc})") from None
    scheme = parts.scheme.lower()
    if scheme not in FETCHABLE_SCHEMES:
        shown = f"{scheme} links are" if scheme else "a URL without a scheme is"
        raise FetchRefused(url, f"{shown} never fetched (only http and https)")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise FetchRefused(url, "the URL has no host")
    try:
        host = host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError:
        raise FetchRefused(url, f"the host name {host!r} is not valid") from None
    target = quote(parts.path, safe=PATH_SAFE) or "/"
    if parts.query:
        target += "?" + quote(parts.query, safe=QUERY_SAFE)
    return scheme, host, port or DEFAULT_PORTS[scheme], target


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to, in resolver order, without duplicates."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise FetchError(f"cannot resolve {host}: {exc}") from None
    out: list[str] = []
    for _family, _type, _proto, _name, sockaddr in infos:
        addr = str(sockaddr[0])
        if addr not in out:
            out.append(addr)
    if not out:
        raise FetchError(f"cannot resolve {host}: no addresses")
    return out


def check_destination(url: str, allow_private: bool = False) -> Destination:
    """Resolve and check ``url``; raise FetchRefused or FetchError, else the pinned target."""
    scheme, host, port, target = split_url(url)
    addresses = resolve(host, port)
    if not allow_private:
        for addr in addresses:
            problem = address_problem(ipaddress.ip_address(addr.split("%", 1)[0]))
            if problem is None:
                continue
            if _is_literal(host):
                raise FetchRefused(url, f"{addr} is {problem}", private=True)
            raise FetchRefused(url, f"{host} resolved to {addr}, {problem}", private=True)
    return Destination(url, scheme, host, port, target, tuple(addresses))


def _is_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
