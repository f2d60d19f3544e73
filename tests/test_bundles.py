"""Split and bundle packages (XAPK, APKS, APKM, AAB) become one APK facts document.

The fixtures in tests/fixtures/bundle/ are built by tests/fixtures/build_bundles.py with
aapt, aapt2, smali, zipalign and apksigner; hostile variants are made here from them.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from chaincut.extractors.apk.bundle import splits as splits_mod
from chaincut.extractors.apk.bundle.detect import bundle_format
from chaincut.extractors.apk.bundle.names import classify, name_from_file
from chaincut.extractors.apk.bundle.protobuf import ProtoError, encode_field, fields
from chaincut.extractors.apk.bundle.protoxml import MAX_DEPTH, parse_proto_xml
from chaincut.extractors.budget import Job, extract_file
from chaincut.extractors.findings import Findings
from chaincut.facts.models import FactsDocument

BUNDLES = Path(__file__).resolve().parent / "fixtures" / "bundle"
PACKAGE = "com.chaincut.fixture.bundle"
SPLIT_KINDS = {
    "config.arm64_v8a": ("abi", "arm64_v8a"),
    "config.xxhdpi": ("density", "xxhdpi"),
    "config.zh": ("language", "zh"),
    "feature_chat": ("feature", None),
}
CHAT = "com.chaincut.fixture.bundle.chat.ChatActivity"


def _doc(path: Path) -> FactsDocument:
    return extract_file(Job(display=str(path), fspath=str(path)), keep_blobs=False).document


def _codes(doc: FactsDocument) -> list[str]:
    return [a.code for a in doc.anomalies]


@pytest.mark.parametrize(
    ("name", "fmt"), [("sample.xapk", "xapk"), ("sample.apks", "apks"), ("sample.apkm", "apkm")]
)
def test_split_package_is_one_app(name: str, fmt: str) -> None:
    doc = _doc(BUNDLES / name)
    assert (doc.kind, doc.format) == ("apk", fmt)
    assert not doc.errors
    apk = doc.apk
    assert apk is not None and apk.bundle is not None
    assert (apk.package, apk.version_code, apk.min_sdk, apk.label) == (
        PACKAGE, 3, 21, "Chaincut Bundle",
    )  # fmt: skip
    base, *rest = apk.bundle.splits
    assert (base.kind, base.name, base.split_required) == ("base", None, True)
    assert {s.name: (s.kind, s.config) for s in rest} == SPLIT_KINDS
    # merged as installed: the feature split's activity joins, its permission does not
    assert CHAT in {c.name for c in apk.components}
    assert apk.permissions == ["android.permission.INTERNET"]
    assert "bundle_split_permission_ignored" in _codes(doc)
    assert apk.abis == ["arm64-v8a"]
    assert any(lib.endswith("!/lib/arm64-v8a/libbundle.so") for lib in apk.native_libs)
    assert len(apk.dex) == 2 and "zh" in apk.localized_strings
    # the launcher icon is named by the base and stored in the density split
    assert apk.icon is not None and apk.icon.best is not None
    assert "xxhdpi" in apk.icon.best.split("!/")[0] and apk.icon.best_sha256
    # every split carries its own verified signature by the base's key
    base_cert = apk.signing.certificates[0].sha256
    for split in apk.bundle.splits:
        assert split.signing is not None and split.signing.verified, split.entry
        assert split.signing.certificates[0].sha256 == base_cert
    assert "bundle_split_signer_mismatch" not in _codes(doc)
    # indicators from all of them, located inside the split they came from
    where = {i.value: i.location.entry if i.location else None for i in doc.indicators}
    assert where["https://base.bundle-fraud.top/api/v3"] == "classes.dex"
    assert where["https://zh.bundle-fraud.top/kefu"].endswith("!/resources.arsc")
    assert where["wss://chat.bundle-fraud.top/ws"].endswith("!/classes.dex")


def test_split_icon_bytes_travel_with_the_document() -> None:
    path = BUNDLES / "sample.xapk"
    result = extract_file(Job(display=str(path), fspath=str(path)), keep_blobs=True)
    icon = result.document.apk.icon if result.document.apk else None
    assert icon is not None and icon.best_sha256 in result.blobs


def test_xapk_metadata_and_obb_are_kept() -> None:
    apk = _doc(BUNDLES / "sample.xapk").apk
    assert apk is not None and apk.bundle is not None
    assert apk.bundle.metadata["package_name"] == PACKAGE
    assert apk.bundle.obb == [f"Android/obb/{PACKAGE}/main.3.{PACKAGE}.obb"]


def test_split_signed_by_another_key_is_reported_and_its_cert_kept() -> None:
    doc = _doc(BUNDLES / "mixed_signers.xapk")
    apk = doc.apk
    assert apk is not None and apk.bundle is not None
    mismatch = [a for a in doc.anomalies if a.code == "bundle_split_signer_mismatch"]
    assert [a.location.entry for a in mismatch if a.location] == ["feature_chat.apk"]
    feature = next(s for s in apk.bundle.splits if s.name == "feature_chat")
    assert feature.signing is not None
    other = feature.signing.certificates[0].sha256
    assert other != apk.signing.certificates[0].sha256
    assert other in {i.value for i in doc.indicators if i.kind == "cert_sha256"}


@pytest.mark.skipif(shutil.which("apksigner") is None, reason="apksigner is not installed")
def test_split_signatures_agree_with_apksigner(tmp_path: Path) -> None:
    apk = _doc(BUNDLES / "mixed_signers.xapk").apk
    assert apk is not None and apk.bundle is not None
    with zipfile.ZipFile(BUNDLES / "mixed_signers.xapk") as zf:
        for split in apk.bundle.splits:
            path = tmp_path / Path(split.entry).name
            path.write_bytes(zf.read(split.entry))
            proc = subprocess.run(
                ["apksigner", "verify", "--print-certs", str(path)],
                capture_output=True, text=True, timeout=120, check=False,
            )  # fmt: skip
            digest = next(
                line.rsplit(" ", 1)[-1]
                for line in proc.stdout.splitlines()
                if "certificate SHA-256 digest" in line
            )
            assert split.signing is not None
            assert split.signing.verified == (proc.returncode == 0)
            assert split.signing.certificates[0].sha256 == digest


def test_app_bundle_reads_its_proto_manifests() -> None:
    doc = _doc(BUNDLES / "sample.aab")
    apk = doc.apk
    assert (doc.kind, doc.format) == ("apk", "aab") and apk is not None
    assert not doc.errors and not doc.anomalies
    assert (apk.package, apk.version_code, apk.version_name) == (PACKAGE, 3, "1.3")
    assert apk.label == "Chaincut Bundle"  # resolved through base/resources.pb
    assert (apk.min_sdk, apk.target_sdk) == (21, 29)
    assert apk.main_activity == "com.chaincut.fixture.bundle.MainActivity"
    assert CHAT in {c.name for c in apk.components}
    assert apk.permissions == ["android.permission.INTERNET"]
    assert [d.name for d in apk.dex] == ["base/dex/classes.dex", "feature_chat/dex/classes.dex"]
    assert apk.abis == ["arm64-v8a"]
    assert apk.signing.verified and apk.signing.schemes["v1"]
    assert apk.bundle is not None
    assert [(s.entry, s.kind) for s in apk.bundle.splits] == [
        ("base/", "base"), ("feature_chat/", "feature"),
    ]  # fmt: skip
    assert apk.bundle.splits[1].permissions == ["android.permission.READ_SMS"]
    values = {i.value for i in doc.indicators}
    assert {"https://aab.bundle-fraud.top/channel", "wss://chat.bundle-fraud.top/ws"} <= values


def _rewrite(src: Path, out: Path, changes: dict[str, bytes | None]) -> Path:
    """A copy of a bundle with entries replaced (None drops one) or added."""
    buf = io.BytesIO()
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(buf, "w") as zout:
        for info in zin.infolist():
            if info.filename not in changes:
                zout.writestr(info, zin.read(info))
        for name, data in changes.items():
            if data is not None:
                zout.writestr(name, data)
    out.write_bytes(buf.getvalue())
    return out


def _mark_encrypted(src: Path, out: Path) -> Path:
    """Set the 'encrypted' flag of every .apk entry in local and central headers."""
    data = bytearray(src.read_bytes())
    with zipfile.ZipFile(src) as zf:
        infos = [i for i in zf.infolist() if i.filename.endswith(".apk")]
    for info in infos:
        data[info.header_offset + 6] |= 0x1
        name = info.filename.encode()
        central = data.find(b"PK\x01\x02", data.rfind(b"PK\x05\x06") - 65536)
        while central != -1:
            if data[central + 46 : central + 46 + len(name)] == name:
                data[central + 8] |= 0x1
            central = data.find(b"PK\x01\x02", central + 4)
    out.write_bytes(bytes(data))
    return out


def test_malformed_metadata_still_reads_the_apks(tmp_path: Path) -> None:
    path = _rewrite(BUNDLES / "sample.xapk", tmp_path / "x.xapk", {"manifest.json": b"{not json"})
    doc = _doc(path)
    assert doc.format == "xapk" and "bundle_metadata_malformed" in _codes(doc)
    assert doc.apk is not None and doc.apk.package == PACKAGE


def test_metadata_naming_another_app_is_reported(tmp_path: Path) -> None:
    meta = json.dumps({"package_name": "com.other.app", "version_code": "3"}).encode()
    doc = _doc(_rewrite(BUNDLES / "sample.xapk", tmp_path / "m.xapk", {"manifest.json": meta}))
    assert "bundle_metadata_mismatch" in _codes(doc)


def test_nested_bundle_and_non_apk_split_are_anomalies(tmp_path: Path) -> None:
    inner = (BUNDLES / "sample.apks").read_bytes()
    path = _rewrite(
        BUNDLES / "sample.xapk",
        tmp_path / "n.xapk",
        {"config.x86.apk": b"MZ this is not an APK", "inner.apk": inner},
    )
    doc = _doc(path)
    codes = _codes(doc)
    assert "bundle_nested" in codes and "bundle_split_not_apk" in codes
    assert doc.apk is not None and doc.apk.bundle is not None
    assert len(doc.apk.bundle.splits) == 5


def test_zip_bomb_split_stops_at_the_budget(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(splits_mod, "MAX_SPLIT_BYTES", 1 << 20)
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("classes.dex", bytes(4 << 20))
    path = _rewrite(BUNDLES / "sample.xapk", tmp_path / "b.xapk", {})
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("config.armeabi.apk", bomb.getvalue() + bytes(4 << 20))
    doc = _doc(path)
    assert "bundle_split_unreadable" in _codes(doc)
    assert doc.apk is not None and doc.apk.package == PACKAGE


def test_too_many_splits_stop_at_the_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(splits_mod, "MAX_SPLITS", 2)
    doc = _doc(BUNDLES / "sample.xapk")
    assert "bundle_budget_exceeded" in _codes(doc)
    assert doc.apk is not None and doc.apk.bundle is not None
    assert len(doc.apk.bundle.splits) == 2


def test_encrypted_apkm_is_an_anomaly_not_a_crash(tmp_path: Path) -> None:
    doc = _doc(_mark_encrypted(BUNDLES / "sample.apkm", tmp_path / "e.apkm"))
    assert (doc.kind, doc.format) == ("apk", "apkm")
    assert "bundle_encrypted" in _codes(doc)
    assert doc.apk is not None and doc.apk.bundle is not None and doc.apk.bundle.encrypted
    assert doc.errors == ["no readable base APK in this APKM"]
    garbage = {n: b"\x8f" * 64 for n in ("base.apk", "split_config.zh.apk")}
    doc = _doc(_rewrite(BUNDLES / "sample.apkm", tmp_path / "g.apkm", garbage))
    assert "bundle_split_not_apk" in _codes(doc) and doc.apk is not None


def test_truncated_proto_manifest_is_an_anomaly(tmp_path: Path) -> None:
    with zipfile.ZipFile(BUNDLES / "sample.aab") as zf:
        manifest = zf.read("base/manifest/AndroidManifest.xml")
    cut = {"base/manifest/AndroidManifest.xml": manifest[: len(manifest) // 2]}
    doc = _doc(_rewrite(BUNDLES / "sample.aab", tmp_path / "t.aab", cut))
    assert doc.format == "aab" and "bundle_proto_xml_malformed" in _codes(doc)
    assert not [e for e in doc.errors if "internal error" in e]


def test_formats_are_told_by_content_not_name() -> None:
    assert bundle_format(["manifest.json", "base.apk"]) == "xapk"
    assert bundle_format(["toc.pb", "splits/base-master.apk"]) == "apks"
    assert bundle_format(["info.json", "base.apk"]) == "apkm"
    assert bundle_format(["base/manifest/AndroidManifest.xml", "BundleConfig.pb"]) == "aab"
    # an APK carrying a manifest.json and an embedded APK is still an APK
    assert bundle_format(["AndroidManifest.xml", "manifest.json", "assets/x.apk"]) is None
    assert bundle_format(["manifest.json", "readme.txt"]) is None


def test_split_names_say_what_they_serve() -> None:
    assert classify("config.arm64_v8a") == ("abi", "arm64_v8a", None)
    assert classify("config.xxxhdpi") == ("density", "xxxhdpi", None)
    assert classify("config.zh_TW") == ("language", "zh_TW", None)
    assert classify("feature_chat.config.hdpi") == ("density", "hdpi", "feature_chat")
    assert classify("feature_chat") == ("feature", None, "feature_chat")
    assert classify(None) == ("base", None, None)
    assert name_from_file("splits/base-xxhdpi.apk") == "config.xxhdpi"
    assert name_from_file("split_config.zh.apk") == "config.zh"
    assert name_from_file("splits/base-master.apk") == ""


def test_protobuf_reader_refuses_hostile_wire_data() -> None:
    for bad in (b"\x0a\x05ab", b"\xff" * 11, b"\x0b", b"\x00\x01"):
        with pytest.raises(ProtoError):
            list(fields(bad))
    good = encode_field(3, "manifest") + encode_field(5, 0x0101021B)
    assert [(n, w) for n, w, _ in fields(good)] == [(3, 2), (5, 0)]


def test_proto_xml_depth_is_bounded() -> None:
    element = encode_field(3, "leaf")
    for _ in range(MAX_DEPTH + 5):
        element = encode_field(3, "e") + encode_field(5, encode_field(1, element))
    findings = Findings()
    assert parse_proto_xml(encode_field(1, element), findings) is None
    assert [a.code for a in findings.anomalies] == ["bundle_proto_xml_malformed"]


def test_apks_standalones_are_alternatives_not_rival_bases(tmp_path: Path) -> None:
    with zipfile.ZipFile(BUNDLES / "sample.apks") as zf:
        base = zf.read("splits/base-master.apk")
    path = tmp_path / "standalones.apks"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("toc.pb", b"\x0a\x00")
        zf.writestr("standalones/standalone-arm64_v8a.apk", base)
        zf.writestr("standalones/standalone-x86.apk", base)
    doc = _doc(path)
    assert doc.format == "apks" and "bundle_multiple_base" not in _codes(doc)
    assert doc.apk is not None and doc.apk.bundle is not None
    assert [s.kind for s in doc.apk.bundle.splits] == ["base", "base"]
