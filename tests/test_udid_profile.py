"""'Profile Service' profiles: the UDID-collection step of super-signature distribution."""

from __future__ import annotations

import plistlib

from chaincut.detect.pipeline import ScanContext, scan_extraction
from chaincut.extractors.dispatch import extract_sample, make_sample

SERVICE = "https://sign.udid-fenfa.top/udid/receive?app=8812"


def profile(content: object, **extra: object) -> bytes:
    root = {
        "PayloadType": "Profile Service",
        "PayloadDisplayName": "获取UDID",
        "PayloadIdentifier": "com.fenfa.udid.profile",
        "PayloadUUID": "3C4DC7D2-E475-3375-489C-0BB8D737A653",
        "PayloadVersion": 1,
        "PayloadContent": content,
        **extra,
    }
    return plistlib.dumps(root)


def test_the_service_url_attributes_and_indicators_are_read() -> None:
    data = profile({"URL": SERVICE, "DeviceAttributes": ["UDID", "IMEI", "PRODUCT"],
                    "Challenge": "x"})
    result = extract_sample(make_sample("udid.mobileconfig", data))
    mc = result.document.mobileconfig
    assert mc is not None and not result.document.anomalies
    assert mc.profile_type == "Profile Service" and mc.payloads == []
    assert mc.udid_service == SERVICE
    assert mc.device_attributes == ["UDID", "IMEI", "PRODUCT"]
    found = {(i.kind, i.value) for i in result.document.indicators}
    assert {("url", SERVICE), ("domain", "udid-fenfa.top")} <= found
    scan = scan_extraction(result, ScanContext.load())
    rules = {e.rule: e for e in scan.evidence}
    assert SERVICE in (rules["ios/udid-collection"].detail or "")
    assert scan.verdict == "clean"  # one distribution trait alone is context
    assert scan.subject is not None and "UDID" in (scan.subject.distribution or "")


def test_an_ordinary_profile_has_no_udid_service() -> None:
    data = plistlib.dumps({
        "PayloadType": "Configuration", "PayloadIdentifier": "com.x", "PayloadVersion": 1,
        "PayloadUUID": "1", "PayloadContent": [{
            "PayloadType": "com.apple.webClip.managed", "URL": "https://h5.udid-fenfa.top/",
            "Label": "x", "PayloadIdentifier": "com.x.clip", "PayloadUUID": "2",
            "PayloadVersion": 1}],
    })  # fmt: skip
    result = extract_sample(make_sample("clip.mobileconfig", data))
    assert result.document.mobileconfig is not None
    assert result.document.mobileconfig.udid_service is None
    scan = scan_extraction(result, ScanContext.load())
    assert "ios/udid-collection" not in {e.rule for e in scan.evidence}


def test_a_service_without_url_or_content_is_reported_not_raised() -> None:
    for content in ({"DeviceAttributes": ["UDID"]}, ["not", "a", "dict"], "text"):
        result = extract_sample(make_sample("udid.mobileconfig", profile(content)))
        mc = result.document.mobileconfig
        assert mc is not None and mc.udid_service is None
        assert "mobileconfig_bad_payload" in {a.code for a in result.document.anomalies}


def test_a_service_url_that_is_no_web_address_is_reported_and_not_an_indicator() -> None:
    for raw in ("", "   ", "not a url", "/udid/receive", "javascript:alert(1)",
                "https://a.udid-fenfa.top/" + "x" * 3000):
        result = extract_sample(make_sample("udid.mobileconfig", profile({"URL": raw})))
        mc = result.document.mobileconfig
        assert mc is not None and mc.udid_service is None, raw
        assert "mobileconfig_bad_payload" in {a.code for a in result.document.anomalies}
        assert not [i for i in result.document.indicators if i.kind == "url"], raw
        scan = scan_extraction(result, ScanContext.load())
        assert "ios/udid-collection" not in {e.rule for e in scan.evidence}
    spaced = extract_sample(make_sample("u.mobileconfig", profile({"URL": f"  {SERVICE}\n"})))
    assert spaced.document.mobileconfig is not None
    assert spaced.document.mobileconfig.udid_service == SERVICE
