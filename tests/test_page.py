"""Landing pages read statically: links, redirects, UA branching, QR images, bounds."""

from __future__ import annotations

import time
from pathlib import Path

from chaincut.cli.inputs import collect
from chaincut.extractors.dispatch import extract_sample, make_sample
from chaincut.extractors.findings import Findings
from chaincut.extractors.page import is_html, read_page
from chaincut.facts.codes import all_codes
from chaincut.facts.models import FactsDocument
from tests.cli_helpers import FIXTURES

PAGES = FIXTURES / "web" / "pages"


def doc_of(path: Path) -> FactsDocument:
    return extract_sample(make_sample(str(path), path.read_bytes())).document


def pairs(doc: FactsDocument) -> set[tuple[str, str]]:
    return {(i.kind, i.value) for i in doc.indicators}


def test_loan_landing_page() -> None:
    doc = doc_of(PAGES / "loan_landing.html")
    assert doc.kind == "page" and doc.format == "html" and not doc.errors
    page = doc.page
    assert page is not None
    assert page.title == "中国建设银行 - 快贷 官方下载"
    assert page.language == "zh-CN" and page.charset == "utf-8"
    assert "ccb" in page.brands
    assert "额度高" in page.text and "_hmt" not in page.text and ".banner" not in page.text
    kinds = {link.url: link.kind for link in page.links}
    apk = "https://dl.jsyh-daikuan.top/app/ccb_loan_v3.apk"
    manifest = "https://ios-ccb.oss-cn-hangzhou.aliyuncs.com/install/manifest.plist"
    itms = f"itms-services://?action=download-manifest&url={manifest}"
    profile = "https://udid.jsyh-daikuan.top/ccb.mobileconfig"
    assert kinds[apk] == "apk" and kinds[itms] == "itms_services"
    assert kinds[profile] == "mobileconfig"
    assert page.downloads == [apk, itms, profile]
    assert page.scripts == ["/static/js/jquery.min.js"]
    anchor = next(link for link in page.links if link.url == apk)
    assert anchor.source == "a" and anchor.text == "安卓版下载" and anchor.line == 10
    found = pairs(doc)
    assert {("url", apk), ("url", manifest), ("domain", "jsyh-daikuan.top")} <= found
    assert ("domain", "aliyuncs.com") in found and ("url", profile) in found
    assert {("qq", "2850011234"), ("wechat", "ccb_kefu888")} <= found
    assert ("email", "kefu@jsyh-daikuan.top") in found


def test_js_redirect_page() -> None:
    page = doc_of(PAGES / "js_redirect.html").page
    assert page is not None
    assert page.redirects == [
        "https://go.jsyh-daikuan.top/land/index.html?c=8891",
        "https://backup.jsyh-daikuan.top/",
    ]
    assert all(link.source == "js_location" for link in page.links)


def test_meta_refresh_gbk_page_to_a_decimal_ip() -> None:
    doc = doc_of(PAGES / "meta_refresh.html")
    page = doc.page
    assert page is not None and page.charset == "gb18030"
    assert page.title == "下载"
    assert page.redirects == ["http://3232235777/dl/loan.apk"]
    assert page.links[0].source == "meta_refresh" and page.links[0].kind == "apk"
    assert ("ip", "192.168.1.1") in pairs(doc)


def test_wechat_open_in_browser_page() -> None:
    page = doc_of(PAGES / "wechat_block.html").page
    assert page is not None
    assert page.wechat_block
    hints = " ".join(page.ua_branching)
    assert all(word in hints for word in ("iPhone", "Android", "MicroMessenger", "QQ"))
    assert "https://icbc-rongejie.pages.dev/download/icbc.apk" in page.downloads
    assert "icbc" in page.brands


def test_data_uri_qr_and_broken_data_uri() -> None:
    doc = doc_of(PAGES / "data_qr.html")
    page = doc.page
    assert page is not None
    (qr,) = page.qr_codes
    apk = "https://dl.jsyh-daikuan.top/app/ccb_loan_v3.apk"
    assert qr.image == "data:" and qr.payload == apk and qr.payload_kind == "url"
    assert any(link.source == "qr" and link.kind == "apk" for link in page.links)
    assert ("url", apk) in pairs(doc)
    assert "page_bad_data_uri" in {a.code for a in doc.anomalies}


