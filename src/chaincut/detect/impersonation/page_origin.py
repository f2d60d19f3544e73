"""A saved landing page that is the brand's own: where it says it is from, and where it
leads, are the brand's.

A copy of a brand's download page on a fraud site keeps the brand's name, logo and often
its ``<!-- saved from url=... -->`` stamp, but its download buttons lead elsewhere. So a
page is the brand's own only when both hold:

* what it claims as its origin (saved-from comment, canonical link, ``og:url``), if
  anything, is on the brand's official domains; and
* every download it offers (APK, IPA, itms-services, profile, TestFlight) and every app
  store link leads to the brand's official domains or to an official app store, with at
  least one origin or download on the brand's own domain. Redirects and QR codes on
  the page count as downloads: they are where the page sends the phone.

A page with no origin and no download proves nothing and is left to resemblance.
"""

from __future__ import annotations

from chaincut.detect.impersonation.domains import host_of, is_official, official_for
from chaincut.detect.impersonation.index import BrandEntry, BrandIndex
from chaincut.facts.models import FactsDocument
from chaincut.result.models import Signal

FOREIGN_DOWNLOAD = 0.7  # a page naming the brand that installs from elsewhere

STORE_KINDS = frozenset({"app_store", "android_market"})
DOWNLOAD_KINDS = frozenset({"apk", "ipa", "itms_services", "mobileconfig", "testflight"})
LEADS_SOURCES = frozenset({"meta_refresh", "js_location", "qr"})  # where it sends the phone


def _official(url: str, entry: BrandEntry) -> bool:
    host = host_of(url)
    return host is not None and is_official(host, entry)


def page_owner(doc: FactsDocument, index: BrandIndex) -> str | None:
    """The brand whose own page ``doc`` is, judged from its origin and its downloads."""
    page = doc.page
    if page is None or doc.kind != "page":
        return None
    # the page's own address counts as one more claimed origin (for a saved page it is
    # the saved-from or canonical address, see extractors/page/origin.py)
    origins = list(dict.fromkeys([*page.origins, *([page.url] if page.url else [])]))
    downloads = [
        x.url for x in page.links if x.kind in DOWNLOAD_KINDS or x.source in LEADS_SOURCES
    ]
    if not origins and not downloads:
        return None
    # every origin and download must be on the brand's domains: hosts parsed once, not
    # once per brand
    hosts = [host_of(u) for u in (*origins, *downloads)]
    if any(h is None for h in hosts):
        return None  # an address without a host is on no brand's domain
    # the first brand (registry order) every host is official for
    common = set(official_for(hosts[0], index)) if hosts[0] is not None else set()
    for h in hosts[1:]:
        common.intersection_update(official_for(h, index) if h is not None else ())
    return index.entries[min(common)].id if common else None


def foreign_downloads(doc: FactsDocument, entry: BrandEntry) -> Signal | None:
    """A page that resembles the brand but whose downloads all come from hosts that are
    neither the brand's nor an official store: the second kind of evidence that turns a
    name on a page into an imitation (the brand's own page installs the brand's app)."""
    page = doc.page
    if page is None or doc.kind != "page":
        return None
    downloads = [x.url for x in page.links if x.kind in DOWNLOAD_KINDS]
    if not downloads or any(_official(u, entry) for u in downloads):
        return None
    hosts = sorted({h for h in (host_of(u) for u in downloads) if h})[:3]
    return Signal(
        kind="domain",
        score=FOREIGN_DOWNLOAD,
        detail=f"offers the app from {', '.join(hosts) or 'other hosts'}, not from "
        f"{entry.brand.display_name}'s official domains or an app store",
    )
