"""Text sections for the facts of links, landing pages and QR images."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape

from chaincut.facts.models import FactsDocument
from chaincut.facts.web import PageFacts, QrFacts, UrlFacts

MAX_LIST = 12


def _items(values: list[str]) -> str:
    shown = ", ".join(escape(v) for v in values[:MAX_LIST])
    more = len(values) - MAX_LIST
    return f"{shown} (+{more} more)" if more > 0 else shown


def web_sections(console: Console, doc: FactsDocument) -> None:
    if doc.url:
        _url(console, doc.url)
    if doc.page:
        _page(console, doc.page)
    if doc.qr:
        _qr(console, doc.qr)


def _url(console: Console, u: UrlFacts) -> None:
    host = u.host or "-"
    shown = f" ({escape(u.host_unicode)})" if u.host_unicode else ""
    console.print(
        f"link [bold]{u.link_kind}[/] host [bold]{escape(host)}[/]{shown} "
        f"domain {escape(u.registrable_domain or '-')}"
    )
    extras = [
        f"ip {u.ip}{' (private)' if u.ip_private else ''}" if u.ip else "",
        f"skeleton {u.skeleton}" if u.skeleton and u.skeleton != (u.host_unicode or u.host) else "",
        f"shortener {u.shortener}" if u.shortener else "",
        f"{u.platform_kind} {u.platform}" if u.platform else "",
        f"brands {', '.join(u.brand_tokens)}" if u.brand_tokens else "",
        f"manifest {u.itms_manifest_url}" if u.itms_manifest_url else "",
    ]
    if any(extras):
        console.print("  " + escape("; ".join(e for e in extras if e)))


def _page(console: Console, p: PageFacts) -> None:
    console.print(
        f"page [bold]{escape(p.title or '(no title)')}[/] ({p.language or '?'}, {p.charset})"
    )
    if p.brands:
        console.print(f"brands mentioned: {_items(p.brands)}")
    if p.downloads:
        console.print(f"[bold]downloads[/]: {_items(p.downloads)}")
    if p.redirects:
        console.print(f"redirects: {_items(p.redirects)}")
    if p.ua_branching:
        console.print(f"user-agent branching: {_items(p.ua_branching)}")
    if p.wechat_block:
        console.print("WeChat/QQ 'open in browser' overlay")
    for q in p.qr_codes[:MAX_LIST]:
        console.print(f"qr ({q.payload_kind}) {escape(q.payload)}")
    console.print(f"{len(p.links)} links, {p.images} images")


def _qr(console: Console, q: QrFacts) -> None:
    console.print(f"image {q.image_format or '?'} {q.width}x{q.height}, {len(q.codes)} code(s)")
    for c in q.codes[:MAX_LIST]:
        console.print(f"  {c.format} [bold]{c.payload_kind}[/] {escape(c.payload)}")