def test_saved_page_reads_images_beside_it_only() -> None:
    doc = doc_of(PAGES / "saved_page.html")
    page = doc.page
    assert page is not None
    assert [q.payload for q in page.qr_codes] == ["https://qm.qq.com/q/AbCdEf123"]
    assert page.qr_codes[0].payload_kind == "chat"
    assert page.qr_codes[0].image == "saved_page_files/qr.png"
    # the same page given as a URL does not read local files
    facts, _ = read_page((PAGES / "saved_page.html").read_bytes(), "https://x.test/p", Findings())
    assert facts.qr_codes == [] and facts.url == "https://x.test/p"


def test_links_resolve_against_page_url_and_base() -> None:
    html = b"""<html><head><base href="/sub/"></head><body>
    <a href="a.apk">a</a><form action="post.php"></form><iframe src="//cdn.test/f"></iframe>
    <button onclick="window.open('https://w.test/x.ipa')">x</button>
    <a href="javascript:location.href='dl/b.apk'">b</a></body></html>"""
    facts, _ = read_page(html, "https://land.test/index.html", Findings())
    urls = {link.url: (link.kind, link.source) for link in facts.links}
    assert urls["https://land.test/sub/a.apk"] == ("apk", "a")
    assert urls["https://land.test/sub/post.php"] == ("page", "form")
    assert urls["https://cdn.test/f"] == ("page", "iframe")
    assert urls["https://w.test/x.ipa"] == ("ipa", "js_location")
    assert urls["https://land.test/sub/dl/b.apk"] == ("apk", "js_location")
    assert facts.forms == ["https://land.test/sub/post.php"]


def test_sniff_by_content_not_name() -> None:
    assert is_html(b"\xef\xbb\xbf  <!DOCTYPE html><p>")
    assert is_html(b"<!-- saved --><html>")
    assert is_html(b"\xff\xfe" + "<html><body>x".encode("utf-16-le"))
    assert is_html(b"garbage garbage <HTML> later")
    assert not is_html(b"PK\x03\x04....")
    assert not is_html(b'<?xml version="1.0"?><plist></plist>')
    doc = extract_sample(make_sample("x.apk", b"<html><title>t</title></html>")).document
    assert doc.kind == "page"


def test_big_page_is_bounded(tmp_path: Path) -> None:
    chunk = b"<div><a href='/x.apk'>x</a><script>location.href='a'</script><p>text</p></div>\n"
    big = b"<html><body>" + chunk * (20 * 1024 * 1024 // len(chunk))
    started = time.perf_counter()
    facts, _ = read_page(big, "page.html", findings := Findings())
    assert time.perf_counter() - started < 20
    assert "page_truncated" in {a.code for a in findings.anomalies}
    assert facts.text_truncated or len(facts.text) <= 20_000
    assert len(facts.links) <= 1000


def test_garbage_html_never_crashes() -> None:
    samples = [
        b"<html><![CDATA[<a href='x.apk'>",
        b'<html><!doctype <<<>>> <a href="\x00\xff\xfe"> <script>',
        b"<html>" + b"<div>" * 50_000,
        b"<html><meta http-equiv=refresh content=>",
        b"<html><img src='data:image/png;base64,'><img src='data:,'><img src='data:image/x'>",
        b"<html><a href='http://[::1'>x</a><a href='http://3232235777:99999/'>",
        "<html><title>\ud800</title>".encode("utf-8", "surrogatepass"),
    ]
    known = all_codes()
    for buf in samples:
        findings = Findings()
        read_page(buf, "x.html", findings)
        assert {a.code for a in findings.anomalies} <= set(known)
        assert not findings.errors


def test_walked_folders_keep_pages_and_images() -> None:
    jobs = {Path(job.fspath).name for job in collect([str(FIXTURES / "web")]).jobs}
    assert {"loan_landing.html", "qr.png", "photo_url.jpg"} <= jobs
    assert "build_web_fixtures.py" not in jobs and "README.md" not in jobs


def test_a_file_holding_one_url(tmp_path: Path) -> None:
    link = tmp_path / "link.txt"
    link.write_text("https://t.cn/A6abc\n", encoding="utf-8")
    doc = doc_of(link)
    assert doc.kind == "url" and doc.url is not None and doc.url.shortener
