"""Where a saved page came from, and the links it carries that name its operator.

A page saved by a browser keeps its address: ``<!-- saved from url=(0042)https://... -->``
(Internet Explorer, Chrome "Webpage, complete") or ``<link rel="canonical" href=...>``.
That address is what a victim was sent and what a QR code encodes, so case reports and
QR codes resolve to the page through it, and relative links resolve against it.

Besides downloads, a landing page links its operator's customer-service chat, its H5 app
and its other hosts; those links are the same strings its apps carry, so they are page
indicators too (scripts and images from CDNs are left out: they name no one).
"""

from __future__ import annotations

import re

SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)\s*(https?://[^\s>]+?)\s*-->", re.I)
CANONICAL = re.compile(
    r"<link\b[^>]*\brel\s*=\s*[\"']?canonical[\"']?[^>]*>", re.I
)
HREF = re.compile(r"\bhref\s*=\s*[\"']?(https?://[^\"'\s>]+)", re.I)
HEAD = 65_536  # the origin is declared at the top of the file
OPERATOR_SOURCES = frozenset({"a", "iframe", "form", "js_string", "meta_refresh", "js_location",
                              "js_href", "js_decoded"})


def page_origin(html: str) -> str | None:
    """The saved-from URL of a page, else its canonical link; None when it names neither."""
    head = html[:HEAD]
    found = SAVED_FROM.search(head)
    if found:
        return found.group(1)
    tag = CANONICAL.search(head)
    if tag:
        href = HREF.search(tag.group(0))
        if href:
            return href.group(1)
    return None

SCRIPT_URL = re.compile(r"""(["'`])(https?://[^"'`\s<>]{3,2000})\1""", re.I)
MAX_SCRIPT_URLS = 100


def script_urls(scripts: list[tuple[str, int]]) -> list[str]:
    """Absolute URLs quoted in inline scripts (an H5 app's address, an API base)."""
    out: list[str] = []
    for code, _line in scripts:
        for m in SCRIPT_URL.finditer(code):
            if len(out) >= MAX_SCRIPT_URLS:
                return out
            out.append(m.group(2))
    return list(dict.fromkeys(out))
