"""Link keys derived from an artifact's URLs: host, registrable domain, and path.

Extractors report a landing page or a QR code by the URLs it leads to; two copies of one
gang's page name different files on the same download host, and an app's backend URL
and a page's download URL share the gang's domain. Linking therefore also keys every URL
by its host and its registrable domain (and a URL with a path by its path on that host,
which is how a rotated gang's backend paths persist across new domains: ``path`` keys
without the host). A host whose suffix is not in the public suffix list (a new gTLD, a
private zone) falls back to its last two labels, so an unknown suffix never hides a
domain. IP hosts are left to ``ip`` indicators.

A URL's query names accounts too: a payment gateway's merchant id (``mch_id=…``), a
promoter's channel code on a download link (``channel=…``), a chat widget's customer
account (``eid=…``). Gangs keep these when they move to new domains, so each query
parameter whose value looks like an account id (letters and digits, at least one digit,
``MIN_PARAM_LEN`` characters or more) is also keyed as ``param`` ``name=value``, without
the host. Who carries a parameter still decides whether it links (graph.py, pivot.py):
a value clean apps carry too is excluded like any other shared value.
"""

from __future__ import annotations

import functools
import ipaddress
import re
from urllib.parse import parse_qsl, urlsplit

from chaincut.extractors.indicators.hosts import registrable, valid_hostname

# generic path steps that say nothing about who runs a server
_GENERIC_PATHS = frozenset({"", "/", "/index.html", "/index.htm", "/#/", "/api", "/api/"})
MIN_PARAM_LEN = 4
_ACCOUNT = re.compile(r"[A-Za-z0-9_-]+")
_DIGIT = re.compile(r"[0-9]")


@functools.lru_cache(maxsize=65536)
def url_keys(url: str) -> tuple[tuple[str, str], ...]:
    """(kind, value) keys a URL adds to the graph: ``host``, ``domain``, ``path``."""
    inner = url
    if url.casefold().startswith("itms-services:"):
        marker = url.find("url=")
        inner = url[marker + 4 :] if marker >= 0 else ""
    try:
        parts = urlsplit(inner.strip())
        host = (parts.hostname or "").casefold().rstrip(".")
    except ValueError:
        return ()
    if not host or _is_ip(host) or not valid_hostname(host):
        return ()
    out: list[tuple[str, str]] = [("host", host)]
    domain = registrable(host) or _last_two(host)
    if domain:
        out.append(("domain", domain))
    path = parts.path.rstrip("/")
    if path not in _GENERIC_PATHS and path.count("/") >= 2 and not _looks_unique(path):
        out.append(("path", path))
    out += param_keys(parts.query)
    return tuple(out)


# packages a download link hands out; a link naming one by file delivers that file
PACKAGE_SUFFIXES = (".apk", ".ipa", ".mobileconfig", ".xapk", ".aab")
# names every build tool or site uses: they say nothing about which package it is
GENERIC_FILES = frozenset({
    "app", "android", "ios", "release", "app-release", "app-debug", "download", "latest",
    "setup", "install", "client", "base", "mobile", "index", "profile", "signed", "unsigned",
    "payload", "update", "upgrade", "base-master", "app-release-unsigned", "app-debug-unsigned",
})
MIN_FILE_STEM = 4
# a version (v1.2.3, 2024, 1.0.0) or a split part (split_config.arm64_v8a) names no package
_NOT_A_NAME = re.compile(r"v?[0-9._-]+|split[-_].*")
_PACKAGE_NAME = re.compile(r"[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+")


def file_key(name: str) -> str | None:
    """``file`` key value of a package file name, or None when it is generic or no package.

    A gang's landing page links ``…/apk/k7yvyv.apk`` and the sample it delivers was
    collected as ``k7yvyv.apk``: the name ties page and package across any domain.
    """
    name = name.strip().rsplit("/", 1)[-1].casefold()
    stem, dot, suffix = name.rpartition(".")
    if not dot or f".{suffix}" not in PACKAGE_SUFFIXES:
        return None
    if len(stem) < MIN_FILE_STEM or stem.replace("_", "-") in GENERIC_FILES:
        return None
    # a package name as the stem (com.tencent.mm.apk) is a weak key of its own kind
    if _PACKAGE_NAME.fullmatch(stem) or _NOT_A_NAME.fullmatch(stem):
        return None
    if not _ACCOUNT.fullmatch(stem.replace(".", "")):
        return None
    return name


def url_file_key(url: str) -> str | None:
    """``file`` key of a download URL: the package file its path names."""
    try:
        path = urlsplit(url.strip()).path
    except ValueError:
        return None
    return file_key(path) if path else None


def param_keys(query: str) -> list[tuple[str, str]]:
    """``param`` keys of a query string: ``name=value`` for values that look like ids."""
    out: list[tuple[str, str]] = []
    try:
        pairs = parse_qsl(query, keep_blank_values=False)
    except ValueError:
        return out
    for name, value in pairs:
        name, value = name.strip().casefold(), value.strip()
        if not name or len(value) < MIN_PARAM_LEN or len(value) > 128:
            continue
        if _ACCOUNT.fullmatch(value) and _DIGIT.search(value) and _ACCOUNT.fullmatch(name):
            out.append(("param", f"{name}={value}"))
    return out


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def _last_two(host: str) -> str | None:
    labels = host.split(".")
    return ".".join(labels[-2:]) if len(labels) >= 2 else None


def _looks_unique(path: str) -> bool:
    """A path naming one file or one page (random ids) is the URL's, not the server's."""
    last = path.rsplit("/", 1)[-1]
    return "." in last
