"""The crawl's orchestration: what it follows, in which order, under which limits.

Pages and install manifests are read here by small stand-ins for the page and iOS
extractors (so these tests hold whatever those readers grow into); APKs go through the
real dispatcher. tests/test_fetch_cli.py runs the same kind of site end to end.
"""

from __future__ import annotations

import hashlib
import importlib
import plistlib
import re

import pytest

from chaincut.extractors.base import Sample
from chaincut.extractors.dispatch import ExtractionResult, extract_sample
from chaincut.facts.ios import ItmsManifestFacts
from chaincut.facts.models import FactsDocument
from chaincut.facts.web import PageFacts, PageLink
from chaincut.fetch import FetchPolicy, crawl
from chaincut.fetch.policy import IPHONE_SAFARI
from tests.fetch_site import Route, Site, apk_bytes, html, manifest_bytes, redirect, serve

# fetched bodies are read in a forked budget worker, which inherits this patch
budget_module = importlib.import_module("chaincut.extractors.budget")
LOCAL = FetchPolicy(allow_private=True)
HREF = re.compile(rb'href="([^"]+)"')
REFRESH = re.compile(rb'http-equiv="refresh" content="0;url=([^"]+)"')
KINDS = {".apk": "apk", ".plist": "itms_services", ".mobileconfig": "mobileconfig"}


def _stand_in(sample: Sample) -> ExtractionResult:
    """HTML -> page facts, an install manifest -> itms facts, anything else: the real thing."""
    if sample.buf.startswith(b"<html"):
        links = []
        for raw in HREF.findall(sample.buf):
            url = raw.decode()
            kind = next((k for s, k in KINDS.items() if url.endswith(s)), "page")
            kind = "itms_services" if url.startswith("itms-services:") else kind
            links.append(PageLink(url=url, kind=kind, source="a"))  # type: ignore[arg-type]
        redirects = [r.decode() for r in REFRESH.findall(sample.buf)]
        page = PageFacts(url=sample.path, links=links, redirects=redirects)
        return ExtractionResult(_doc(sample, "page", page=page))
    if sample.buf.startswith(b"<?xml") and b"software-package" in sample.buf:
        items = plistlib.loads(sample.buf)["items"]
        urls = [a["url"] for it in items for a in it["assets"]]
        return ExtractionResult(
            _doc(sample, "other", itms_manifest=ItmsManifestFacts(ipa_urls=urls))
        )
    return extract_sample(sample)


def _doc(sample: Sample, kind: str, **facts: object) -> FactsDocument:
    return FactsDocument(
        sha256=sample.sha256,
        path=sample.path,
        kind=kind,
        size=sample.size,
        **facts,  # type: ignore[arg-type]
    )


@pytest.fixture(autouse=True)
def _readers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(budget_module, "extract_sample", _stand_in)


def _kit(apk_route: Route | None = None) -> dict[str, Route]:
    itms = "itms-services://?action=download-manifest&amp;url=http://127.0.0.1:{port}/m.plist"
    return {
        "/": redirect("/land"),
        "/land": html('<html><meta http-equiv="refresh" content="0;url=/dl"></html>'),
        "/dl": html(
            '<html><a href="/app.apk">Android</a> <a href="ITMS">iPhone</a>'
            ' <a href="/about">about us</a> <a href="/app.apk">again</a></html>'
        ),
        "/app.apk": apk_route or Route(apk_bytes(), content_type="text/html"),
        "/m.plist": Route(b"", content_type="text/xml"),
        "/a.ipa": Route(b"PK\x05\x06" + b"\0" * 18, content_type="application/octet-stream"),
        "/about": html("<html>about</html>"),
        "ITMS": Route(itms.encode()),
    }


def _run(
    site_routes: dict[str, Route], policy: FetchPolicy = LOCAL, start: str = "/"
) -> tuple[Site, list[FactsDocument]]:
    with serve(site_routes) as site:
        _fill(site_routes, site.port)
        docs = [r.document for r in crawl(site.url(start), policy)]
    return site, docs


def _fill(routes: dict[str, Route], port: int) -> None:
    """Put the server's port into bodies that need absolute URLs."""
    itms = routes.pop("ITMS", None)
    if itms is not None:
        link = itms.body.decode().replace("{port}", str(port)).replace("&amp;", "&")
        routes["/dl"].body = routes["/dl"].body.replace(b"ITMS", link.encode())
    if "/m.plist" in routes:
        routes["/m.plist"].body = manifest_bytes(f"http://127.0.0.1:{port}/a.ipa")


