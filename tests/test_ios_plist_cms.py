"""The hardened plist reader and the CMS reader on hand-made hostile inputs."""

from __future__ import annotations

import plistlib
import struct
from datetime import datetime

from chaincut.extractors.cms import read_signed_data
from chaincut.extractors.findings import Findings
from chaincut.extractors.ios.macho import read_macho
from chaincut.extractors.ios.provision import app_id_covers, distribution
from chaincut.extractors.plist import Limits, plist_to_json_safe, read_plist
from tests.ios_helpers import builder, fixture


def bplist(objects: list[bytes], top: int = 0, table_at: int | None = None) -> bytes:
    """A bplist00 from raw object encodings (1-byte offsets and references)."""
    body = b"bplist00"
    offsets = []
    for obj in objects:
        offsets.append(len(body))
        body += obj
    table = table_at if table_at is not None else len(body)
    trailer = struct.pack(">6xBBQQQ", 1, 1, len(objects), top, table)
    return body + bytes(offsets) + trailer


def _codes(f: Findings) -> set[str]:
    return {a.code for a in f.anomalies}


def test_xml_and_binary_agree_and_dates_become_iso() -> None:
    value = {"a": [1, 2.5, True, b"\x00\xff"], "d": datetime(2024, 1, 2, 3, 4, 5), "s": "中文"}
    for fmt in (plistlib.FMT_XML, plistlib.FMT_BINARY):
        f = Findings()
        p = read_plist(plistlib.dumps(value, fmt=fmt), f)
        assert p.ok and not f.anomalies
        assert p.value == {
            "a": [1, 2.5, True, b"\x00\xff"],
            "d": "2024-01-02T03:04:05Z",
            "s": "中文",
        }
    assert plist_to_json_safe(p.value) == (
        '{"a":[1,2.5,true,{"hex":"00ff","len":2}],"d":"2024-01-02T03:04:05Z","s":"中文"}'
    )
    assert plist_to_json_safe(float("inf")) == '"inf"'


def test_bplist_cycle_is_cut() -> None:
    # object 0: array [0, 1] (contains itself), object 1: ascii "x"
    f = Findings()
    p = read_plist(bplist([b"\xa2\x00\x01", b"\x51x"]), f)
    assert p.value == [None, "x"] and "plist_bplist_cycle" in _codes(f)


def test_bplist_bad_offsets_and_trailer() -> None:
    f = Findings()
    assert read_plist(bplist([b"\xa1\x05"]), f).format == "invalid"  # ref 5 of 1
    assert "plist_bplist_bad_offset" in _codes(f)
    f = Findings()
    assert read_plist(bplist([b"\x51x"], top=3), f).format == "invalid"
    assert "plist_bplist_bad_trailer" in _codes(f)
    f = Findings()
    assert read_plist(bplist([b"\x51x"], table_at=10_000), f).format == "invalid"
    assert "plist_bplist_bad_offset" in _codes(f)
    f = Findings()
    assert read_plist(bplist([b"\x5fx"]), f).format == "invalid"  # length marker missing
    f = Findings()
    assert read_plist(bplist([b"\x75"]), f).format == "invalid"
    assert "plist_bplist_unknown_type" in _codes(f)


def test_bplist_shared_subtree_is_bounded() -> None:
    # Each array holds the next one 15 times: 15^10 visits without a budget.
    objects = [bytes([0xAF, 0x10, 15]) + bytes([i + 1]) * 15 for i in range(10)] + [b"\x51x"]
    f = Findings()
    p = read_plist(bplist(objects), f, limits=Limits(max_objects=10_000))
    assert p.format == "invalid" and "plist_too_many_objects" in _codes(f)


