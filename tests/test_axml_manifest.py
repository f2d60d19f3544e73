"""Binary XML tolerance and manifest facts, on crafted documents and real fixtures."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

from chaincut.extractors.apk.axml import parse_axml
from chaincut.extractors.apk.manifest import read_manifest
from chaincut.extractors.findings import Findings

FIXTURES = Path(__file__).parent / "fixtures" / "apk"
NS = "http://schemas.android.com/apk/res/android"


def _pool(strings: list[str]) -> bytes:
    """A UTF-16 string pool chunk."""
    offsets, data = [], b""
    for s in strings:
        offsets.append(len(data))
        enc = s.encode("utf-16-le")
        data += struct.pack("<H", len(s)) + enc + b"\0\0"
    data += b"\0" * (-len(data) % 4)
    header = 28
    start = header + 4 * len(strings)
    body = struct.pack(f"<{len(strings)}I", *offsets) + data
    return (
        struct.pack("<HHIIIIII", 1, header, header + len(body), len(strings), 0, 0, start, 0) + body
    )


def _resmap(ids: list[int]) -> bytes:
    return struct.pack("<HHI", 0x180, 8, 8 + 4 * len(ids)) + struct.pack(f"<{len(ids)}I", *ids)


def _start(
    name: int, attrs: list[tuple[int, int, int, int]], a_start: int = 20, a_size: int = 20
) -> bytes:
    """attrs: (name idx, raw idx, type, data)."""
    pad = b"\0" * (a_size - 20)
    body = b"".join(
        struct.pack("<IIIHBBI", 0xFFFFFFFF, n, raw, 8, 0, t, d) + pad for n, raw, t, d in attrs
    )
    gap = b"\0" * (a_start - 20)
    ext = struct.pack("<IIHHHHHH", 0xFFFFFFFF, name, a_start, a_size, len(attrs), 0, 0, 0)
    chunk = ext + gap + body
    return struct.pack("<HHIII", 0x102, 16, 16 + len(chunk), 1, 0xFFFFFFFF) + chunk


def _end(name: int) -> bytes:
    return struct.pack("<HHIIIII", 0x103, 16, 24, 1, 0xFFFFFFFF, 0xFFFFFFFF, name)


# strings: 0 package-attr-name, 1 versionCode, 2 manifest, 3 com.x, 4 uses-permission,
# 5 name, 6 android.permission.SEND_SMS, 7 bogus name used to lie about an id
STRINGS = ["versionCode", "name", "package", "manifest", "com.x", "uses-permission",
           "android.permission.SEND_SMS", "innocent"]  # fmt: skip


def _doc(root_type: int = 3, junk: bool = False, a_start: int = 20, a_size: int = 20,
         lie: bool = False) -> bytes:  # fmt: skip
    ids = [0x0101021B, 0x01010003]
    body = _pool(STRINGS) + _resmap(ids)
    if junk:
        body += struct.pack("<HHI", 0x7777, 8, 16) + b"JUNKJUNK"
    body += _start(3, [(2, 4, 3, 4), (0, 0xFFFFFFFF, 0x10, 77)], a_start, a_size)
    name_idx = 1 if not lie else 7  # index 7 is not in the resource map: no id at all
    perm_attrs = [(name_idx, 6, 3, 6)]
    body += _start(5, perm_attrs, a_start, a_size) + _end(5) + _end(3)
    return struct.pack("<HHI", root_type, 8, 8 + len(body)) + body


def test_clean_document() -> None:
    f = Findings()
    facts = read_manifest(parse_axml(_doc(), f), f)
    assert facts.package == "com.x" and facts.version_code == 77
    assert facts.permissions == ["android.permission.SEND_SMS"]
    assert not f.anomalies


def test_wrong_root_chunk_type_is_read_anyway() -> None:
    f = Findings()
    facts = read_manifest(parse_axml(_doc(root_type=0x0000), f), f)
    assert facts.package == "com.x"
    assert "axml_bad_root_chunk" in {a.code for a in f.anomalies}


def test_junk_chunk_is_skipped() -> None:
    f = Findings()
    facts = read_manifest(parse_axml(_doc(junk=True), f), f)
    assert facts.version_code == 77
    assert "axml_junk_chunk" in {a.code for a in f.anomalies}


def test_odd_attribute_size_is_honoured() -> None:
    f = Findings()
    facts = read_manifest(parse_axml(_doc(a_start=24, a_size=28), f), f)
    assert facts.package == "com.x" and facts.permissions == ["android.permission.SEND_SMS"]
    assert "axml_odd_attribute_size" in {a.code for a in f.anomalies}


def test_attribute_name_that_lies_about_its_id() -> None:
    # map index 1 says 0x01010003 (android:name) while the string says "name": consistent.
    # Swap the map so string 0 ("versionCode") carries the id of android:name.
    body = _doc().replace(
        struct.pack("<II", 0x0101021B, 0x01010003), struct.pack("<II", 0x01010003, 0x0101021B)
    )
    f = Findings()
    root = parse_axml(body, f)
    assert root is not None
    assert "axml_attribute_name_mismatch" in {a.code for a in f.anomalies}
    assert root.attributes[1].name == "name"  # the id wins, as in Android


def test_truncated_and_empty_documents() -> None:
    data = _doc()
    for cut in (0, 3, 8, 40, len(data) // 2, len(data) - 3):
        f = Findings()
        read_manifest(parse_axml(data[:cut], f), f)  # must not raise
        assert f.anomalies or cut == 0 or f.errors == []


def test_bad_string_pool_count_is_clamped() -> None:
    data = bytearray(_doc())
    struct.pack_into("<I", data, 8 + 8, 10_000)  # string count in the pool header
    f = Findings()
    parse_axml(bytes(data), f)
    assert "stringpool_count_clamped" in {a.code for a in f.anomalies}


def test_fixture_manifest_facts() -> None:
    with zipfile.ZipFile(FIXTURES / "labels_locales.apk") as z:
        data = z.read("AndroidManifest.xml")
    f = Findings()
    facts = read_manifest(parse_axml(data, f), f)
    assert facts.package == "com.chaincut.fixture.labels"
    assert facts.main_activity == "com.chaincut.fixture.labels.MainActivity"
    assert facts.debuggable is True and facts.allow_backup is False
    assert facts.uses_cleartext_traffic is True
    assert facts.meta_data["JPUSH_APPKEY"] == "a1b2c3d4e5f6a7b8c9d0e1f2"
    deep = next(c for c in facts.components if c.name.endswith("DeepLinkActivity"))
    (flt,) = deep.intent_filters
    assert flt.schemes == ["https"] and flt.hosts == ["pay.example-fraud.top"]
    service = next(c for c in facts.components if c.kind == "service")
    assert service.exported is False and service.effectively_exported is False
    receiver = next(c for c in facts.components if c.kind == "receiver")
    assert receiver.permission == "android.permission.BROADCAST_SMS"
    assert facts.declared_permissions[0]["protection_level"] == "signature"
