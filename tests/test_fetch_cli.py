"""``chaincut facts URL --fetch`` end to end against a local fraud-kit site.

These runs need the URL inputs and the page and iOS readers written alongside --fetch;
each test probes for the capability it needs and says what is missing when it skips.
"""

from __future__ import annotations

from typing import Any

import pytest

from chaincut.cli.fetch_opts import job_url
from chaincut.cli.inputs import collect
from chaincut.extractors.dispatch import extract_sample, make_sample
from tests.cli_helpers import jsonl, run_cli
from tests.fetch_site import (
    Route,
    Site,
    apk_bytes,
    html,
    ipa_bytes,
    manifest_bytes,
    mobileconfig_bytes,
    redirect,
    serve,
)

APK_TYPE = "application/vnd.android.package-archive"


def _need_url_inputs() -> None:
    jobs = collect(["http://127.0.0.1/"]).jobs
    if not jobs or job_url(jobs[0]) is None:
        pytest.skip("URL inputs (cli/inputs.py, written by the URL helper) are not there yet")


def _need_readers() -> None:
    page = extract_sample(make_sample("p", b"<!doctype html><html><a href='/x.apk'>x</a></html>"))
    if page.document.page is None:
        pytest.skip("the HTML page extractor is not registered yet")
    plist = extract_sample(make_sample("m", manifest_bytes("https://cdn.example/a.ipa")))
    if plist.document.itms_manifest is None:
        pytest.skip("the itms-services manifest extractor is not registered yet")


def _kit() -> dict[str, Route]:
    return {
        "/": redirect("/land"),
        "/land": html(
            "<html><head><title>下载</title>"
            '<meta http-equiv="refresh" content="0;url=/dl"></head><body>wait</body></html>'
        ),
        "/dl": html(
            "<html><body><h1>FakeBank</h1>"
            '<a href="/app.apk">Android 下载</a>'
            '<a href="itms-services://?action=download-manifest&amp;url='
            'http://127.0.0.1:PORT/m.plist">iPhone 下载</a>'
            '<a href="/p.mobileconfig">安装描述文件</a>'
            '<a href="/about">about</a></body></html>'
        ),
        "/app.apk": redirect("/files/v2v3.apk"),
        "/files/v2v3.apk": Route(apk_bytes(), content_type=APK_TYPE),
        "/m.plist": Route(b"", content_type="application/xml"),
        "/FakeBank.ipa": Route(ipa_bytes(), content_type="application/octet-stream"),
        "/p.mobileconfig": Route(b"", content_type="application/x-apple-aspen-config"),
    }


def _fill(site: Site) -> None:
    base = site.url("")
    dl = site.routes["/dl"]
    dl.body = dl.body.replace(b"http://127.0.0.1:PORT", base.encode())
    site.routes["/m.plist"].body = manifest_bytes(f"{base}/FakeBank.ipa")
    site.routes["/p.mobileconfig"].body = mobileconfig_bytes(f"{base}/dl")


def _by_path(docs: list[dict[str, Any]], site: Site) -> dict[str, dict[str, Any]]:
    return {d["path"].replace(site.url(""), ""): d for d in docs}


def test_fetch_retrieves_and_analyses_the_whole_kit() -> None:
    _need_url_inputs()
    _need_readers()
    with serve(_kit()) as site:
        _fill(site)
        proc = run_cli("facts", site.url("/"), "--fetch", "--allow-private", "-f", "jsonl")
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    docs = jsonl(proc.stdout)
    assert docs[0]["kind"] == "url" and docs[0]["path"] == site.url("/")
    got = _by_path(docs, site)
    land, dl = got["/land"], got["/dl"]
    assert land["kind"] == dl["kind"] == "page"
    assert land["fetch"]["parent"] == docs[0]["sha256"]
    assert [h["status"] for h in land["fetch"]["chain"]] == [302, 200]
    assert dl["fetch"]["parent"] == land["sha256"]  # reached through the meta refresh

    apk = got["/files/v2v3.apk"]
    assert apk["kind"] == "apk" and apk["apk"]["package"]
    assert apk["fetch"]["parent"] == dl["sha256"]
    assert apk["fetch"]["parent_link"] == site.url("/app.apk")
    assert [(h["url"], h["status"]) for h in apk["fetch"]["chain"]] == [
        (site.url("/app.apk"), 302),
        (site.url("/files/v2v3.apk"), 200),
    ]
    assert apk["fetch"]["content_type"] == APK_TYPE
    assert "download_over_cleartext" in [a["code"] for a in apk["anomalies"]]

    manifest = got["/m.plist"]
    assert manifest["itms_manifest"]["ipa_urls"] == [site.url("/FakeBank.ipa")]
    assert manifest["fetch"]["parent"] == dl["sha256"]
    assert manifest["fetch"]["parent_link"].startswith("itms-services://")
    assert "iPhone" in manifest["fetch"]["user_agent"]
    ipa = got["/FakeBank.ipa"]
    assert ipa["kind"] == "ipa" and ipa["fetch"]["parent"] == manifest["sha256"]
    profile = got["/p.mobileconfig"]
    assert profile["kind"] == "mobileconfig" and profile["fetch"]["parent"] == dl["sha256"]
    assert site.hits("/about") == 0
    assert all(site.hits(path) <= 1 for path in site.routes)


def test_private_destination_is_refused_with_one_clear_line() -> None:
    _need_url_inputs()
    with serve(_kit()) as site:
        proc = run_cli("facts", site.url("/"), "--fetch", "-f", "jsonl")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert lines == [
        f"chaincut: error: refused {site.url('/')}: 127.0.0.1 is a loopback address; pass"
        " --allow-private to fetch private, loopback or link-local destinations"
    ]
    (doc,) = jsonl(proc.stdout)  # the document is still written
    assert doc["kind"] == "url" and doc["errors"][0].startswith("refused ")
    assert site.requests == []


def test_without_fetch_the_url_is_only_read_offline() -> None:
    _need_url_inputs()
    with serve(_kit()) as site:
        proc = run_cli("facts", site.url("/"), "-f", "jsonl")
    (doc,) = jsonl(proc.stdout)
    assert doc["kind"] == "url" and doc.get("fetch") is None
    assert site.requests == []


def test_fetch_options_are_validated(tmp_path: Any) -> None:
    proc = run_cli("facts", str(tmp_path), "--fetch", "--fetch-max-mb", "0")
    assert proc.returncode == 2 and "must be positive" in proc.stderr
    assert "Traceback" not in proc.stderr
