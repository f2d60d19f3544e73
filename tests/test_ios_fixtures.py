"""End to end: every iOS fixture through extract_sample, against what the builder put in."""

from __future__ import annotations

import hashlib

import pytest

from chaincut.extractors.dispatch import extract_sample, make_sample
from tests.ios_helpers import builder, codes, doc_of, expected, fixture, indicators

IPAS = ["enterprise.ipa", "adhoc_uniapp.ipa", "development.ipa", "appstore.ipa"]


def test_rebuild_is_byte_identical() -> None:
    built = builder().build()
    for name, data in built.items():
        assert hashlib.sha256(data).hexdigest() == expected()["sha256"][name], name
        assert fixture(name) == data, f"{name} differs from a fresh build"
        assert len(data) < 50_000


@pytest.mark.parametrize("name", IPAS)
def test_ipa_profiles(name: str) -> None:
    want = expected()["ipa"][name]
    doc = doc_of(fixture(name), name)
    assert (doc.kind, doc.format) == ("ipa", "zip")
    ipa = doc.ipa
    assert ipa is not None and ipa.provision is not None
    prov = ipa.provision
    assert ipa.bundle_id == want["bundle_id"]
    assert prov.distribution == want["distribution"]
    assert prov.device_count == want["devices"]
    assert prov.team_id == want["team"]
    assert ipa.encrypted is want["encrypted"]
    assert prov.cms_signed and prov.signer is not None and prov.signature_valid is True
    assert prov.signer.sha256 == expected()["certs"]["profile"]
    assert [c.sha256 for c in prov.certificates] == [expected()["certs"][want["team"]]]
    assert indicators(doc, "bundle_id") == [want["bundle_id"]]
    assert indicators(doc, "team_id") == [want["team"]]
    assert indicators(doc, "cert_sha256") == [expected()["certs"][want["team"]]]
    assert ipa.code_signature is (name != "development.ipa")


def test_enterprise_ipa_details() -> None:
    doc = doc_of(fixture("enterprise.ipa"))
    ipa = doc.ipa
    assert ipa is not None and ipa.provision is not None
    assert ipa.display_name == "工商银行"
    assert ipa.localized_names == {"zh-Hans": "工商银行", "en": "ICBC Mobile"}
    assert (ipa.version, ipa.build, ipa.minimum_os) == ("1.0.3", "103", "12.0")
    assert ipa.url_schemes == ["fakebank", "wx5f3b2a1c"]
    assert ipa.queried_schemes == ["alipay", "weixin", "mqq"]
    assert ipa.ats_arbitrary_loads and ipa.ats_exception_domains == ["api.fakebank-cn.top"]
    assert set(ipa.usage_descriptions) == {"NSCameraUsageDescription", "NSContactsUsageDescription"}
    assert ipa.frameworks == ["Alamofire.framework", "libswiftCore.dylib"]
    assert ipa.icon_files == ["AppIcon60x60@2x.png", "AppIcon60x60@3x.png"]
    assert ipa.icon_crushed is True and ipa.info_plist_format == "xml"
    prov = ipa.provision
    assert prov.provisions_all_devices and prov.get_task_allow is False
    assert prov.entitlements["get-task-allow"] == "false"
    assert prov.entitlements["keychain-access-groups"] == '["ENT1234567.*"]'
    assert prov.expiration_date == "2099-01-01T00:00:00Z"
    assert indicators(doc, "url_scheme") == ["fakebank", "wx5f3b2a1c"]
    assert "http://47.96.12.34:8080/upload" in indicators(doc, "url")
    assert "47.96.12.34" in indicators(doc, "ip")
    assert {"fakebank-cn.top", "icbc-pay.xyz"} <= set(indicators(doc, "domain"))
    assert not doc.anomalies


def test_icon_blob_is_the_largest_png() -> None:
    result = extract_sample(make_sample("e.ipa", fixture("enterprise.ipa")))
    ipa = result.document.ipa
    assert ipa is not None and ipa.icon in result.blobs
    blob = result.blobs[ipa.icon]
    assert blob.startswith(b"\x89PNG") and blob[12:16] == b"CgBI"
    assert int.from_bytes(blob[32:36], "big") == 180  # IHDR width (after CgBI) of the @3x


def test_uniapp_markers_and_wildcard_app_id() -> None:
    doc = doc_of(fixture("adhoc_uniapp.ipa"))
    ipa = doc.ipa
    assert ipa is not None and ipa.provision is not None
    assert ipa.info_plist_format == "binary"
    assert "DCloudUTSFoundation.framework" in ipa.frameworks
    assert ipa.plugins == ["NotificationService.appex"]
    assert any("__UNI__A1B2C3D" in f for f in ipa.bundle_files)
    assert ipa.provision.application_identifier == "ADH7654321.*"
    assert "ipa_bundle_id_mismatch" not in codes(doc)
    assert "103.45.67.89" in indicators(doc, "ip")


