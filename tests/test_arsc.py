"""resources.arsc: real tables against aapt and androguard, crafted tables for the edges.

Oracles: ``aapt dump badging`` (Android's own tool) for the default and per-locale
application labels, the label id from ``aapt dump xmltree``, and androguard's ARSCParser
for the default-config string resources. Disagreements that remain are listed in KNOWN
with the reason.
"""

from __future__ import annotations

import collections
import hashlib
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from chaincut.extractors.apk.arsc import ResourceTable
from chaincut.extractors.apk.arsc.config import bcp47, decode, qualifier_to_bcp47
from chaincut.extractors.apk.arsc.values import ResValue, format_scalar
from chaincut.extractors.findings import Findings
from tests import arsc_build as b
from tests.corpus import SHARED

CORPUS_APKS = (
    sorted((SHARED / "corpus" / "androguard").glob("*.apk"))
    + sorted((SHARED / "corpus" / "malware").glob("*.apk"))
    + sorted((Path(__file__).parent / "fixtures" / "apk").glob("*.apk"))
)
LABEL_REF = re.compile(r"A: android:label\(0x01010001\)=@(0x[0-9a-f]+)")

# file name -> (string names, why chaincut's default-config value differs from androguard's).
KNOWN_STRINGS: dict[str, tuple[set[str], str]] = {
    "f448c6d8e2e970020c1993be69120a6a8761df7be978f989d41da8c531c33063.apk": (
        {"dagbratrtnyuty"},
        "the string is a reference to a drawable; androguard reads the resource id as a pool "
        "index and prints '', chaincut follows the reference to the file path "
        "(res/drawable-mdpi/ic_launcher4.png), which is what getString() returns on a device",
    ),
}


def _arsc(path: Path) -> bytes | None:
    try:
        with zipfile.ZipFile(path) as zf:
            return zf.read("resources.arsc")
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, NotImplementedError):
        return None


def _table(data: bytes) -> tuple[ResourceTable, Findings]:
    findings = Findings()
    return ResourceTable.parse(data, findings), findings


@pytest.fixture(scope="session")
def aapt_cache() -> dict[str, tuple[int | None, dict[str, str]]]:
    """sha256 -> (manifest label id, {"": default label, "zh-CN": ...}) from aapt."""
    return {}


def _aapt(
    path: Path, cache: dict[str, tuple[int | None, dict[str, str]]]
) -> tuple[int | None, dict[str, str]]:
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    if sha not in cache:
        cache[sha] = (_label_ref(path), _badging_labels(path))
    return cache[sha]


def _label_ref(path: Path) -> int | None:
    out = subprocess.run(
        ["aapt", "dump", "xmltree", str(path), "AndroidManifest.xml"],
        capture_output=True, timeout=120, check=False,
    ).stdout.decode("utf-8", "replace")  # fmt: skip
    start = out.find("E: application")
    if start < 0:
        return None
    block = out[start:].split("E: ", 2)[1]  # the application element's own attributes
    m = LABEL_REF.search(block)
    return int(m.group(1), 16) if m else None


def _badging_labels(path: Path) -> dict[str, str]:
    out = subprocess.run(
        ["aapt", "dump", "badging", str(path)], capture_output=True, timeout=120, check=False
    ).stdout.decode("utf-8", "replace")
    labels: dict[str, str] = {}
    for line in out.splitlines():
        if line.startswith("application-label"):
            key = line[len("application-label") : line.index(":")].lstrip("-")
            labels[key] = line[line.index("'") + 1 : line.rindex("'")]
    return labels


# -- corpus: labels against aapt ------------------------------------------------------


@pytest.mark.corpus
@pytest.mark.oracle
@pytest.mark.parametrize("path", CORPUS_APKS, ids=lambda p: p.name[:24])
def test_labels_match_aapt(
    path: Path, aapt_cache: dict[str, tuple[int | None, dict[str, str]]]
) -> None:
    if shutil.which("aapt") is None:
        pytest.skip("aapt is not installed")
    data = _arsc(path)
    if data is None:
        pytest.skip("not a zip with resources.arsc")
    ref, expected = _aapt(path, aapt_cache)
    if ref is None:
        pytest.skip("the manifest's application label is not a resource reference")
    table, _findings = _table(data)
    ours = table.localized_strings(ref)
    assert ours.get("default") == expected.get(""), "default label"
    by_tag = {qualifier_to_bcp47(q): text for q, text in ours.items() if q != "default"}
    for tag, text in expected.items():
        if tag:  # aapt prints every table locale; without a value there it shows the default
            assert by_tag.get(tag, ours.get("default")) == text, tag
    assert set(by_tag) <= set(expected), "locales aapt does not list"


