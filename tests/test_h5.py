"""H5 wording bundled in APK assets: bounded, visible text only, never JavaScript run."""

from __future__ import annotations

import io
import zipfile

from chaincut.extractors.apk.h5 import MAX_PAGES, MAX_TEXT, html_page, read_h5_pages
from chaincut.extractors.findings import Findings
from chaincut.extractors.zip import ZipArchive


def _archive(files: dict[str, bytes]) -> ZipArchive:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return ZipArchive.parse(buf.getvalue(), Findings())


def test_visible_text_title_and_placeholders() -> None:
    page = html_page(
        "assets/index.html",
        b"<html><head><title>\xe7\xa7\x92\xe6\x89\xb9\xe8\xb4\xb7</title><style>.a{}</style>"
        b"<script>var s='hidden';</script></head><body><h1>Hello</h1>"
        b"<input placeholder='ID number'><img alt='logo'><noscript>no</noscript></body></html>",
    )
    assert page.title == "秒批贷"
    assert page.text == "Hello ID number logo"


def test_pages_from_assets_index_first_and_bounded() -> None:
    files = {f"assets/www/p{i:02}.html": f"<p>页面{i}</p>".encode() for i in range(40)}
    files["assets/www/index.html"] = "<title>首页</title><p>刷单 日结</p>".encode()
    files["res/raw/other.html"] = b"<p>not an asset</p>"
    files["assets/big.html"] = b"<p>" + "字".encode() * 300_000 + b"</p>"  # over the cap
    files["assets/apps/__UNI__1/www/app-view.js"] = 'var a="佣金当天到账";'.encode()
    archive = _archive(files)
    pages = read_h5_pages(archive, archive.entries)
    assert len(pages) == MAX_PAGES
    assert pages[0].entry == "assets/www/index.html" and pages[0].title == "首页"
    assert all(p.entry.startswith("assets/") and len(p.text) <= MAX_TEXT for p in pages)
    assert "assets/big.html" not in {p.entry for p in pages}


def test_uni_app_view_strings_and_gbk() -> None:
    archive = _archive(
        {
            "assets/apps/__UNI__1/www/app-service.js": "x={t:\"任务大厅\",b:'点赞关注'}".encode(),
            "assets/gbk.html": "<p>兼职日结</p>".encode("gb18030"),
            "assets/garbage.html": b"\x00<<<</\xff\xfe<p",
        }
    )
    pages = {p.entry: p for p in read_h5_pages(archive, archive.entries)}
    assert "任务大厅" in pages["assets/apps/__UNI__1/www/app-service.js"].text
    assert pages["assets/gbk.html"].text == "兼职日结"
