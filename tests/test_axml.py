"""The AXML decoder on crafted documents: the malformations Android tolerates and malware uses."""

from __future__ import annotations

import struct
from typing import Any

import pytest

from chaincut.extractors.apk.axml import XmlAttribute, XmlElement, parse_axml
from chaincut.extractors.apk.axml import attrs as A
from chaincut.extractors.apk.axml import parser as axml_parser
from chaincut.extractors.apk.axml import values as V
from chaincut.extractors.apk.manifest import read_manifest
from chaincut.extractors.findings import Findings
from tests.axml_builder import (
    ANDROID_NS,
    NO,
    T_BOOL,
    T_DEC,
    T_REF,
    T_STRING,
    attribute,
    chunk,
    document,
    end,
    manifest,
    resource_map,
    start,
    string_pool,
)

USES: Any = ("uses-permission", {"name": (A.NAME, T_STRING, "android.permission.SEND_SMS")}, [])
BASIC = {
    "versionCode": (A.VERSION_CODE, T_DEC, 42),
    "versionName": (A.VERSION_NAME, T_STRING, "1.2"),
    "package": (0, T_STRING, "com.example.app"),
}


def parse(buf: bytes) -> tuple[XmlElement | None, set[str]]:
    findings = Findings()
    root = parse_axml(buf, findings)
    return root, {a.code for a in findings.anomalies}


def simple(strings: list[str], *nodes: bytes, ids: list[int] | None = None, **kw: int) -> bytes:
    pieces = [string_pool(strings)]
    if ids is not None:
        pieces.append(resource_map(ids))
    return document(*pieces, *nodes, **kw)


def test_well_formed_manifest_reads_cleanly() -> None:
    root, codes = parse(manifest(BASIC, children=[USES]))
    assert root is not None and codes == set()
    assert root.name == "manifest"
    assert root.attr(A.VERSION_CODE) == XmlAttribute(ANDROID_NS, "versionCode", A.VERSION_CODE,
                                                     T_DEC, 42, None)  # fmt: skip
    assert root.attr_named("package") is not None
    assert [c.name for c in root.children] == ["uses-permission"]
    assert root.children[0].attr(A.NAME).as_str() == "android.permission.SEND_SMS"  # type: ignore[union-attr]


@pytest.mark.parametrize("doc_type", [0x0000, 0x0001, 0xBEEF])
def test_wrong_document_chunk_type_is_parsed_like_android(doc_type: int) -> None:
    """ResXMLTree::setTo never checks the header type; packers exploit that."""
    root, codes = parse(manifest(BASIC, children=[USES], doc_type=doc_type))
    assert "axml_bad_root_chunk" in codes
    assert root is not None and root.children[0].name == "uses-permission"
    assert read_manifest(root, Findings()).package == "com.example.app"


def test_junk_chunks_are_skipped_by_size() -> None:
    junk = chunk(0x7777, struct.pack("<II", 0, 0), b"\xde\xad\xbe\xef" * 3)
    node_junk = chunk(0x0150, struct.pack("<II", 0, 0), b"\x00" * 8)  # in the XML node range
    buf = simple(["a", "b"], junk, start(NO, 0, []), node_junk, junk, start(NO, 1, []),
                 end(NO, 1), end(NO, 0))  # fmt: skip
    root, codes = parse(buf)
    assert "axml_junk_chunk" in codes
    assert root is not None and [c.name for c in root.children] == ["b"]


def test_string_pool_count_that_lies_is_clamped() -> None:
    pool = string_pool(["root", "child"], claimed=100_000)
    root, codes = parse(document(pool, start(NO, 0, []), start(NO, 1, []), end(NO, 1), end(NO, 0)))
    assert "stringpool_count_clamped" in codes
    assert root is not None and root.name == "root" and root.children[0].name == "child"


def test_odd_attribute_start_and_size_are_honoured() -> None:
    """attributeStart 24 and attributeSize 28: Android places attribute i at start + 28*i."""
    strings = ["name", "e", "x", "y"]
    a0 = attribute(NO, 0, 2, T_STRING, 2) + b"\xaa" * 8
    a1 = attribute(NO, 0, 3, T_STRING, 3) + b"\xbb" * 8
    el = start(NO, 1, [a0, a1], a_start=24, a_size=28, pad=b"\xcc" * 4)
    root, codes = parse(simple(strings, el, end(NO, 1)))
    assert "axml_odd_attribute_size" in codes
    assert root is not None and [a.as_str() for a in root.attributes] == ["x", "y"]


def test_attribute_size_zero_repeats_the_first_attribute() -> None:
    strings = ["name", "e", "x"]
    el = start(NO, 1, [attribute(NO, 0, 2, T_STRING, 2)], a_size=0, count=3)
    root, codes = parse(simple(strings, el, end(NO, 1)))
    assert "axml_odd_attribute_size" in codes
    assert root is not None and [a.raw for a in root.attributes] == ["x", "x", "x"]


