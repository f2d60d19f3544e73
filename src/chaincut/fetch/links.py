"""Which links of a fetched artifact the crawl follows, and what URL each one fetches.

A phone follows redirects on its own and a victim taps the download button; so the crawl
follows page redirects (meta refresh, JavaScript), download links (APK, IPA,
itms-services, .mobileconfig), QR payload URLs, and an install manifest's IPA URLs.
Ordinary navigation links are not followed: they lead away from the app.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs, urldefrag, urljoin, urlsplit

from chaincut.facts.models import FactsDocument
from chaincut.fetch.guard import FETCHABLE_SCHEMES, FetchRefused

FOLLOWED_KINDS = ("apk", "ipa", "itms_services", "mobileconfig")
IOS_KINDS = ("ipa", "itms_services", "mobileconfig")
IOS_SUFFIXES = (".ipa", ".plist", ".mobileconfig")
URL_PAYLOADS = ("url", "itms_services")


@dataclass(frozen=True, slots=True)
class Link:
    """A link to follow: as found (``url``) and whether an iPhone would be the one to open it."""

    url: str
    ios: bool = False


def links_to_follow(doc: FactsDocument, base: str) -> list[Link]:
    """The links of ``doc`` worth fetching, absolute, in document order, without repeats."""
    found: list[Link] = []
    if doc.page is not None:
        page = doc.page
        found += [Link(u) for u in page.redirects]
        kinds = {link.url: link.kind for link in page.links}
        found += [Link(u, kinds.get(u) in IOS_KINDS) for u in page.downloads]
        found += [Link(x.url, x.kind in IOS_KINDS) for x in page.links if x.kind in FOLLOWED_KINDS]
        found += [Link(q.payload) for q in page.qr_codes if _is_link(q.payload)]
    if doc.qr is not None:
        for code in doc.qr.codes:
            if code.url or code.payload_kind in URL_PAYLOADS:
                found.append(Link(code.url or code.payload))
    if doc.itms_manifest is not None:
        found += [Link(u, True) for u in doc.itms_manifest.ipa_urls]
    out: dict[str, Link] = {}
    for link in found:
        url = _absolute(base, link.url.strip())
        if url and url not in out:
            out[url] = Link(url, link.ios or is_ios_link(url))
    return list(out.values())


def _absolute(base: str, url: str) -> str:
    """``url`` resolved against ``base``; as found when it cannot be (the fetch refuses it)."""
    try:
        return urljoin(base, url)
    except ValueError:
        return url


def is_ios_link(url: str) -> bool:
    """itms-services links and IPA, manifest and profile downloads want an iPhone."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() == "itms-services" or parts.path.lower().endswith(IOS_SUFFIXES)


def fetch_url(link: str) -> str:
    """The http(s) URL that following ``link`` fetches; FetchRefused for other schemes.

    ``itms-services://?action=download-manifest&url=...`` fetches its manifest URL.
    """
    try:
        parts = urlsplit(link)
    except ValueError as exc:
        raise FetchRefused(link, f"not a valid URL ({exc})") from None
    scheme = parts.scheme.lower()
    if scheme == "itms-services":
        manifest = parse_qs(parts.query).get("url", [""])[0].strip()
        if not manifest:
            raise FetchRefused(link, "the itms-services link names no manifest url")
        return fetch_url(manifest)
    if scheme not in FETCHABLE_SCHEMES:
        shown = f"{scheme} links are" if scheme else "a URL without a scheme is"
        raise FetchRefused(link, f"{shown} never fetched (only http and https)")
    return urldefrag(link)[0]


def _is_link(text: str) -> bool:
    try:
        scheme = urlsplit(text.strip()).scheme.lower()
    except ValueError:
        return False
    return scheme in (*FETCHABLE_SCHEMES, "itms-services")
