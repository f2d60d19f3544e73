"""Fuzz the web readers: URLs, HTML pages and images never raise, stay bounded and fast.

URLs are built from URL-shaped fragments (schemes, '@', brackets, ports, IDN and
look-alike letters, numeric hosts); pages are the fixture pages mutated (cuts, flips,
inserted markup) plus random bytes; images are the fixture images mutated, and PNG
headers with hostile dimensions. Every anomaly code must be registered.
CHAINCUT_FUZZ_EXAMPLES raises the example count for a longer local run.
"""

from __future__ import annotations

import os
import struct
import time
import zlib
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chaincut.extractors.dispatch import extract_sample, make_sample
from chaincut.extractors.findings import Findings
from chaincut.extractors.page import read_page
from chaincut.extractors.qr import read_qr
from chaincut.extractors.url import analyse, url_document
from chaincut.facts.codes import all_codes
from tests.cli_helpers import FIXTURES

pytestmark = pytest.mark.fuzz
EXAMPLES = int(os.environ.get("CHAINCUT_FUZZ_EXAMPLES", "150"))
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
URL_FRAGMENTS = [
    "http://", "https://", "itms-services://?action=download-manifest&url=", "ftp:", "//",
    "\\", "@", ":", "[", "]", "::1", ":8080", ":99999", ".", "xn--", "xn--cbc-ihd", "іcbc",
    "ＩＣＢＣ", "．", "3232235777", "0x7f", "0300", ".1", "%2e", "%00", "?", "#", "&url=",
    "a.apk", ".ipa", ".mobileconfig", "t.cn", "github.io", "oss-cn-x.aliyuncs.com", "icbc",
    "gongshangyinhang", " ", "\t", "\x00", "\u200b", "é", "工商银行", "-", "_", "1", "0",
]  # fmt: skip
HTML_FRAGMENTS = [
    b"<html>", b"<a href='", b"'>", b"</a>", b"<script>", b"</script>", b"location.href='",
    b"x.apk'", b"itms-services://?url=", b"<meta http-equiv=refresh content='0;url=", b"<!--",
    b"-->", b"<![CDATA[", b"<img src='data:image/png;base64,", b"iVBORw0KGgo", b"<base href=",
    b"navigator.userAgent", b"MicroMessenger", b"\xe5\xbe\xae\xe4\xbf\xa1", b"\xff\xfe",
    b"<title>", b"<style>", b"\x00", b"&#x", b"&amp;", b"<", b">", b"\"", b"'", b"\\u002F",
]  # fmt: skip
urls = st.lists(st.one_of(st.sampled_from(URL_FRAGMENTS), st.text(max_size=8)), max_size=40).map(
    "".join
)


@cache
def known_codes() -> frozenset[str]:
    return frozenset(all_codes())


@cache
def page_seeds() -> list[bytes]:
    return [p.read_bytes() for p in sorted((FIXTURES / "web" / "pages").glob("*.html"))]


@cache
def image_seeds() -> list[bytes]:
    folder = FIXTURES / "web"
    return [p.read_bytes() for p in sorted(folder.glob("**/*")) if p.suffix in (".png", ".jpg")]


def mutate(seed: bytes, data: st.DataObject) -> bytes:
    buf = bytearray(seed)
    for _ in range(data.draw(st.integers(0, 6))):
        op = data.draw(st.sampled_from(["flip", "cut", "insert", "dup"]))
        pos = data.draw(st.integers(0, max(0, len(buf))))
        if op == "flip" and buf:
            buf[min(pos, len(buf) - 1)] ^= data.draw(st.integers(1, 255))
        elif op == "cut":
            del buf[pos : pos + data.draw(st.integers(1, 4096))]
        elif op == "insert":
            buf[pos:pos] = data.draw(st.sampled_from(HTML_FRAGMENTS))
        else:
            buf[pos:pos] = buf[pos : pos + data.draw(st.integers(1, 64))] * 8
    return bytes(buf)


def clock() -> float:
    """CPU time of this process, after one warm-up analysis of each kind.

    The budget guards against runaway work (a backtracking regex, a decompression bomb),
    not against a busy machine: CPU time does not grow with other jobs' load, and the
    warm-up keeps one-off start-up work (tables read on first use) out of the first example.
    """
    warm_up()
    return time.process_time()


@cache
def warm_up() -> None:
    analyse("https://dl.example-app.top/a.apk", Findings())
    for seed in page_seeds()[:1]:
        read_page(seed, "warm-up.html", Findings())


def check(findings: Findings, started: float, budget: float = 5.0) -> None:
    assert {a.code for a in findings.anomalies} <= known_codes()
    assert not findings.errors
    assert time.process_time() - started < budget


@SETTINGS
@given(text=urls)
def test_urls_never_raise(text: str) -> None:
    findings = Findings()
    started = clock()
    facts = analyse(text, findings)
    check(findings, started, 1.0)
    assert facts.host is None or facts.host.isascii()
    doc = url_document(text).document
    assert doc.kind == "url" and not doc.errors


@SETTINGS
@given(data=st.data())
def test_pages_never_raise(data: st.DataObject) -> None:
    seed = data.draw(st.one_of(st.sampled_from(page_seeds()), st.binary(max_size=2048)))
    buf = mutate(seed, data)
    findings = Findings()
    started = clock()
    read_page(buf, "fuzz.html", findings)
    check(findings, started)


@SETTINGS
@given(data=st.data())
def test_images_never_raise(data: st.DataObject) -> None:
    buf = mutate(data.draw(st.sampled_from(image_seeds())), data)
    findings = Findings()
    started = clock()
    read_qr(buf, findings)
    check(findings, started)


@SETTINGS
@given(
    width=st.integers(0, 2**32 - 1),
    height=st.integers(0, 2**32 - 1),
    depth=st.sampled_from([1, 8, 16]),
    color=st.sampled_from([0, 2, 3, 4, 6]),
)
def test_png_dimensions_never_blow_up(width: int, height: int, depth: int, color: int) -> None:
    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + body))
        return struct.pack(">I", len(body)) + kind + body + crc

    ihdr = struct.pack(">IIBBBBB", width, height, depth, color, 0, 0, 0)
    buf = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 2048))
        + chunk(b"IEND", b"")
    )
    findings = Findings()
    started = clock()
    doc = extract_sample(make_sample("bomb.png", buf)).document
    assert doc.kind == "qr" and not doc.errors
    read_qr(buf, findings)
    check(findings, started)
