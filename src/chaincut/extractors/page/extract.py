"""HTML landing pages: what leads from the page to the app, and what the page claims.

Order of work: decode (declared charset, else UTF-8, else GB18030), parse once with the
stdlib parser (bounded), read inline scripts as text, resolve and classify every link,
scan embedded images for QR codes, then gather indicators: the URL, domain and IP of
every download, manifest, profile and redirect, and the contacts in the visible text.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable

from chaincut.extractors.findings import Findings
from chaincut.extractors.page import links as lk
from chaincut.extractors.page.images import page_qr_codes, to_page_qr
from chaincut.extractors.page.origin import OPERATOR_SOURCES, page_origin, script_urls
from chaincut.extractors.page.parser import PageScan, parse, visible_text
from chaincut.extractors.page.scripts import ScriptFacts, read_scripts, wechat_block
from chaincut.extractors.page.sniff import decode
from chaincut.extractors.page.words import brands_mentioned, text_indicators
from chaincut.extractors.qr import qr_indicators
from chaincut.extractors.url import analyse, url_indicators
from chaincut.facts.models import Indicator
from chaincut.facts.web import PageFacts, PageLink, QrCode
from chaincut.knowledge.analytics import default_analytics

MAX_PARSE = 2 * 1024 * 1024  # bytes of HTML parsed; the rest is reported, not read
TEXT_URL = re.compile(r"(?:https?|itms-services)://[^\s\"'<>，。、；）)]{3,2048}", re.I)
HAN = re.compile(r"[\u4e00-\u9fff]")
REDIRECT_SOURCES = {"meta_refresh", "js_location"}


def read_page(buf: bytes, path: str, findings: Findings) -> tuple[PageFacts, list[Indicator]]:
    """Facts and indicators of one HTML page; ``path`` is a URL or a local file path."""
    if len(buf) > MAX_PARSE:
        findings.anomaly("page_truncated", f"{len(buf):,} bytes; parsed the first {MAX_PARSE:,}")
        buf = buf[:MAX_PARSE]
    html, charset, replaced = decode(buf)
    if replaced:
        findings.anomaly("page_decode_errors", f"charset {charset}")
    scan, error = parse(html)
    if error is not None:
        findings.anomaly("page_parse_error", f"{type(error).__name__}: {str(error)[:160]}")
    js = read_scripts(scan.scripts)
    text = visible_text(scan)
    fetched_from = lk.page_url(path)
    page_url = fetched_from or page_origin(html)
    base = lk.base_url(page_url, scan.base)
    links = _links(scan, js, text, base, findings)
    local = fetched_from is None and os.path.isfile(path)
    qrs = page_qr_codes(scan.images, path, local, findings)
    links += [lk.make_link(c.url, base, "qr", None) for _, c in qrs if c.url]
    facts = PageFacts(
        url=page_url,
        origins=_unique(scan.origins),
        title=scan.title,
        text=text,
        text_truncated=scan.text_truncated,
        language=_language(scan, text),
        charset=charset,
        brands=brands_mentioned(f"{scan.title or ''} {text}"),
        links=links,
        downloads=_unique(x.url for x in links if x.kind in lk.DOWNLOAD_KINDS),
        redirects=_unique(x.url for x in links if x.source in REDIRECT_SOURCES),
        qr_codes=[to_page_qr(image, code) for image, code in qrs],
        ua_branching=js.ua_hints,
        wechat_block=wechat_block(js, text, html[:20_000]),
        forms=_unique(x.url for x in links if x.source == "form"),
        scripts=_unique(x.url for x in links if x.source == "script_src"),
        images=scan.image_count,
    )
    indicators = _indicators(facts, text, [c for _, c in qrs], script_urls(scan.scripts))
    indicators += analytics_indicators([*facts.scripts, *(code for code, _ in scan.scripts)])
    return facts, indicators


def analytics_indicators(scripts: list[str]) -> list[Indicator]:
    """Web analytics site ids in script addresses and inline scripts (knowledge/analytics.py).

    The id names the account that owns the page's statistics: it outlives the domains a
    page is moved to, and a distribution service puts one on every page it hosts.
    """
    return [
        Indicator(kind="analytics_id", value=site_id, provider=service)
        for service, site_id in default_analytics().site_ids(scripts)
    ]


def _links(
    scan: PageScan, js: ScriptFacts, text: str, base: str | None, findings: Findings
) -> list[PageLink]:
    out: list[PageLink] = []
    for content, line in scan.refreshes:
        target = lk.refresh_target(content)
        if target:
            out.append(lk.make_link(target, base, "meta_refresh", line))
    out += [lk.make_link(u, base, "js_location", line, hidden=js.hidden.get(u))
            for u, line in js.redirects if u]
    out += [lk.make_link(raw.url, base, raw.source, raw.line, raw.text) for raw in scan.links]
    out += [lk.make_link(u, base, "js_href", line, hidden=js.hidden.get(u))
            for u, line in js.assigned if u]
    out += [lk.make_link(u, base, "js_decoded", line, hidden=js.hidden.get(u))
            for u, line in js.decoded if u]
    out += [lk.make_link(u, base, "js_string", line) for u, line in js.downloads if u]
    out += [lk.make_link(m.group(0), base, "text", None) for m in TEXT_URL.finditer(text)]
    dropped = scan.links_dropped + max(0, len(out) - lk.MAX_LINKS)
    if dropped:
        findings.anomaly("page_too_many_links", f"{dropped} links not kept")
    return _dedupe(out)[: lk.MAX_LINKS]


def _dedupe(links: list[PageLink]) -> list[PageLink]:
    """One entry per (url, source); a JS string already found another way is not repeated."""
    seen: set[tuple[str, str]] = set()
    urls: set[str] = set()
    out = []
    for link in links:
        if (link.url, link.source) in seen or (link.source == "js_string" and link.url in urls):
            continue
        seen.add((link.url, link.source))
        urls.add(link.url)
        out.append(link)
    return out


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _language(scan: PageScan, text: str) -> str | None:
    if scan.lang:
        return scan.lang
    han = len(HAN.findall(text[:5000]))
    if han >= 10:
        return "zh"
    return "en" if sum(c.isascii() and c.isalpha() for c in text[:5000]) >= 50 else None


def _indicators(
    facts: PageFacts, text: str, codes: list[QrCode], scripted: list[str]
) -> list[Indicator]:
    """The page URL, downloads, redirects and operator links, then contacts and QR payloads."""
    out: list[Indicator] = []
    seen: set[tuple[str, str]] = set()

    def add(items: list[Indicator]) -> None:
        for ind in items:
            if (ind.kind, ind.value) not in seen:
                seen.add((ind.kind, ind.value))
                out.append(ind)

    operator = [x.url for x in facts.links if x.source in OPERATOR_SOURCES]
    urls = [*([facts.url] if facts.url else []), *facts.downloads, *facts.redirects, *operator,
            *scripted]
    for url in urls:
        if lk.ABSOLUTE.match(url):
            add(url_indicators(analyse(url, Findings())))
    add(text_indicators(text))
    add(qr_indicators(codes))
    return out
