"""Malformed iOS inputs through extract_sample: a document with anomalies, never an exception."""

from __future__ import annotations

import plistlib

from tests.ios_helpers import builder, codes, doc_of, fixture

_B = builder()
C, PKI = _B.c, _B.pki


def _ipa(files: list[tuple[str, bytes]]) -> bytes:
    data: bytes = C.zip_bytes(files)
    return data


def _info(**extra: object) -> bytes:
    data: bytes = C.plist(C.info_plist("com.x.y", "X", "X", **extra))
    return data


def test_payload_without_info_plist() -> None:
    doc = doc_of(_ipa([("Payload/X.app/X", C.macho([]))]))
    assert doc.kind == "ipa" and doc.ipa is not None
    assert doc.ipa.info_plist_format == "missing"
    assert {"ipa_info_plist_missing", "provision_missing"} <= codes(doc)


def test_payload_without_app_dir() -> None:
    doc = doc_of(_ipa([("Payload/readme.txt", b"x"), ("Payload/x.app/", b"")]))
    assert doc.kind == "ipa" and "ipa_info_plist_missing" in codes(doc)
    doc = doc_of(_ipa([("Payload/", b""), ("Other.app/Info.plist", _info())]))
    assert doc.kind == "ipa" and "ipa_no_app_dir" in codes(doc)


def test_two_apps_invalid_info_and_non_macho() -> None:
    files = [
        ("Payload/A.app/Info.plist", b"<plist><dict><key>x</key>"),
        ("Payload/A.app/X", b"not a mach-o"),
        ("Payload/B.app/Info.plist", _info()),
        ("Payload/B.app/X", b"MZ not a mach-o either"),
    ]
    doc = doc_of(_ipa(files))
    assert doc.ipa is not None and doc.ipa.app_dir == "Payload/A.app"
    assert doc.ipa.info_plist_format == "invalid"
    assert {"ipa_multiple_apps", "plist_invalid"} <= codes(doc)
    doc = doc_of(_ipa(files[2:]))
    assert doc.ipa is not None and doc.ipa.bundle_id == "com.x.y"
    assert "ipa_macho_invalid" in codes(doc)


def test_missing_executable_and_odd_types() -> None:
    info = C.plist({"CFBundleIdentifier": 5, "CFBundleURLTypes": "nope", "CFBundleExecutable": "Q"})
    doc = doc_of(_ipa([("Payload/A.app/Info.plist", info)]))
    assert doc.ipa is not None and doc.ipa.bundle_id is None and doc.ipa.url_schemes == []
    assert "ipa_executable_missing" in codes(doc)
    doc = doc_of(_ipa([("Payload/A.app/Info.plist", C.plist([1, 2]))]))
    assert "ipa_info_plist_not_dict" in codes(doc)


def test_profile_content_not_a_plist() -> None:
    apple = PKI.apple_pki()
    blob = PKI.signed_data(b"garbage DeveloperCertificates junk", apple["profile"], [])
    doc = doc_of(blob)
    assert doc.kind == "ipa" and doc.format == "mobileprovision"
    assert "provision_not_plist" in codes(doc)
    assert doc.ipa is not None and doc.ipa.provision is not None
    assert doc.ipa.provision.signer is not None
    doc = doc_of(PKI.signed_data(b"\x00\x01 nothing to see", apple["profile"], []))
    assert doc.kind == "mobileconfig" and "mobileconfig_not_plist" in codes(doc)


def test_truncated_and_tampered_profiles() -> None:
    good = fixture("enterprise.mobileprovision")
    doc = doc_of(good[: len(good) * 2 // 3])
    assert doc.kind == "ipa" and "cms_truncated" in codes(doc)
    ipa = doc_of(
        _ipa(
            [
                ("Payload/A.app/Info.plist", _info()),
                ("Payload/A.app/embedded.mobileprovision", good[:900]),
            ]
        )
    )
    assert "cms_truncated" in codes(ipa)
    signed = fixture("webclip_signed.mobileconfig")
    doc = doc_of(signed.replace(b"from=clip", b"from=clap"))
    assert doc.mobileconfig is not None and doc.mobileconfig.signature_valid is False
    assert "cms_digest_mismatch" in codes(doc)


def test_profile_unsigned_and_not_apple() -> None:
    bare = C.plist(C.profile_plist("T1", "T1.com.x", b"not a cert", devices=2))
    doc = doc_of(bare)
    assert {"provision_unsigned", "provision_bad_certificate"} <= codes(doc)
    assert doc.ipa is not None and doc.ipa.provision is not None
    assert doc.ipa.provision.distribution == "ad_hoc" and doc.ipa.provision.device_count == 2
    web = PKI.web_pki()
    doc = doc_of(PKI.signed_data(bare, web["signer"], []))
    assert "provision_signer_not_apple" in codes(doc)


def test_hostile_mobileconfig_plists() -> None:
    nested = b"<plist><dict><key>PayloadContent</key>" + b"<array>" * 3000
    doc = doc_of(nested)
    assert doc.kind == "mobileconfig" and {"plist_too_deep", "plist_invalid"} & codes(doc)
    cyclic = _cyclic_bplist()
    doc = doc_of(cyclic)
    assert doc.kind == "mobileconfig" and "plist_bplist_cycle" in codes(doc)
    entity = (
        b'<?xml version="1.0"?><!DOCTYPE plist [<!ENTITY a "PayloadContent">]>'
        b"<plist><dict><key>&a;</key><array/></dict></plist>"
    )
    assert "plist_entity" in codes(doc_of(entity))


def _cyclic_bplist() -> bytes:
    """{"PayloadContent": [<itself's array>]} with the array containing itself."""
    objs = [b"\xd1\x01\x02", b"\x5ePayloadContent", b"\xa1\x02"]
    body = b"bplist00"
    offsets = []
    for o in objs:
        offsets.append(len(body))
        body += o
    table = len(body)
    trailer = (
        b"\x00" * 6
        + bytes([1, 1])
        + len(objs).to_bytes(8, "big")
        + bytes(8)
        + table.to_bytes(8, "big")
    )
    return body + bytes(offsets) + trailer


def test_bad_payloads_and_certificates() -> None:
    profile = {
        "PayloadType": "Configuration",
        "PayloadContent": [
            "not a dict",
            {"PayloadIdentifier": "no.type"},
            {"PayloadType": "com.apple.security.root", "PayloadContent": b"garbage"},
            {"PayloadType": "com.apple.security.pkcs12", "PayloadContent": b"garbage"},
            {"PayloadType": "com.apple.webClip.managed", "URL": 7, "Icon": "not bytes"},
        ],
    }
    doc = doc_of(plistlib.dumps(profile))
    mc = doc.mobileconfig
    assert mc is not None and len(mc.payloads) == 3
    assert {"mobileconfig_bad_payload", "mobileconfig_bad_certificate"} <= codes(doc)
    assert mc.dangerous_payloads == ["com.apple.security.root"] and mc.web_clips == []


def test_itms_without_items() -> None:
    doc = doc_of(plistlib.dumps({"items": "x", "assets": []}))
    assert doc.format == "itms-manifest" and "itms_no_items" in codes(doc)
    doc = doc_of(plistlib.dumps({"items": [{"assets": [{"kind": "software-package"}, 5]}]}))
    assert doc.itms_manifest is not None and doc.itms_manifest.ipa_urls == []
    assert "itms_bad_asset" in codes(doc)