# -- corpus: default strings against androguard ---------------------------------------


@pytest.mark.corpus
@pytest.mark.oracle
@pytest.mark.parametrize("path", CORPUS_APKS, ids=lambda p: p.name[:24])
def test_default_strings_match_androguard(path: Path) -> None:
    data = _arsc(path)
    if data is None:
        pytest.skip("not a zip with resources.arsc")
    from androguard.core.axml import ARSCParser
    from loguru import logger

    logger.remove()
    try:
        parser = ARSCParser(data)
        parser._analyse()
    except Exception as exc:
        pytest.skip(f"androguard fails: {type(exc).__name__}")
    theirs: dict[str, list[str]] = collections.defaultdict(list)
    for package in parser.get_packages_names():
        # androguard's "\x00\x00" merges every configuration without a locale
        for name, value in parser.values[package].get("\x00\x00", {}).get("string", []):
            theirs[name].append(value)
    ours = _table(data)[0].strings("")
    assert set(ours) == set(theirs)
    differ = sorted(n for n, v in ours.items() if v not in theirs[n])
    known = KNOWN_STRINGS.get(path.name, (set(), ""))[0]
    assert set(differ) == known, differ[:5]


@pytest.mark.corpus
@pytest.mark.parametrize("path", CORPUS_APKS, ids=lambda p: p.name[:24])
def test_every_api_on_real_tables(path: Path) -> None:
    data = _arsc(path)
    if data is None:
        pytest.skip("not a zip with resources.arsc")
    table, findings = _table(data)
    assert not findings.errors
    for pkg in table.packages:
        for type_id, chunks in list(pkg.types.items())[:8]:
            for chunk in chunks[:4]:
                for index, _rel in chunk.present(data)[:8]:
                    res_id = (pkg.id << 24) | (type_id << 16) | index
                    name = table.name_of(res_id)
                    assert name is not None
                    type_name, _, key = name.partition("/")
                    assert table.id_of(type_name, key) is not None
                    table.values(res_id)
                    table.resolve_string(res_id)
                    table.localized_strings(res_id)
                    table.files_of(res_id)
    for locale in table.string_locales():
        assert isinstance(table.strings(locale), dict)


# -- crafted tables ---------------------------------------------------------------------

POOL = [
    "Fake Bank",
    "假银行",
    "假銀行",
    "res/mipmap-xxhdpi-v4/ic.png",
    "res/mipmap-anydpi-v26/ic.xml",
]
TYPES = ["string", "mipmap"]
KEYS = ["app_name", "alias", "style", "ic_launcher"]


def _basic(extra: list[bytes] | None = None, pool: bytes | None = None) -> bytes:
    """0x7f010000 app_name (default, zh-rCN, zh-rTW, land); 0x7f010001 alias -> app_name;
    0x7f010002 a bag; 0x7f020000 ic_launcher in xxhdpi and anydpi-v26."""
    strings = [
        b.type_chunk(1, [b.entry(0, b.STRING, 0), b.entry(1, b.REFERENCE, 0x7F010000),
                         b.map_entry(2, 0x01030005)]),
        b.type_chunk(1, [b.entry(0, b.STRING, 1)], cfg=b.config(lang="zh", country="CN")),
        b.type_chunk(1, [b.entry(0, b.STRING, 2)], cfg=b.config(lang="zh", country="TW")),
        b.type_chunk(1, [b.entry(0, b.STRING, 3)], cfg=b.config(orientation=2)),
    ]  # fmt: skip
    icons = [
        b.type_chunk(2, [b.entry(3, b.STRING, 3)], cfg=b.config(density=480, sdk=4)),
        b.type_chunk(2, [b.entry(3, b.STRING, 4)], cfg=b.config(density=0xFFFE, sdk=26)),
    ]
    children = [b.type_spec(1, 3), *strings, b.type_spec(2, 1), *icons, *(extra or [])]
    pkg = b.package(0x7F, "com.fake.bank", TYPES, KEYS, children)
    return b.table(pool if pool is not None else b.string_pool(POOL), [pkg])


