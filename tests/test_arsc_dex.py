"""resources.arsc lookups and the DEX reader, against fixtures, androguard and crafted damage."""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path

import pytest

from chaincut.extractors.apk.arsc import ResourceTable
from chaincut.extractors.dex import DexFile, dex_facts
from chaincut.extractors.dex.mutf8 import decode_lenient
from chaincut.extractors.findings import Findings
from tests.corpus import corpus_dir

FIXTURES = Path(__file__).parent / "fixtures" / "apk"


def _arsc(name: str = "labels_locales.apk") -> bytes:
    with zipfile.ZipFile(FIXTURES / name) as z:
        return z.read("resources.arsc")


def test_labels_in_every_locale() -> None:
    f = Findings()
    table = ResourceTable.parse(_arsc(), f)
    label_id = table.id_of("string", "app_name")
    assert label_id is not None
    labels = table.localized_strings(label_id)
    assert labels["default"] == "Fixture Wallet"
    assert labels["zh-rCN"] == "夹具钱包" and labels["zh-rTW"] == "夾具錢包"
    assert table.resolve_string(label_id, "ja") == "フィクスチャ財布"
    assert table.name_of(label_id) == "string/app_name"
    assert not f.anomalies


def test_icon_files_and_densities() -> None:
    table = ResourceTable.parse(_arsc(), Findings())
    icon = table.id_of("mipmap", "ic_launcher")
    assert icon is not None
    files = table.files_of(icon)
    densities = {d for _q, _p, d in files}
    assert {160, 240, 320, 480, 0xFFFE} <= densities
    assert any(p.endswith(".xml") for _q, p, _d in files)


def test_truncated_and_mangled_tables_never_raise() -> None:
    data = _arsc()
    for cut in range(0, len(data), max(1, len(data) // 60)):
        f = Findings()
        table = ResourceTable.parse(data[:cut], f)
        table.localized_strings(0x7F050000)
        table.files_of(0x7F030000)
        table.strings()
    bad = bytearray(data)
    struct.pack_into("<I", bad, 8, 7)  # package count lies
    f = Findings()
    ResourceTable.parse(bytes(bad), f)
    assert "arsc_package_count_mismatch" in {a.code for a in f.anomalies}


def test_reference_loop_is_cut() -> None:
    table = ResourceTable.parse(_arsc(), Findings())
    label_id = table.id_of("string", "app_name")
    assert label_id is not None
    # Point the label's default value at itself by rewriting its Res_value in place.
    raw = bytearray(_arsc())
    value = struct.pack("<HBBI", 8, 0, 3, 0)
    pos = -1
    for qualifier, v in table.values(label_id):
        if qualifier == "":
            pos = raw.find(struct.pack("<HBBI", 8, 0, v.data_type, v.data))
    assert pos > 0 and value
    struct.pack_into("<HBBI", raw, pos, 8, 0, 1, label_id)
    f = Findings()
    looped = ResourceTable.parse(bytes(raw), f)
    assert looped.resolve_string(label_id) is None
    assert "arsc_reference_loop" in {a.code for a in f.anomalies}


def test_mutf8_edge_cases() -> None:
    assert decode_lenient(b"a\xc0\x80b") == "a\x00b"
    assert decode_lenient(b"\xed\xa0\xbd\xed\xb8\x80") == "\U0001f600"  # surrogate pair
    assert decode_lenient(b"\xff\xfe") == "\ufffd\ufffd"
    assert decode_lenient("中文".encode()) == "中文"


def _fixture_dex() -> bytes:
    return (FIXTURES / "sample.dex").read_bytes()


def test_dex_facts_of_fixture() -> None:
    f = Findings()
    facts = dex_facts(DexFile.parse(_fixture_dex(), f, name="sample.dex"))
    assert facts.strings > 5 and facts.classes >= 1 and facts.checksum_ok
    assert facts.version == "035"
    assert not f.anomalies


@pytest.mark.parametrize(
    ("patch", "code"),
    [
        (lambda b: struct.pack_into("<I", b, 8, 0xDEADBEEF), "dex_bad_checksum"),
        (lambda b: struct.pack_into("<I", b, 40, 0x78563412), "dex_reverse_endian"),
        (lambda b: struct.pack_into("<I", b, 40, 0x11111111), "dex_bad_endian_tag"),
        (lambda b: struct.pack_into("<II", b, 44, 16, 0x70), "dex_link_section"),
        (lambda b: struct.pack_into("<I", b, 52, 0xFFFFFF0), "dex_bad_map"),
        (lambda b: struct.pack_into("<I", b, 56, 0x7FFFFFF), "dex_section_out_of_bounds"),
        (lambda b: b.__setitem__(slice(4, 7), b"099"), "dex_unknown_version"),
    ],
)
def test_dex_header_anomalies(patch: object, code: str) -> None:
    data = bytearray(_fixture_dex())
    patch(data)  # type: ignore[operator]
    if code != "dex_bad_checksum":
        struct.pack_into("<I", data, 8, zlib.adler32(bytes(data[12:])))
    f = Findings()
    dex = DexFile.parse(bytes(data), f)
    dex_facts(dex)
    dex.strings()
    assert code in {a.code for a in f.anomalies}


def test_appended_payload_and_size_mismatch() -> None:
    data = _fixture_dex() + b"PAYLOAD" * 10
    f = Findings()
    DexFile.parse(data, f)
    codes = {a.code for a in f.anomalies}
    assert {"dex_data_after_map", "dex_size_mismatch"} <= codes


def test_dex_strings_match_androguard_on_corpus() -> None:
    from androguard.core.dex import DEX
    from loguru import logger

    logger.remove()
    folder = corpus_dir("androguard")
    checked = 0
    for path in sorted(folder.glob("*.dex")):
        data = path.read_bytes()
        try:
            theirs = DEX(data)
        except Exception:
            continue
        ours = DexFile.parse(data, Findings())
        assert ours.strings() == list(theirs.get_strings()), path.name
        names = sorted(c.get_name()[1:-1].replace("/", ".") for c in theirs.get_classes())
        assert sorted(ours.class_names()) == names, path.name
        checked += 1
    assert checked >= 8