def test_xml_entities_depth_and_garbage() -> None:
    evil = (
        b'<?xml version="1.0"?><!DOCTYPE plist [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]>'
        b"<plist><string>&b;</string></plist>"
    )
    f = Findings()
    assert read_plist(evil, f).format == "invalid" and "plist_entity" in _codes(f)
    f = Findings()
    deep = b"<plist>" + b"<array>" * 5000 + b"</array>" * 5000 + b"</plist>"
    assert read_plist(deep, f).ok and "plist_too_deep" in _codes(f)
    for junk in (b"<plist><dict><key>a</key>", b"\x00\x01garbage", b"<plist><foo/></plist>"):
        f = Findings()
        assert read_plist(junk, f).format == "invalid" and "plist_invalid" in _codes(f)
    f = Findings()
    assert read_plist(b"x" * 100, f, limits=Limits(max_size=10)).format == "invalid"
    assert "plist_too_large" in _codes(f)


def test_cms_trailing_indefinite_tampered() -> None:
    good = fixture("enterprise.mobileprovision")
    f = Findings()
    assert read_signed_data(good + b"APPENDED", f).signature_valid is True
    assert _codes(f) == {"cms_trailing_data"}
    length_bytes = good[1] & 0x7F
    ber = b"\x30\x80" + good[2 + length_bytes :] + b"\x00\x00"
    f = Findings()
    msg = read_signed_data(ber, f)
    assert msg.signature_valid is True and "cms_indefinite_length" in _codes(f)
    f = Findings()
    msg = read_signed_data(good.replace(b"ENT1234567 dist", b"ENT7654321 dist"), f)
    assert msg.signature_valid is False and "cms_digest_mismatch" in _codes(f)
    for cut in (10, len(good) // 2, len(good) - 1):
        f = Findings()
        msg = read_signed_data(good[:cut], f)
        assert msg.signature_valid is None and "cms_truncated" in _codes(f)
    f = Findings()
    assert read_signed_data(b"\x30\x03\x02\x01\x00", f).content is None
    assert "cms_invalid" in _codes(f)


def test_cms_without_content_or_signer() -> None:
    pki = builder().pki
    web = pki.web_pki()
    from asn1crypto import cms

    blob = pki.signed_data(b"<plist/>", web["signer"], [])
    info = cms.ContentInfo.load(blob)
    signed = info["content"]
    signed["encap_content_info"] = {"content_type": "data"}
    signed["signer_infos"] = []
    f = Findings()
    msg = read_signed_data(info.dump(force=True), f)
    assert msg.content is None and {"cms_no_content", "cms_no_signer"} <= _codes(f)
    assert len(msg.certificates) == 1


def test_distribution_rules_and_app_ids() -> None:
    assert distribution(True, 0, False) == "enterprise"
    assert distribution(False, 100, False) == "ad_hoc"
    assert distribution(False, 3, True) == "development"
    assert distribution(False, 0, False) == "app_store"
    assert distribution(False, 0, True) == "unknown"
    assert distribution(False, 5, None) == "unknown"
    assert app_id_covers("ABC.com.x.y", "com.x.y", ["ABC"])
    assert app_id_covers("ABC.*", "anything", ["ABC"])
    assert app_id_covers("ABC.com.x.*", "com.x.y", ["ABC"])
    assert not app_id_covers("ABC.com.x.*", "com.z.y", ["ABC"])
    assert not app_id_covers("ABC.com.other", "com.x.y", [])


def test_macho_thin_fat_and_hostile() -> None:
    content = builder().c
    assert read_macho(content.macho([], cryptid=1)).encrypted is True
    assert read_macho(content.fat([content.macho([]), content.macho([], 1)])).encrypted is True
    assert read_macho(content.macho([])).archs == ["arm64"]
    assert read_macho(b"\xca\xfe\xba\xbe\x00\x00\x00\x00").problem  # Java class-like
    assert read_macho(b"\xca\xfe\xba\xbe\x00\x00\x00\x01" + b"\xff" * 20).problem
    bad = bytearray(content.macho([]))
    bad[36:40] = struct.pack("<I", 3)  # load command size below 8
    assert read_macho(bytes(bad)).problem and read_macho(b"").encrypted is None