def test_basic_lookups() -> None:
    table, findings = _table(_basic())
    assert table.resolve_string(0x7F010000) == "Fake Bank"
    assert table.resolve_string(0x7F010000, "zh-rCN") == "假银行"
    assert table.resolve_string(0x7F010000, "zh-rTW") == "假銀行"
    assert table.resolve_string(0x7F010000, "zh-rHK") == "假銀行"  # same script (Hant) as zh-rTW
    assert table.resolve_string(0x7F010000, "zh") == "假银行"  # zh alone is Hans, as zh-rCN
    assert table.resolve_string(0x7F010000, "ja") == "Fake Bank"
    assert table.resolve_string(0x7F010001, "zh-rCN") == "假银行"
    assert table.localized_strings(0x7F010001) == {
        "default": "Fake Bank", "zh-rCN": "假银行", "zh-rTW": "假銀行"
    }  # fmt: skip
    assert table.name_of(0x7F010002) == "string/style"
    assert table.id_of("string", "alias") == 0x7F010001
    assert table.id_of("mipmap", "ic_launcher") == 0x7F020000
    assert table.id_of("string", "missing") is None
    assert table.values(0x7F010002) == []  # bags are not values
    assert [q for q, _v in table.values(0x7F010000)] == ["", "zh-rCN", "zh-rTW", "land"]
    assert table.strings("") == {"app_name": "Fake Bank", "alias": "Fake Bank"}
    assert table.strings("zh-rCN") == {"app_name": "假银行"}
    assert table.string_locales() == ["zh-rCN", "zh-rTW"]
    assert table.files_of(0x7F020000) == [
        ("xxhdpi-v4", "res/mipmap-xxhdpi-v4/ic.png", 480),
        ("anydpi-v26", "res/mipmap-anydpi-v26/ic.xml", 0xFFFE),
    ]
    assert not findings.anomalies


def test_no_default_config_is_not_the_default_label() -> None:
    """aapt prints no application-label: line when only locale configs hold the label."""
    chunks = [b.type_chunk(1, [b.entry(0, b.STRING, 1)], cfg=b.config(lang="zh", country="CN"))]
    pkg = b.package(0x7F, "p", TYPES, KEYS, chunks)
    table, _f = _table(b.table(b.string_pool(POOL), [pkg]))
    assert table.resolve_string(0x7F010000) is None
    assert table.localized_strings(0x7F010000) == {"zh-rCN": "假银行"}


def test_device_picks_like_android() -> None:
    """v21 beats default on a new device; night, land and sw600dp do not apply; xxhdpi vs mdpi."""
    pool = b.string_pool(["base", "v21", "night", "sw600", "hdpi"])
    chunks = [
        b.type_chunk(1, [b.entry(0, b.STRING, 0)]),
        b.type_chunk(1, [b.entry(0, b.STRING, 2)], cfg=b.config(ui_mode=0x20)),
        b.type_chunk(1, [b.entry(0, b.STRING, 3)], cfg=b.config(smallest_dp=600)),
        b.type_chunk(1, [b.entry(0, b.STRING, 1)], cfg=b.config(sdk=21)),
        b.type_chunk(1, [b.entry(0, b.STRING, 4)], cfg=b.config(density=240)),
    ]
    table, _f = _table(b.table(pool, [b.package(0x7F, "p", TYPES, KEYS, chunks)]))
    assert table.resolve_string(0x7F010000) == "v21"
    assert table.strings("") == {"app_name": "v21"}
    assert table.strings("night") == {"app_name": "night"}


def test_sparse_offset16_and_compact_entries() -> None:
    entries = [b.entry(0, b.STRING, 0), None, None, b.compact_entry(3, b.INT_DEC, 0xFFFFFFFF)]
    for flags in (0x01, 0x02):
        pkg = b.package(0x7F, "p", TYPES, KEYS, [b.type_chunk(1, entries, flags=flags)])
        table, findings = _table(b.table(b.string_pool(POOL), [pkg]))
        assert table.resolve_string(0x7F010000) == "Fake Bank", flags
        assert table.resolve_string(0x7F010001) is None
        assert table.resolve_string(0x7F010003) == "-1"
        assert table.name_of(0x7F010003) == "string/ic_launcher"
        assert table.values(0x7F010003) == [("", ResValue(0x10, 0xFFFFFFFF))]
        assert not findings.anomalies, flags