def test_development_profile_expired_and_mismatched() -> None:
    doc = doc_of(fixture("development.ipa"))
    assert {"provision_expired", "ipa_bundle_id_mismatch"} <= codes(doc)
    expired = next(a for a in doc.anomalies if a.code == "provision_expired")
    assert "2021-01-01T00:00:00Z" in expired.detail and "2024-06-01T12:00:00Z" in expired.detail
    assert doc.ipa is not None and doc.ipa.provision is not None
    assert doc.ipa.provision.get_task_allow is True


def test_appstore_fat_binary_encrypted() -> None:
    ipa = doc_of(fixture("appstore.ipa")).ipa
    assert ipa is not None and ipa.encrypted is True
    assert "Flutter.framework" in ipa.frameworks
    assert any("Flutter.framework" in f for f in ipa.bundle_files)


def test_standalone_mobileprovision() -> None:
    doc = doc_of(fixture("enterprise.mobileprovision"))
    assert (doc.kind, doc.format) == ("ipa", "mobileprovision")
    assert doc.ipa is not None and doc.ipa.provision is not None
    assert doc.ipa.bundle_id is None and doc.ipa.provision.distribution == "enterprise"
    assert indicators(doc, "team_id") == ["ENT1234567"]
    assert not doc.anomalies


def test_unsigned_webclip() -> None:
    result = extract_sample(make_sample("w", fixture("webclip_unsigned.mobileconfig")))
    doc = result.document
    mc = doc.mobileconfig
    assert doc.kind == "mobileconfig" and mc is not None
    assert not mc.signed and mc.signer is None and mc.signature_valid is None
    url = expected()["webclip_url"]
    assert mc.web_clips == [url] and mc.dangerous_payloads == []
    clip = mc.payloads[0]
    assert (clip.label, clip.full_screen, clip.is_removable) == ("工商银行", True, False)
    assert clip.icon in result.blobs
    assert indicators(doc, "url") == [url]
    assert indicators(doc, "domain") == ["icbc-verify.top"]
    assert mc.display_name == "工商银行安全中心" and mc.profile_type == "Configuration"


def test_signed_webclip() -> None:
    doc = doc_of(fixture("webclip_signed.mobileconfig"))
    mc = doc.mobileconfig
    assert mc is not None and mc.signed and mc.signature_valid is True
    certs = expected()["certs"]
    assert mc.signer is not None and mc.signer.sha256 == certs["signer"]
    assert [c.sha256 for c in mc.signer_chain] == [certs["signer"], certs["ca"]]
    assert mc.web_clips == [expected()["webclip_url"]]
    assert certs["signer"] in indicators(doc, "cert_sha256")
    assert not doc.anomalies


def test_dangerous_payloads() -> None:
    doc = doc_of(fixture("rootca_vpn.mobileconfig"))
    mc = doc.mobileconfig
    assert mc is not None and mc.removal_disallowed is True
    assert mc.dangerous_payloads == [
        "com.apple.security.root",
        "com.apple.vpn.managed",
        "com.apple.proxy.http.global",
        "com.apple.dnsSettings.managed",
        "com.apple.mdm",
    ]
    assert all(p.risk for p in mc.payloads)
    root = mc.payloads[0]
    assert root.certificate is not None and root.certificate.self_signed
    assert root.certificate.sha256 == expected()["certs"]["ca"]
    assert mc.payloads[1].servers == ["vpn.secure-tunnel.xyz"]
    assert mc.payloads[2].servers == ["45.77.12.34"]
    assert {"45.77.12.34", "45.77.12.53"} <= set(indicators(doc, "ip"))
    assert "secure-tunnel.xyz" in indicators(doc, "domain")
    assert expected()["certs"]["ca"] in indicators(doc, "cert_sha256")


def test_itms_manifest() -> None:
    doc = doc_of(fixture("manifest.plist"))
    assert (doc.kind, doc.format) == ("other", "itms-manifest")
    m = doc.itms_manifest
    assert m is not None and m.bundle_id == "com.fakebank.mobile"
    assert m.ipa_urls == ["https://dl.icbc-verify.top/app/FakeBank.ipa"]
    assert [a.kind for a in m.assets] == ["software-package", "display-image", "full-size-image"]
    assert indicators(doc, "bundle_id") == ["com.fakebank.mobile"]
    assert m.ipa_urls[0] in indicators(doc, "url")


def test_text_renderer_sections() -> None:
    from io import StringIO

    from chaincut.render.facts_text import TextRenderer

    out = StringIO()
    for name in ["enterprise.ipa", "rootca_vpn.mobileconfig", "manifest.plist"]:
        TextRenderer().write(out, doc_of(fixture(name), name))
    text = out.getvalue()
    assert "profile enterprise (all devices), team ENT1234567" in text
    assert "dangerous" in text and "com.apple.mdm" in text
    assert "ipa https://dl.icbc-verify.top/app/FakeBank.ipa" in text