def test_name_string_that_lies_loses_to_the_resource_id() -> None:
    """ "package2" carrying versionCode's id is versionCode on Android."""
    buf = manifest({"package2": (A.VERSION_CODE, T_DEC, 7), "package": (0, T_STRING, "a.b")})
    root, codes = parse(buf)
    assert "axml_attribute_name_mismatch" in codes
    assert root is not None
    attr = root.attr(A.VERSION_CODE)
    assert attr is not None and attr.name == "versionCode" and attr.pool_name == "package2"
    assert read_manifest(root, Findings()).version_code == 7


def test_empty_names_are_summarized_once() -> None:
    ids = [A.NAME, A.LABEL, A.ICON]
    attrs = [attribute(NO, i, NO, T_DEC, i) for i in range(3)]
    root, _codes = parse(simple(["", "", "", "e"], start(NO, 3, attrs), end(NO, 3), ids=ids))
    findings = Findings()
    parse_axml(simple(["", "", "", "e"], start(NO, 3, attrs), end(NO, 3), ids=ids), findings)
    mismatches = [a for a in findings.anomalies if a.code == "axml_attribute_name_mismatch"]
    assert len(mismatches) == 1 and "3 attributes" in mismatches[0].detail
    assert root is not None and [a.name for a in root.attributes] == ["name", "label", "icon"]


def test_truncation_keeps_what_was_read() -> None:
    full = manifest(BASIC, children=[USES, USES])
    for cut in range(0, len(full), 7):
        findings = Findings()
        parse_axml(full[:cut], findings)  # never raises
    root, codes = parse(full[: len(full) - 40])  # inside the closing tag of <manifest>
    assert root is not None and root.name == "manifest"
    assert {"axml_truncated", "axml_chunk_overrun"} & codes
    assert "axml_unbalanced" in codes


def test_overrunning_chunk_size_resyncs_at_next_element() -> None:
    bad = bytearray(start(NO, 1, []))
    struct.pack_into("<I", bad, 4, 0x7FFFFFF0)  # size field runs far past the end
    buf = simple(["r", "hidden", "after"], start(NO, 0, []), bytes(bad), end(NO, 1),
                 start(NO, 2, []), end(NO, 2), end(NO, 0))  # fmt: skip
    root, codes = parse(buf)
    assert {"axml_chunk_overrun", "axml_resync"} <= codes
    assert root is not None and [c.name for c in root.children] == ["hidden", "after"]


def test_unbalanced_end_tags_follow_android_depth_rules() -> None:
    buf = simple(["r", "a", "b"], start(NO, 0, []), start(NO, 1, []), end(NO, 2), end(NO, 0),
                 end(NO, 0), start(NO, 2, []), end(NO, 2))  # fmt: skip
    root, codes = parse(buf)
    assert "axml_unbalanced" in codes
    assert root is not None and root.name == "r" and [c.name for c in root.children] == ["a"]


def test_short_resource_map_and_bad_indices() -> None:
    strings = ["name", "label", "e"]
    ns_attr = [
        attribute(0xFFFF, 0, 2, T_STRING, 2),  # namespace index out of range
        attribute(NO, 1, 2, T_STRING, 2),
        attribute(NO, 99, 2, T_STRING, 2),  # name index out of range
    ]
    root, codes = parse(simple([*strings, ANDROID_NS], start(NO, 2, ns_attr), end(NO, 2),
                               ids=[A.NAME]))  # fmt: skip
    assert "axml_bad_string_index" in codes
    assert root is not None
    assert [a.resource_id for a in root.attributes] == [A.NAME, None, None]
    assert root.attributes[2].name == ""
    strings4 = ["name", "e", ANDROID_NS]
    el = start(NO, 1, [attribute(2, 0, 1, T_STRING, 1)])
    _root, codes = parse(simple(strings4, el, end(NO, 1)))
    assert "axml_no_resource_map" in codes


def test_last_string_pool_before_first_node_wins() -> None:
    buf = document(string_pool(["first"]), string_pool(["second"]), start(NO, 0, []), end(NO, 0))
    root, codes = parse(buf)
    assert root is not None and root.name == "second"
    assert "axml_extra_string_pool" in codes


def test_typed_string_beats_raw_string_for_framework_attributes() -> None:
    strings = ["name", "e", "com.decoy.Name", "com.real.Name"]
    el = start(NO, 1, [attribute(NO, 0, 2, T_STRING, 3)])
    root, codes = parse(simple(strings, el, end(NO, 1), ids=[A.NAME]))
    assert "axml_raw_value_mismatch" in codes
    assert root is not None and root.attributes[0].as_str() == "com.real.Name"


def test_element_cap_stops_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(axml_parser, "MAX_ELEMENTS", 3)
    kids = [USES] * 10
    root, codes = parse(manifest(BASIC, children=kids))
    assert "axml_too_many_elements" in codes
    assert root is not None and len(root.children) == 2