def test_reference_cycle_and_depth() -> None:
    loop = [b.entry(0, b.REFERENCE, 0x7F010001), b.entry(1, b.REFERENCE, 0x7F010000)]
    pkg = b.package(0x7F, "p", TYPES, KEYS, [b.type_chunk(1, loop)])
    table, findings = _table(b.table(b.string_pool(POOL), [pkg]))
    assert table.resolve_string(0x7F010000) is None
    assert table.files_of(0x7F010000) == []
    assert table.localized_strings(0x7F010000) == {}
    assert "arsc_reference_loop" in {a.code for a in findings.anomalies}
    chain = [b.entry(0, b.REFERENCE, 0x7F010000 + i + 1) for i in range(40)]
    pkg = b.package(0x7F, "p", TYPES, ["k"] * 41, [b.type_chunk(1, [*chain, b.entry(0, 3, 0)])])
    table, findings = _table(b.table(b.string_pool(POOL), [pkg]))
    assert table.resolve_string(0x7F010000) is None  # 40 links: more than Android follows
    assert table.resolve_string(0x7F010000 + 30) == "Fake Bank"


def test_dynamic_reference_library_and_staged_alias() -> None:
    chunks = [
        b.library([(0x02, "com.lib")]),
        b.staged_alias([(0x7F01FFFF, 0x7F010000)]),
        b.type_chunk(1, [b.entry(0, b.STRING, 0), b.entry(1, b.DYN_REFERENCE, 0x00010000),
                         b.entry(2, b.REFERENCE, 0x7F01FFFF)]),
    ]  # fmt: skip
    table, findings = _table(
        b.table(b.string_pool(POOL), [b.package(0x7F, "p", TYPES, KEYS, chunks)])
    )
    assert table.resolve_string(0x7F010001) == "Fake Bank"  # 0x00 = this package
    assert table.resolve_string(0x7F010002) == "Fake Bank"  # staged id -> finalized id
    assert table.packages[0].libraries == {2: "com.lib"}
    assert not findings.anomalies


def test_unterminated_string_is_missing_not_fallback() -> None:
    """Android reads the string as NULL: the label is missing, not replaced by another config."""
    pool = b.string_pool(POOL, unterminated=[0])
    table, findings = _table(_basic(pool=pool))
    assert table.resolve_string(0x7F010000) is None
    assert table.resolve_string(0x7F010000, "zh-rCN") == "假银行"
    assert "default" not in table.localized_strings(0x7F010000)
    assert "app_name" not in table.strings("")
    assert "stringpool_unterminated" in {a.code for a in findings.anomalies}


def _codes(data: bytes) -> set[str]:
    table, findings = _table(data)
    _exercise(table)
    return {a.code for a in findings.anomalies}


def _exercise(table: ResourceTable) -> None:
    for res_id in (0x7F010000, 0x7F010001, 0x7F010002, 0x7F020000, 0x00010000, 0x7FFF0000):
        table.values(res_id)
        table.resolve_string(res_id)
        table.resolve_string(res_id, "zh-rCN")
        table.localized_strings(res_id)
        table.files_of(res_id)
        table.name_of(res_id)
    table.id_of("string", "app_name")
    for locale in ["", *table.string_locales()]:
        table.strings(locale)


def test_malformed_tables_are_reported() -> None:
    good = _basic()
    assert _codes(good[:-3]) >= {"arsc_bad_header"}  # table size runs past the buffer
    assert "arsc_no_string_pool" in _codes(b.table(b"", []))
    assert "arsc_package_count_mismatch" in _codes(b.table(b.string_pool(POOL), [], count=3))
    junk = b.chunk(0x7777, b"", b"\0" * 8)
    assert "arsc_junk_chunk" in _codes(_basic(extra=[junk]))
    overrun = b.chunk(0x0201, b"\0" * 16, b"", size=10_000)
    assert "arsc_chunk_overrun" in _codes(_basic(extra=[overrun]))
    bad_cfg = b.type_chunk(1, [b.entry(0, 3, 0)], cfg=b.config(size=4) + b"\0" * 4)
    assert "arsc_bad_config_size" in _codes(_basic(extra=[bad_cfg]))
    too_many = b.type_chunk(1, [b.entry(0, 3, 0)], count=1_000_000)
    assert "arsc_entry_count_clamped" in _codes(_basic(extra=[too_many]))
    out_of_range = b.type_chunk(1, [b.entry(0, 3, 0)])
    out_of_range = out_of_range[:-16] + b"\xff\xff\x00\x00" + b"\0" * 12  # entry size 0xffff
    assert "arsc_entry_out_of_range" in _codes(_basic(extra=[out_of_range]))
    bad_string = b.type_chunk(1, [b.entry(0, b.STRING, 999)], cfg=b.config(lang="ja"))
    assert "arsc_string_index_out_of_range" in _codes(_basic(extra=[bad_string]))
    pkg = b.package(0x7F, "dup", TYPES, KEYS, [])
    assert "arsc_duplicate_package" in _codes(b.table(b.string_pool(POOL), [pkg, pkg]))
    assert "arsc_extra_string_pool" in _codes(b.table(b.string_pool(POOL) * 2, []))


