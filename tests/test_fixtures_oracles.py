"""The committed fixtures are what EXPECTED.json says, and what their names promise.

Two layers: pure-Python checks that each malformed fixture really carries its malformation
(these always run), and oracle checks that re-ask aapt, apksigner and baksmali and compare
with EXPECTED.json (skipped, with a message, when the tools are not installed). A failure
here means the fixtures were rebuilt without refreshing EXPECTED.json, or a tool changed:
rebuild with ``python tests/fixtures/build_fixtures.py`` and review the diff.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import struct
import zipfile
from pathlib import Path
from typing import Any

import pytest

from tests.fixtures import oracle

APK_DIR = Path(__file__).resolve().parent / "fixtures" / "apk"
EXPECTED: dict[str, dict[str, Any]] = json.loads(
    (APK_DIR / "EXPECTED.json").read_text(encoding="utf-8")
)
APKS = [n for n in EXPECTED if n.endswith(".apk")]


def data(name: str) -> bytes:
    return (APK_DIR / name).read_bytes()


def central(blob: bytes) -> list[dict[str, Any]]:
    """Central records (flags, method, sizes, local offset, name) read straight from bytes."""
    end = blob.rindex(b"PK\x05\x06")
    count, _, pos = struct.unpack_from("<HII", blob, end + 10)
    out = []
    for _ in range(count):
        assert blob[pos : pos + 4] == b"PK\x01\x02"
        flags, method = struct.unpack_from("<HH", blob, pos + 8)
        csize, usize, n, m, k = struct.unpack_from("<IIHHH", blob, pos + 20)
        (local,) = struct.unpack_from("<I", blob, pos + 42)
        name = blob[pos + 46 : pos + 46 + n].decode()
        out.append(
            dict(flags=flags, method=method, csize=csize, usize=usize, local=local, name=name)
        )
        pos += 46 + n + m + k
    return out


def test_every_fixture_is_listed_and_unchanged() -> None:
    on_disk = {p.name for p in APK_DIR.iterdir() if p.name != "EXPECTED.json"}
    assert on_disk == set(EXPECTED)
    for name, record in EXPECTED.items():
        blob = data(name)
        assert hashlib.sha256(blob).hexdigest() == record["sha256"], name
        assert len(blob) == record["size"], name


def test_fixtures_are_commit_sized() -> None:
    for name in EXPECTED:
        limit = 200_000 if name == "zip_bomb_entry.apk" else 32_000
        assert (APK_DIR / name).stat().st_size < limit, name


def test_entry_lists_match_central_directories() -> None:
    for name in APKS:
        assert oracle.raw_entries(data(name)) == EXPECTED[name]["entries"], name


def test_fake_encryption_flag_is_in_both_headers() -> None:
    blob = data("fake_encryption_flag.apk")
    records = central(blob)
    assert records and all(r["flags"] & 1 for r in records)
    assert all(struct.unpack_from("<H", blob, r["local"] + 6)[0] & 1 for r in records)
    assert not any(r["flags"] & 1 for r in central(data("unsigned.apk")))


def test_unknown_method_is_in_both_headers() -> None:
    blob = data("unknown_compression_method.apk")
    (rec,) = [r for r in central(blob) if r["name"] == "assets/config.json"]
    assert rec["method"] == 0x63
    assert struct.unpack_from("<H", blob, rec["local"] + 8)[0] == 0x63
    assert rec["csize"] == rec["usize"]  # the data is still stored


def test_local_headers_disagree_with_central() -> None:
    blob = data("local_central_mismatch.apk")
    by_name = {r["name"]: r for r in central(blob)}
    cfg = by_name["assets/config.json"]
    n = struct.unpack_from("<H", blob, cfg["local"] + 26)[0]
    assert blob[cfg["local"] + 30 : cfg["local"] + 30 + n] == b"assets/xonfig.json"
    man = by_name["AndroidManifest.xml"]
    assert struct.unpack_from("<I", blob, man["local"] + 22)[0] == man["usize"] + 4096


def test_truncated_has_no_end_record() -> None:
    blob = data("truncated.apk")
    assert b"PK\x05\x06" not in blob
    assert data("unsigned.apk").startswith(blob)


def test_duplicate_and_traversal_names() -> None:
    names = [r["name"] for r in central(data("duplicate_entry.apk"))]
    assert names.count("assets/config.json") == 2
    assert "../../evil.so" in [r["name"] for r in central(data("path_traversal.apk"))]


def test_zip_bomb_ratio() -> None:
    (rec,) = [r for r in central(data("zip_bomb_entry.apk")) if r["name"] == "assets/bomb.bin"]
    assert rec["usize"] == 100 * 1024 * 1024
    assert rec["usize"] / rec["csize"] > 500


def test_data_prefix_variants() -> None:
    fixed, raw = data("data_prefix.apk"), data("data_prefix_unadjusted.apk")
    base = data("unsigned.apk")
    assert not fixed.startswith(b"PK\x03\x04") and raw.endswith(base)
    junk = len(raw) - len(base)
    assert [r["local"] for r in central(fixed)] == [r["local"] + junk for r in central(base)]
    cd_offset = struct.unpack_from("<I", raw, raw.rindex(b"PK\x05\x06") + 16)[0]
    assert raw[cd_offset : cd_offset + 4] != b"PK\x01\x02"  # points `junk` bytes too low
    assert raw[cd_offset + junk : cd_offset + junk + 4] == b"PK\x01\x02"


def test_manifest_string_pool_is_damaged() -> None:
    with zipfile.ZipFile(io.BytesIO(data("tampered_manifest_stringpool.apk"))) as zf:
        bad = zf.read("AndroidManifest.xml")
    with zipfile.ZipFile(io.BytesIO(data("unsigned.apk"))) as zf:
        good = zf.read("AndroidManifest.xml")
    count_bad, count_good = (struct.unpack_from("<I", m, 16)[0] for m in (bad, good))
    assert count_bad == count_good + 1
    header = struct.unpack_from("<H", bad, 10)[0]
    assert struct.unpack_from("<I", bad, 8 + header + 4 * (count_good - 1))[0] == 0x00FFFFF0


def test_tampered_content_differs_by_one_byte_from_a_signed_build() -> None:
    with zipfile.ZipFile(io.BytesIO(data("tampered_signed_content.apk"))) as zf:
        tampered = zf.read("assets/config.json")  # CRCs were fixed: the ZIP itself is sound
        assert any(n.startswith("META-INF/") and n.endswith(".RSA") for n in zf.namelist())
    with zipfile.ZipFile(io.BytesIO(data("unsigned.apk"))) as zf:
        original = zf.read("assets/config.json")
    assert sum(a != b for a, b in zip(tampered, original, strict=True)) == 1


def test_labels_fixture_dex_carries_indicators() -> None:
    with zipfile.ZipFile(io.BytesIO(data("labels_locales.apk"))) as zf:
        dex = zf.read("classes.dex")
        assert b"https://cdn.example-fraud.top/" in zf.read("assets/config.json")
    assert dex.startswith(b"dex\n035\x00")
    for needle in (b"http://api.example-fraud.top/v1/login", b"http://47.96.1.2:8080/api",
                   b"support@example-fraud.top", b"13812345678"):  # fmt: skip
        assert needle in dex


def need(tool: str) -> None:
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} is not installed (apt install {tool}); oracle comparison skipped")


@pytest.mark.oracle
@pytest.mark.parametrize("name", APKS)
def test_aapt_agrees(name: str) -> None:
    need("aapt")
    assert oracle.aapt_badging(APK_DIR / name) == EXPECTED[name]["aapt"]


@pytest.mark.oracle
@pytest.mark.parametrize("name", APKS)
def test_apksigner_agrees(name: str) -> None:
    need("apksigner")
    assert oracle.apksigner_verify(APK_DIR / name) == EXPECTED[name]["apksigner"]


@pytest.mark.oracle
def test_baksmali_agrees() -> None:
    need("baksmali")
    assert (
        oracle.baksmali_strings(APK_DIR / "sample.dex")
        == EXPECTED["sample.dex"]["baksmali_strings"]
    )


def test_expected_signing_story() -> None:
    """The signing variants say what their names say (a guard on EXPECTED.json itself)."""
    signer = {n: EXPECTED[n]["apksigner"] for n in APKS}
    assert not signer["unsigned.apk"]["verified"]
    assert signer["v1_only.apk"]["schemes"] == {"v1": True, "v2": False, "v3": False, "v4": False}
    assert signer["v2v3.apk"]["schemes"] == {"v1": True, "v2": True, "v3": True, "v4": False}
    old, new = signer["v3_rotated.apk"]["lineage"]
    assert old == signer["v2v3.apk"]["signers"][0] and new != old
    assert signer["v3_rotated.apk"]["signers"] == [new]
    assert len(signer["two_signers.apk"]["signers"]) == 2
    assert not signer["tampered_signed_content.apk"]["verified"]
    labels = EXPECTED["labels_locales.apk"]["aapt"]["labels"]
    assert len(set(labels.values())) == len(labels) == 4