def test_follows_the_kit_from_link_to_apps() -> None:
    site, docs = _run(_kit())
    paths = [d.path.replace(site.url(""), "") for d in docs]
    assert paths == ["/", "/land", "/dl", "/app.apk", "/m.plist", "/a.ipa"]
    root, land, dl, apk, manifest, ipa = docs
    assert root.kind == "url" and root.fetch is None and root.sha256 == _sha(site.url("/"))
    assert land.kind == "page" and land.fetch is not None
    assert land.fetch.parent == root.sha256 and land.fetch.parent_link == site.url("/")
    assert [h.status for h in land.fetch.chain] == [302, 200]  # the HTTP redirect
    assert dl.fetch is not None and dl.fetch.parent == land.sha256  # the meta refresh
    assert apk.kind == "apk" and apk.apk is not None and apk.fetch is not None
    assert apk.fetch.parent == dl.sha256 and apk.fetch.parent_link == site.url("/app.apk")
    assert {a.code for a in apk.anomalies} >= {"content_type_mismatch", "download_over_cleartext"}
    assert manifest.fetch is not None and manifest.fetch.parent == dl.sha256
    assert manifest.fetch.parent_link.startswith("itms-services://")
    assert manifest.fetch.user_agent == IPHONE_SAFARI
    assert ipa.fetch is not None and ipa.fetch.parent == manifest.sha256
    assert ipa.fetch.user_agent == IPHONE_SAFARI
    assert site.hits("/about") == 0  # navigation links are not followed
    assert site.hits("/app.apk") == 1  # no URL twice
    agents = {path: agent for path, agent, *_ in site.requests}
    assert "Android" in agents["/dl"] and agents["/a.ipa"] == IPHONE_SAFARI


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def test_fetched_bodies_come_back_as_blobs() -> None:
    with serve(
        {"/x.apk": Route(apk_bytes(), content_type="application/vnd.android.package-archive")}
    ) as site:
        results = list(crawl(site.url("/x.apk"), LOCAL))
    assert [r.document.kind for r in results] == ["url", "apk"]
    apk = results[1]
    assert apk.blobs[apk.document.sha256] == apk_bytes()
    assert apk.document.fetch is not None and apk.document.fetch.size == len(apk_bytes())
    assert [
        a.code for a in apk.document.anomalies if a.code.startswith(("content", "download"))
    ] == ["download_over_cleartext"]


def test_depth_limit() -> None:
    site, docs = _run(_kit(), FetchPolicy(allow_private=True, max_depth=2))
    assert [d.path.rsplit("/", 1)[-1] for d in docs] == ["", "land", "dl", "app.apk", "m.plist"]
    assert site.hits("/a.ipa") == 0


def test_artifact_limit_is_never_silent() -> None:
    _site, docs = _run(_kit(), FetchPolicy(allow_private=True, max_artifacts=3))
    assert [d.kind for d in docs] == ["url", "page", "page", "apk", "url"]
    last = docs[-1]
    assert last.errors == ["not fetched: the crawl's limit of 3 fetches was reached"]
    assert last.path.startswith("itms-services://")  # the link as found, left unfetched
    assert last.fetch is not None and last.fetch.parent == docs[2].sha256


def test_refused_start_is_one_document() -> None:
    site, docs = _run(_kit(), FetchPolicy())
    (doc,) = docs
    assert doc.kind == "url" and doc.path == site.url("/")
    assert doc.errors[0].startswith(f"refused {site.url('/')}: 127.0.0.1 is a loopback address")
    assert doc.fetch is not None and doc.fetch.chain[0].error == doc.errors[0]
    assert doc.fetch.parent is None  # the start URL is nobody's child
    assert site.requests == []


def test_a_failed_download_still_gets_a_document_and_the_crawl_goes_on() -> None:
    site, docs = _run(_kit(Route(b"gone", 404, "text/plain")))
    by_path = {d.path.replace(site.url(""), ""): d for d in docs}
    missing = by_path["/app.apk"]
    assert missing.kind == "url" and missing.errors == ["the server answered 404 Not Found"]
    assert missing.fetch is not None and missing.fetch.chain[0].status == 404
    assert by_path["/a.ipa"].fetch is not None  # the iOS branch was still followed


def test_start_at_an_itms_services_link() -> None:
    routes = {"/m.plist": Route(b""), "/a.ipa": Route(b"PK\x05\x06" + b"\0" * 18)}
    with serve(routes) as site:
        _fill(routes, site.port)
        link = f"itms-services://?action=download-manifest&url={site.url('/m.plist')}"
        docs = [r.document for r in crawl(link, LOCAL)]
    assert [d.path for d in docs] == [link, site.url("/m.plist"), site.url("/a.ipa")]
    assert docs[1].fetch is not None and docs[1].fetch.parent == docs[0].sha256
    assert docs[1].fetch.user_agent == IPHONE_SAFARI


def test_truncated_download_is_flagged() -> None:
    with serve({"/big.apk": Route(apk_bytes())}) as site:
        docs = [
            r.document
            for r in crawl(site.url("/big.apk"), FetchPolicy(allow_private=True, max_bytes=1000))
        ]
    apk = docs[1]
    assert apk.fetch is not None and apk.fetch.truncated and apk.size == 1000
    assert "fetch_truncated" in [a.code for a in apk.anomalies]


def test_unsupported_scheme_start_is_refused_without_network() -> None:
    (doc,) = [r.document for r in crawl("ftp://files.example/app.apk", LOCAL)]
    assert doc.kind == "url" and "ftp links are never fetched" in doc.errors[0]