def test_duplicate_packages_merge_like_android() -> None:
    first = b.package(0x7F, "a", TYPES, KEYS, [b.type_chunk(1, [b.entry(0, 3, 0)])])
    second = b.package(0x7F, "b", TYPES, KEYS, [b.type_chunk(1, [None, b.entry(1, 3, 1)])])
    table, _f = _table(b.table(b.string_pool(POOL), [first, second]))
    assert table.resolve_string(0x7F010000) == "Fake Bank"
    assert table.resolve_string(0x7F010001) == "假银行"


def test_every_prefix_and_byte_flip_never_raises() -> None:
    data = _basic()
    for cut in range(0, len(data), 7):
        _codes(data[:cut])
    for pos in range(0, len(data), 3):
        mutated = bytearray(data)
        mutated[pos] ^= 0xFF
        _codes(bytes(mutated))


@pytest.mark.parametrize(
    ("kwargs", "qualifier", "tag"),
    [
        ({}, "", ""),
        ({"lang": "zh", "country": "CN"}, "zh-rCN", "zh-CN"),
        ({"lang": "sr", "script": "Latn"}, "b+sr+Latn", "sr-Latn"),
        ({"density": 480}, "xxhdpi", ""),
        ({"density": 0xFFFE, "sdk": 26}, "anydpi-v26", ""),
        ({"ui_mode": 0x20}, "night", ""),
        ({"orientation": 2}, "land", ""),
        ({"mcc": 460, "lang": "zh", "density": 300}, "mcc460-zh-300dpi", "zh"),
        ({"smallest_dp": 600, "sdk": 13}, "sw600dp-v13", ""),
    ],
)
def test_config_qualifiers(kwargs: dict[str, int | str], qualifier: str, tag: str) -> None:
    config = decode(b.config(**kwargs), 0, 64)  # type: ignore[arg-type]
    assert config.qualifier == qualifier
    assert bcp47(config) == tag
    if config.locale:
        assert qualifier_to_bcp47(config.locale) == tag


def test_value_formatting() -> None:
    assert format_scalar(0x05, (16 << 8) | 1) == "16dip"
    assert format_scalar(0x06, (1 << 8) | 0x30 | 0) is not None
    assert format_scalar(0x04, 0x3F800000) == "1"
    assert format_scalar(0x10, 0xFFFFFFFF) == "-1"
    assert format_scalar(0x11, 0x10) == "0x00000010"
    assert format_scalar(0x12, 1) == "true"
    assert format_scalar(0x1C, 0xFF00FF00) == "#ff00ff00"
    assert format_scalar(0x01, 0x7F010000) == "@0x7f010000"
    assert format_scalar(0x01, 0) == "@null"
    assert format_scalar(0x02, 0x01010000) == "?0x01010000"
    assert format_scalar(0x99, 0) is None
    assert ResValue(0x03, 0).format(lambda i: "x") == "x"


def test_index_is_a_small_fraction_of_inflate() -> None:
    """Indexing must cost far less than inflating the entry it comes from."""
    framework = Path("/usr/share/android-framework-res/framework-res.apk")
    if not framework.is_file():
        pytest.skip("framework-res.apk is not installed")
    import time
    import zlib

    data = _arsc(framework)
    assert data is not None
    packed = zlib.compress(data, 6)

    def best(fn: object) -> float:
        times = []
        for _ in range(3):
            start = time.perf_counter()
            fn()  # type: ignore[operator]
            times.append(time.perf_counter() - start)
        return min(times)

    inflate = best(lambda: zlib.decompressobj().decompress(packed))
    index = best(lambda: ResourceTable.parse(data, Findings()))
    assert index < 0.5 * inflate, (index, inflate)
    table, _f = _table(data)
    assert table.resolve_string(table.id_of("string", "cancel") or 0) == "Cancel"
