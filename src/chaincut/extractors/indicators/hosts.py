"""Host names, registrable domains and IP literals, judged offline.

The public suffix list comes from tldextract's bundled snapshot, read by ``suffixes.py``
(tldextract's own answers, without importing it): no suffix list URLs and no cache
directory, so extraction never touches the network or the disk (a test proves it).
Analysis must give the same answer on an air-gapped box as on a laptop.

Bare-host rule (a dotted token that is not inside a URL or an e-mail address) — code is
full of dotted identifiers, so a token counts as a host name only when all hold:
  1. every label is a valid DNS label and the token is all lower or all upper case
     (``R.id.name`` is a Java field, not a host);
  2. its suffix is an ICANN public suffix and it has a registrable label before it;
  3. its first label is neither a package-style TLD (com, org, net, ... or a country
     code: ``com.tencent.mm``, ``io.flutter.app``, ``cn.jpush.im``) nor a known code root
     (``okhttp3.internal.ws``, ``window.location.host``); so ``cn.bing.com`` is missed as a
     bare name (it is still found inside URLs), the price of not reading packages as hosts;
  4. a two-label name (``name.suffix``) needs a suffix where hosts live (HOST_TLDS), so
     ``this.app``/``obj.info`` stay out; and a name whose suffix doubles as a file
     extension (``libfoo.so``, ``main.py``) needs at least three labels.
"""

from __future__ import annotations

import functools
import ipaddress

from chaincut.extractors.indicators.patterns import (
    CODE_ROOTS,
    FILE_TLDS,
    HOST_TLDS,
    LABEL,
    NOISE_HOSTS,
    NOISE_PREFIXES,
)
from chaincut.extractors.indicators.suffixes import split_host

PACKAGE_TLDS = frozenset({"com", "org", "net", "edu", "gov", "mil", "int", "info", "biz"})


@functools.lru_cache(maxsize=8192)
def _split(host: str) -> tuple[str, str]:
    """(registrable domain, public suffix); empty strings when there is none."""
    domain, suffix = split_host(host)
    if not suffix or not domain:
        return "", suffix
    return f"{domain}.{suffix}", suffix


def _is_cctld(label: str) -> bool:
    return len(label) == 2 and label.isalpha() and _split(label)[1] == label


def valid_hostname(host: str) -> bool:
    """DNS-shaped: labels of [a-z0-9-], no leading/trailing hyphen, <= 253 characters."""
    if not host or len(host) > 253:
        return False
    return all(LABEL.match(label) for label in host.split("."))


@functools.lru_cache(maxsize=8192)
def registrable(host: str) -> str | None:
    """The registrable domain of a lower-case host name, or None without a public suffix."""
    if not valid_hostname(host):
        return None
    domain, _ = _split(host)
    return domain or None


def is_noise_url(host: str, rest: str) -> bool:
    """XML namespace, DTD and licence URLs, which every APK carries."""
    if host in NOISE_HOSTS:
        return True
    path = f"{host}{rest}".lower()
    return any(path.startswith(prefix) for prefix in NOISE_PREFIXES)


@functools.lru_cache(maxsize=16384)  # the same dotted identifiers recur in every DEX
def bare_host_domain(token: str) -> str | None:
    """The registrable domain of a bare dotted token, when the rule above says it is a host."""
    if not (token.islower() or token.isupper()):
        return None
    host = token.lower()
    labels = host.split(".")
    if labels[0] in CODE_ROOTS or not valid_hostname(host):
        return None
    domain, suffix = _split(host)
    if not domain:
        return None
    if labels[0] in PACKAGE_TLDS or _is_cctld(labels[0]):  # reverse-DNS package name
        return None
    last = labels[-1]
    if len(labels) - suffix.count(".") <= 2 and last not in HOST_TLDS:
        return None
    if last in FILE_TLDS and len(labels) < 3:
        return None
    return domain


def ip_value(text: str) -> str | None:
    """A canonical IP string worth reporting, or None (invalid, unspecified, loopback,
    multicast, reserved or broadcast addresses say nothing about who runs a server)."""
    try:
        ip = ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return None
    if ip.is_unspecified or ip.is_loopback or ip.is_multicast or ip.is_reserved:
        return None
    if isinstance(ip, ipaddress.IPv4Address) and text.startswith("0."):
        return None  # 0.0.0.0/8 is "this network"; 255.255.255.255 is is_reserved above
    return str(ip)
