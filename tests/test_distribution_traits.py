"""Traits added for distribution and linking: the role an indicator plays where it was
found, a QR code judged as the link it holds, and code hidden under a media name."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
import qrcode

from chaincut.detect.pipeline import ScanContext, scan_paths
from chaincut.extractors.apk.contents import unique_entries
from chaincut.extractors.apk.payloads import find_disguised
from chaincut.extractors.findings import Findings
from chaincut.extractors.zip import ZipArchive
from chaincut.knowledge.suffixes import is_risky_suffix
from chaincut.result.models import ScanResult
from tests.cli_helpers import FIXTURES


@pytest.fixture(scope="module")
def ctx() -> ScanContext:
    return ScanContext.load()


def _scan(ctx: ScanContext, *paths: Path) -> list[ScanResult]:
    return list(scan_paths([str(p) for p in paths], ctx, workers=1))


def _roles(result: ScanResult) -> dict[tuple[str, str], str | None]:
    return {(i.kind, i.value.casefold()): i.role for i in result.indicators}


def test_rented_signing_identities_belong_to_distributors(ctx: ScanContext) -> None:
    ios = FIXTURES / "ios"
    enterprise, appstore, profile = _scan(
        ctx, ios / "enterprise.ipa", ios / "appstore.ipa", ios / "webclip_signed.mobileconfig"
    )
    certs = [(r, i.role) for r in (enterprise, appstore, profile)
             for i in r.indicators if i.kind == "cert_sha256"]  # fmt: skip
    assert [role for _, role in certs] == ["distributor", "developer", "distributor"]
    # the backend an app talks to stays a server, whatever the channel
    assert _roles(enterprise)[("ip", "47.96.12.34")] == "server"


def test_delivery_hosts_belong_to_distributors(ctx: ScanContext) -> None:
    page, manifest = _scan(
        ctx, FIXTURES / "web" / "pages" / "loan_landing.html", FIXTURES / "ios" / "manifest.plist"
    )
    roles = _roles(page)
    assert roles[("domain", "jsyh-daikuan.top")] == "distributor"  # hosts the APK download
    assert roles[("wechat", "ccb_kefu888")] == "contact"
    assert _roles(manifest)[("domain", "icbc-verify.top")] == "distributor"


def _qr(tmp_path: Path, name: str, payload: str) -> Path:
    path = tmp_path / name
    qrcode.make(payload).save(path)
    return path


def test_qr_code_is_judged_as_the_link_it_holds(ctx: ScanContext, tmp_path: Path) -> None:
    lure = _qr(tmp_path, "lure.png", "https://kuaidai-icbc.vip/icbc/app/")
    official = _qr(tmp_path, "official.png", "https://www.icbc.com.cn/icbc/")
    plain = _qr(tmp_path, "plain.png", "https://shop-example.vip/menu/")
    bad, good, cheap = _scan(ctx, lure, official, plain)
    assert bad.kind == "qr" and bad.verdict in ("suspicious", "malicious")
    assert "distribution/brand-on-risky-suffix" in {e.rule for e in bad.evidence}
    assert good.verdict == "clean"
    assert cheap.verdict == "clean"  # a cheap suffix alone is not evidence


def test_risky_suffix_reads_the_last_label() -> None:
    assert is_risky_suffix("vip") and is_risky_suffix("com.top")
    assert not is_risky_suffix("com.cn") and not is_risky_suffix(None)


def _apk_bytes(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_code_hidden_under_a_media_name_is_reported() -> None:
    png = b"\x89PNG\r\n\x1a\n" + bytes(200)
    inner = _apk_bytes({"classes.dex": b"dex\n035\x00" + bytes(200)})
    buf = _apk_bytes({
        "assets/bg.jpg": inner,  # an APK named like a picture
        "assets/font.ttf": b"\x7fELF" + bytes(200),  # a native program named like a font
        "res/drawable/icon.png": png,  # a real picture
        "assets/readme.txt": b"dex\n" * 2,  # too short to hold code
    })  # fmt: skip
    findings = Findings()
    archive = ZipArchive.parse(buf, findings)
    assert find_disguised(archive, unique_entries(archive), findings) == 2
    hidden = sorted(
        a.location.entry or "" for a in findings.anomalies
        if a.code == "disguised_payload" and a.location
    )  # fmt: skip
    assert hidden == ["assets/bg.jpg", "assets/font.ttf"]
