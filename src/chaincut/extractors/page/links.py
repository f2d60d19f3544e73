"""Resolve a page's links against its base and classify each with the URL analyser.

A saved page often has no known URL: relative links then stay relative and are judged
by their path alone (``download/app.apk`` is still an APK link).
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from chaincut.extractors.findings import Findings
from chaincut.extractors.url import analyse
from chaincut.extractors.url.kinds import link_kind
from chaincut.facts.web import LinkKind, PageLink

ABSOLUTE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.\-]{0,31}:")
MAX_LINKS = 1000
DOWNLOAD_KINDS = {"apk", "ipa", "itms_services", "mobileconfig", "testflight"}
REFRESH_URL = re.compile(r"""url\s*=\s*["']?([^"'>]+)""", re.I)


def page_url(path: str) -> str | None:
    """The page's own URL when the sample path is one (the fetcher passes the final URL)."""
    return path if re.match(r"^https?://", path, re.I) else None


def base_url(page: str | None, base: str | None) -> str | None:
    """``<base href>`` resolved against the page URL; either alone when only one is known."""
    if base and page:
        return _join(page, base)
    if base and re.match(r"^https?://", base, re.I):
        return base
    return page


def _join(base: str, url: str) -> str:
    try:
        return urljoin(base, url)
    except ValueError:
        return url


def resolve(url: str, base: str | None) -> str:
    """Absolute when possible; protocol-relative ``//host/x`` gets https without a base."""
    url = url.strip()
    if ABSOLUTE.match(url) or not base:
        return "https:" + url if url.startswith("//") and not base else url
    return _join(base, url)


def classify(url: str) -> LinkKind:
    """The link's kind; relative links are judged by path and query alone."""
    if ABSOLUTE.match(url):
        return analyse(url, Findings()).link_kind
    try:
        parts = urlsplit(url)
    except ValueError:
        return "other"
    return link_kind("https", None, parts.path, parts.query, None)


def make_link(
    url: str, base: str | None, source: str, line: int | None, text: str | None = None,
    hidden: str | None = None,
) -> PageLink:
    absolute = resolve(url, base)
    return PageLink(url=absolute, kind=classify(absolute), source=source, text=text, line=line,
                    hidden=hidden)


def refresh_target(content: str) -> str | None:
    """The URL of ``<meta http-equiv=refresh content="0; url=...">``."""
    m = REFRESH_URL.search(content)
    return m.group(1).strip() if m else None
