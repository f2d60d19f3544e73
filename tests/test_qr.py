"""QR images: photographed codes, payload kinds, binary payloads and pixel bombs."""

from __future__ import annotations

import io
import struct
import time
import zlib

import qrcode
from PIL import Image

from chaincut.extractors.dispatch import extract_sample, make_sample
from chaincut.extractors.findings import Findings
from chaincut.extractors.qr import classify, image_format, read_qr
from chaincut.facts.codes import all_codes
from chaincut.facts.models import FactsDocument
from tests.cli_helpers import FIXTURES

QR = FIXTURES / "web" / "qr"


def doc_of(name: str) -> FactsDocument:
    path = QR / name
    return extract_sample(make_sample(str(path), path.read_bytes())).document


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def pixel_bomb(width: int, height: int) -> bytes:
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 4096, 9)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", idat)
        + png_chunk(b"IEND", b"")
    )


def test_photographed_qr_in_a_screenshot() -> None:
    doc = doc_of("photo_url.jpg")
    assert doc.kind == "qr" and doc.format == "jpeg"
    assert doc.qr is not None and doc.qr.width == 540 and doc.qr.height == 960
    (code,) = doc.qr.codes
    assert code.payload == "https://t.cn/A6xQr9Zk" and code.payload_kind == "url"
    assert code.url == code.payload and len(code.position) == 8
    kinds = {(i.kind, i.value) for i in doc.indicators}
    assert {("url", "https://t.cn/A6xQr9Zk"), ("domain", "t.cn")} <= kinds


def test_payment_qr() -> None:
    doc = doc_of("pay_wxp.png")
    assert doc.qr is not None
    (code,) = doc.qr.codes
    assert code.payload_kind == "payment" and code.scheme == "wxp" and code.url is None
    assert ("payment", "wxp://f2f0Ab12Cd34Ef56Gh78") in {(i.kind, i.value) for i in doc.indicators}


def test_binary_payload_is_hex() -> None:
    doc = doc_of("binary.png")
    assert doc.qr is not None
    (code,) = doc.qr.codes
    assert code.payload_kind == "binary" and code.payload.startswith("hex:00070e")
    assert "qr_binary_payload" in {a.code for a in doc.anomalies}


def test_itms_qr_gives_manifest_indicators() -> None:
    doc = doc_of("itms.png")
    assert doc.qr is not None and doc.qr.codes[0].payload_kind == "itms_services"
    values = {i.value for i in doc.indicators}
    assert "https://ios-ccb.oss-cn-hangzhou.aliyuncs.com/install/manifest.plist" in values


def test_fallbacks_find_a_faint_code() -> None:
    img = qrcode.make("https://faint.test/a").get_image().convert("L")
    faint = img.point(lambda v: 150 if v < 128 else 170)  # low contrast
    buf = io.BytesIO()
    faint.save(buf, format="PNG")
    facts = read_qr(buf.getvalue(), Findings())
    assert [c.payload for c in facts.codes] == ["https://faint.test/a"]


def test_pixel_bombs_are_refused_quickly() -> None:
    for width, height in ((100_000, 100_000), (9000, 9000), (1, 60_000_000)):
        findings = Findings()
        started = time.process_time()  # CPU time: the guard is for work, not for load
        facts = read_qr(pixel_bomb(width, height), findings)
        assert time.process_time() - started < 2
        assert facts.codes == []
        assert "image_too_large" in {a.code for a in findings.anomalies}


def test_large_photo_is_scaled_down() -> None:
    img = Image.new("L", (5000, 4000), 255)
    img.paste(qrcode.make("https://big.test/").get_image().resize((1200, 1200)), (1800, 1400))
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    facts = read_qr(buf.getvalue(), Findings())
    assert [c.payload for c in facts.codes] == ["https://big.test/"]
    assert facts.width == 5000
    assert 1700 <= facts.codes[0].position[0] <= 2100  # mapped back to the original pixels


def test_broken_images() -> None:
    known = set(all_codes())
    png = io.BytesIO()
    qrcode.make("x").save(png)
    for buf in (b"\x89PNG\r\n\x1a\n", png.getvalue()[:200], b"GIF89a\x00", b"\xff\xd8\xff\xe0"):
        findings = Findings()
        facts = read_qr(buf, findings)
        assert facts.codes == []
        assert {a.code for a in findings.anomalies} <= known and findings.anomalies


def test_sniff_and_classify() -> None:
    assert image_format(b"\x89PNG\r\n\x1a\nxxxx") == "PNG"
    assert image_format(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "WEBP"
    assert image_format(b"BM" + b"\x00" * 12 + b"(" + b"\x00" * 20) == "BMP"
    assert image_format(b"BMW is a car") is None
    cases = {
        "alipays://platformapi/startapp?saId=10000007": "payment",
        "https://qr.alipay.com/fkx12345": "payment",
        "weixin://wxpay/bizpayurl?pr=abc": "payment",
        "upwallet://pay": "payment",
        "weixin://dl/business/?t=abc": "chat",
        "https://u.wechat.com/abc": "chat",
        "https://work.weixin.qq.com/ca/abc": "chat",
        "mqqapi://card/show_pslcard?uin=1": "chat",
        "WIFI:T:WPA;S:cafe;P:pw;;": "wifi",
        "itms-services://?action=download-manifest&url=https://a/b.plist": "itms_services",
        "https://evil.test/a.apk": "url",
        "hello 你好": "text",
    }
    for payload, kind in cases.items():
        assert classify(payload).kind == kind, payload
    assert classify("https://qr.alipay.com/fkx1").url == "https://qr.alipay.com/fkx1"
