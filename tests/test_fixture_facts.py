"""Each real fixture, through the whole extractor, shows what it was built to show."""

from __future__ import annotations

from pathlib import Path

import pytest

from chaincut.extractors.budget import Job, extract_file
from chaincut.facts.models import FactsDocument

FIXTURES = Path(__file__).parent / "fixtures" / "apk"


def _doc(name: str) -> FactsDocument:
    path = str(FIXTURES / name)
    return extract_file(Job(display=path, fspath=path)).document


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("fake_encryption_flag.apk", "fake_encryption_flag"),
        ("unknown_compression_method.apk", "unsupported_compression_method"),
        ("local_central_mismatch.apk", "local_header_mismatch"),
        ("truncated.apk", "truncated"),
        ("tampered_manifest_stringpool.apk", "stringpool_count_clamped"),
        ("tampered_signed_content.apk", "signing_digest_mismatch"),
        ("tampered_signed_content.apk", "v1_entry_digest_mismatch"),
        ("duplicate_entry.apk", "duplicate_name"),
        ("path_traversal.apk", "path_traversal_name"),
        ("zip_bomb_entry.apk", "compression_ratio_extreme"),
        ("data_prefix.apk", "data_before_first_entry"),
        ("data_prefix_unadjusted.apk", "data_before_first_entry"),
    ],
)
def test_malformation_is_evidence(name: str, code: str) -> None:
    doc = _doc(name)
    assert doc.kind == "apk" and doc.apk is not None
    assert doc.apk.package == "com.chaincut.fixture.base", "the package is still read"
    assert code in {a.code for a in doc.anomalies}
    assert not [e for e in doc.errors if "internal error" in e]


@pytest.mark.parametrize(
    ("name", "verified", "schemes", "certs"),
    [
        ("unsigned.apk", False, set(), 0),
        ("v1_only.apk", True, {"v1"}, 1),
        ("v2v3.apk", True, {"v1", "v2", "v3"}, 1),
        ("v3_rotated.apk", True, {"v1", "v2", "v3"}, 2),
        ("two_signers.apk", True, {"v1", "v2"}, 2),
        ("tampered_signed_content.apk", False, {"v1", "v2"}, 1),
    ],
)
def test_signing_variants(name: str, verified: bool, schemes: set[str], certs: int) -> None:
    doc = _doc(name)
    assert doc.apk is not None
    signing = doc.apk.signing
    assert signing.verified is verified, signing.reason
    assert {k for k, v in signing.schemes.items() if v} == schemes
    assert len(signing.certificates) == certs
    if name == "unsigned.apk":
        assert signing.reason.startswith("not signed")


def test_rotation_lineage_oldest_first() -> None:
    doc = _doc("v3_rotated.apk")
    assert doc.apk is not None
    v3 = next(s for s in doc.apk.signing.signers if s.scheme == "v3")
    assert len(v3.lineage) == 2
    assert v3.certificates[0] == v3.lineage[-1], "the current signer is the newest key"


def test_labels_icon_metadata_and_indicators() -> None:
    doc = _doc("labels_locales.apk")
    apk = doc.apk
    assert apk is not None
    assert apk.label == "Fixture Wallet"
    assert apk.labels["zh-rCN"] == "夹具钱包" and apk.labels["ja"] == "フィクスチャ財布"
    assert apk.meta_data["UMENG_APPKEY"] == "5f1e2d3c4b5a69788796a5b4"  # via @string
    assert apk.icon is not None and apk.icon.best and apk.icon.best_sha256
    assert apk.icon.best.startswith("res/mipmap-xxhdpi")
    assert apk.icon.adaptive_foreground == "res/drawable/ic_launcher_foreground.xml"
    assert apk.dex and apk.dex[0].classes == 5
    found = {(i.kind, i.value) for i in doc.indicators}
    assert ("ip", "47.96.1.2") in found
    assert ("domain", "example-fraud.top") in found
    assert ("url", "http://api.example-fraud.top/v1/login") in found
    assert ("email", "support@example-fraud.top") in found
    assert ("package", "com.chaincut.fixture.labels") in found
    assert any(k == "cert_sha256" for k, _ in found)


def test_icon_bytes_travel_as_a_blob() -> None:
    path = str(FIXTURES / "labels_locales.apk")
    result = extract_file(Job(display=path, fspath=path))
    icon = result.document.apk.icon if result.document.apk else None
    assert icon is not None and icon.best_sha256 in result.blobs
    assert result.blobs[icon.best_sha256].startswith(b"\x89PNG")


def test_standalone_dex() -> None:
    doc = _doc("../apk/sample.dex")
    assert doc.kind == "dex" and doc.dex is not None and doc.dex.strings > 0


def test_dex_length_bytes_do_not_glue_onto_hosts(tmp_path: Path) -> None:
    """A 70-char DEX string's length byte is 0x46 ('F'); it must not become part of a host."""
    import zipfile

    from tests.dex_build import DexSpec, build

    host = "api.example-fraud.top"
    text = host + "/" + "x" * (70 - len(host) - 1)
    assert len(text) == 70
    dex = build(DexSpec(strings=[text]))
    apk = tmp_path / "glue.apk"
    with zipfile.ZipFile(apk, "w") as z:
        z.writestr("classes.dex", dex)
    doc = extract_file(Job(display=str(apk), fspath=str(apk))).document
    domains = {i.value for i in doc.indicators if i.kind == "domain"}
    assert "example-fraud.top" in domains, domains
    assert not any(d.startswith("F") for d in domains), domains