@pytest.mark.parametrize("buf", [b"", b"\x03\x00", b"\x03\x00\x08\x00\x08\x00\x00\x00"])
def test_empty_documents(buf: bytes) -> None:
    root, codes = parse(buf)
    assert root is None and codes


def test_reference_and_typed_value_helpers() -> None:
    ref = XmlAttribute(ANDROID_NS, "label", A.LABEL, T_REF, 0x7F040001, None)
    assert ref.is_reference() and ref.as_str() == "@0x7f040001" and ref.as_int() is None
    assert not XmlAttribute(None, "x", None, T_REF, 0, None).is_reference()
    neg = XmlAttribute(None, "x", None, T_DEC, 0xFFFFFFFF, None)
    assert neg.as_int() == -1 and neg.as_str() == "-1" and neg.as_bool() is True
    assert XmlAttribute(None, "b", None, T_BOOL, 0, None).as_str() == "false"
    assert XmlAttribute(None, "s", None, T_STRING, 0, "0x10").as_int() == 16
    assert XmlAttribute(None, "s", None, T_STRING, 0, "yes").as_bool() is False
    assert XmlAttribute(None, "s", None, T_STRING, 0, "true").as_bool() is True


def test_value_formatting_matches_typedvalue() -> None:
    assert V.format_value(V.TYPE_FLOAT, 0x3DCCCCCD, None) == "0.1"
    assert V.format_value(V.TYPE_FLOAT, 0x3F800000, None) == "1.0"
    assert V.format_value(V.TYPE_FLOAT, 0x501502F9, None) == "1.0E10"
    assert V.format_value(V.TYPE_DIMENSION, (16 << 8) | 1, None) == "16.0dip"
    assert V.format_value(V.TYPE_FRACTION, (1 << 8) | 0, None) == "100.0%"
    assert V.format_value(V.TYPE_INT_HEX, 0x20, None) == "0x20"
    assert V.format_value(V.TYPE_INT_COLOR_ARGB8, 0xFF00FF00, None) == "#ff00ff00"
    assert V.format_value(V.TYPE_ATTRIBUTE, 0x01010000, None) == "?0x01010000"


def test_framework_table_has_the_manifest_ids() -> None:
    expected = {
        A.NAME: "name", A.LABEL: "label", A.ICON: "icon", A.PERMISSION: "permission",
        A.EXPORTED: "exported", A.ENABLED: "enabled", A.VERSION_CODE: "versionCode",
        A.VERSION_NAME: "versionName", A.MIN_SDK: "minSdkVersion",
        A.TARGET_SDK: "targetSdkVersion", A.MAX_SDK: "maxSdkVersion",
        A.COMPILE_SDK: "compileSdkVersion", A.DEBUGGABLE: "debuggable",
        A.ALLOW_BACKUP: "allowBackup", A.USES_CLEARTEXT: "usesCleartextTraffic",
        A.NETWORK_SECURITY_CONFIG: "networkSecurityConfig", A.VALUE: "value",
        A.RESOURCE: "resource", A.AUTHORITIES: "authorities",
        A.TARGET_ACTIVITY: "targetActivity", A.ROUND_ICON: "roundIcon",
        A.PROTECTION_LEVEL: "protectionLevel", A.AUTO_VERIFY: "autoVerify",
        A.SCHEME: "scheme", A.HOST: "host", A.PORT: "port", A.PATH: "path",
        A.PATH_PREFIX: "pathPrefix", A.PATH_PATTERN: "pathPattern", A.MIME_TYPE: "mimeType",
        A.PATH_SUFFIX: "pathSuffix", A.VERSION_CODE_MAJOR: "versionCodeMajor",
    }  # fmt: skip
    assert {k: A.NAMES[k] for k in expected} == expected
    assert len(A.NAMES) > 1500


def test_documents_without_ids_are_read_by_name() -> None:
    """No resource map at all: Android sees no android: attributes; we fall back to names."""
    strings = ["manifest", "versionCode", "package", "com.x.y", ANDROID_NS]
    el = start(NO, 0, [attribute(4, 1, NO, T_DEC, 9), attribute(NO, 2, 3, T_STRING, 3)])
    findings = Findings()
    root = parse_axml(simple(strings, el, end(NO, 0)), findings)
    assert "axml_no_resource_map" in {a.code for a in findings.anomalies}
    facts = read_manifest(root, findings)
    assert (facts.package, facts.version_code) == ("com.x.y", 9)


def test_unterminated_strings_are_read_by_length() -> None:
    """Geinimi-style injected strings without their NUL: Android 2.x read them; so do we."""
    pool = bytearray(string_pool(["evil.Receiver", "ok"]))
    terminator = pool.index("evil.Receiver".encode("utf-16-le")) + 26
    pool[terminator : terminator + 2] = b"X\x00"
    findings = Findings()
    root = parse_axml(document(bytes(pool), start(NO, 0, []), end(NO, 0)), findings)
    assert root is not None and root.name == "evil.Receiver"
    assert "stringpool_unterminated" in {a.code for a in findings.anomalies}
