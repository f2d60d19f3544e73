"""The DEX reader: androguard agreement over the corpora, MUTF-8, and every anomaly code."""

from __future__ import annotations

import re
import struct
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from chaincut.extractors.dex import DexFile, dex_facts, extract_dex_file
from chaincut.extractors.dex.codes import CODES
from chaincut.extractors.dex.mutf8 import decode
from chaincut.extractors.findings import Findings
from chaincut.facts.models import DexFacts
from tests.corpus import corpus_dir
from tests.dex_build import NO_INDEX, DexSpec, build, fix, mutf8, sample_spec, uleb

BUNDLED = ("Landroid/support/", "Landroid/arch/")
FRAMEWORK = ("Landroid/", "Ljava/", "Ljavax/", "Ldalvik/", "Lcom/android/")
LONE_SURROGATE = re.compile("[\ud800-\udfff]")

# Files where chaincut and androguard are expected to differ, with the reason. Empty: on
# the corpora every string list, class list and method count agrees once androguard's
# data-order string list is put in the same order (see _agree).
KNOWN_DISAGREEMENTS: dict[str, str] = {}


def corpus_dex(name: str) -> Iterator[tuple[str, bytes]]:
    """Every .dex in a corpus folder and every top-level classes*.dex of its ZIP files."""
    folder = corpus_dir(name)
    for path in sorted(folder.iterdir()):
        if path.suffix == ".dex":
            yield path.name, path.read_bytes()
            continue
        if not path.is_file():
            continue
        try:
            archive = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError):
            continue  # not a ZIP Python can open: the ZIP reader's tests cover those
        with archive:
            for info in archive.infolist():
                n = info.filename
                if n.startswith("classes") and n.endswith(".dex") and "/" not in n:
                    yield f"{path.name}!{n}", archive.read(info)


def _agree(label: str, data: bytes) -> list[str]:
    """What chaincut reads differently from androguard in one DEX ([] when nothing)."""
    from androguard.core.dex import DEX

    theirs = DEX(data)
    findings = Findings()
    ours = DexFile.parse(data, findings, name=label)
    problems = []
    # androguard lists strings in data order (walking the string_data map item); chaincut
    # in id order, as ART indexes them. Old dx builds lay the data out in another order,
    # so compare in data order. Lone surrogates: androguard keeps them, chaincut writes
    # U+FFFD so every string can go into JSON.
    order = sorted(range(ours.string_count), key=ours.string_offsets().__getitem__)
    strings = ours.strings()
    mine = [strings[i] for i in order]
    their_strings = [LONE_SURROGATE.sub("\ufffd", s) for s in theirs.get_strings()]
    if len(mine) != len(their_strings):
        problems.append(f"string count {len(mine)} vs {len(their_strings)}")
    elif mine != their_strings:
        first = next(i for i, (a, b) in enumerate(zip(mine, their_strings, strict=True)) if a != b)
        problems.append(f"string {first}: {mine[first]!r} vs {their_strings[first]!r}")
    names = sorted(c.get_name()[1:-1].replace("/", ".") for c in theirs.get_classes())
    if sorted(ours.class_names()) != names:
        problems.append(f"classes {len(ours.class_names())} vs {len(names)}")
    if ours.header is None or ours.header.methods.size != len(theirs.get_methods()):
        problems.append(f"methods vs {len(theirs.get_methods())}")
    api = {
        f"{m.get_class_name()[1:-1].replace('/', '.')}.{m.get_name()}"
        for m in theirs.get_methods()
        if m.get_class_name().startswith(FRAMEWORK)
        and not m.get_class_name().startswith(BUNDLED)  # shipped in the app: not framework
    }
    if ours.api_refs(limit=1 << 30) != sorted(api):
        problems.append(f"api refs {len(ours.api_refs(limit=1 << 30))} vs {len(api)}")
    facts = dex_facts(ours)
    assert facts.strings == len(strings) and facts.classes >= len(ours.class_names())
    assert {a.code for a in findings.anomalies} <= set(CODES), label
    return problems


@pytest.mark.corpus
@pytest.mark.oracle
@pytest.mark.parametrize("corpus", ["androguard", "malware"])
def test_agrees_with_androguard(corpus: str) -> None:
    from loguru import logger

    logger.remove()
    checked, wrong = 0, {}
    for label, data in corpus_dex(corpus):
        problems = _agree(label, data)
        checked += 1
        if problems and label not in KNOWN_DISAGREEMENTS:
            wrong[label] = problems
    assert checked >= (10 if corpus == "androguard" else 60), checked
    assert not wrong, wrong


# -- MUTF-8 ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        (b"", ""),
        (b"plain ascii", "plain ascii"),
        ("中文 – ü".encode(), "中文 – ü"),
        (b"a\xc0\x80b", "a\x00b"),  # NUL as C0 80
        (b"\xc0\x80\xc0\x80", "\x00\x00"),
        (b"\xed\xa0\xbd\xed\xb8\x80", "\U0001f600"),  # surrogate pair as two 3-byte seqs
        (b"x\xed\xa0\xbd\xed\xb8\x80y\xc0\x80", "x\U0001f600y\x00"),
        (b"\xed\xa0\xbd", "\ufffd"),  # lone high surrogate
        (b"\xed\xb8\x80z", "\ufffdz"),  # lone low surrogate
        (b"\xed\xb8\x80\xed\xa0\xbd", "\ufffd\ufffd"),  # pair in the wrong order
        (b"\xff\xfe", "\ufffd\ufffd"),  # bytes that never occur in UTF-8
        (b"ok\x80", "ok\ufffd"),  # stray continuation byte
        (b"\xe4\xb8", "\ufffd"),  # truncated 3-byte sequence
        (b"\xc0", "\ufffd"),  # C0 without 80
        (b"\xf0\x9f\x98\x80", "\U0001f600"),  # 4-byte UTF-8: ART reads it too
    ],
)
def test_mutf8(raw: bytes, text: str) -> None:
    assert decode(raw) == text
    assert not LONE_SURROGATE.search(decode(raw))


def test_mutf8_round_trips_the_test_encoder() -> None:
    for text in ["", "a\x00b", "零\U0001f600\U0010ffff", "\u07ff\u0800\uffff"]:
        assert decode(mutf8(text)) == text


def test_strings_with_mutf8_oddities_inside_a_dex() -> None:
    spec = DexSpec(strings=["a\x00b", "\U0001f600", b"\xed\xa0\xbd", b"\xff", "x" * 200])
    dex = DexFile.parse(build(spec), Findings())
    assert dex.strings() == ["a\x00b", "\U0001f600", "\ufffd", "\ufffd", "x" * 200]
    assert dex.string(4) == "x" * 200 and dex.string(5) is None and dex.string(-1) is None


# -- the clean base ---------------------------------------------------------------------


def test_built_dex_reads_cleanly() -> None:
    findings = Findings()
    data = build(sample_spec())
    dex = DexFile.parse(data, findings)
    assert findings.anomalies == [] and findings.errors == []
    assert dex.class_names() == ["com.evil.pay.Fraud"]
    assert dex.packages() == ["com.evil.pay"]
    assert dex.api_refs() == [
        "android.telephony.SmsManager.sendTextMessage",
        "java.lang.Object.<init>",
        "java.lang.String.length",
    ]  # androidx is shipped inside the app: not framework
    (cls,) = dex.class_defs()
    assert cls.superclass == "Ljava/lang/Object;" and cls.source_file == "Fraud.java"
    assert ("Landroid/telephony/SmsManager;", "sendTextMessage") in list(dex.method_refs())
    assert "零\x00\U0001f600" in dex.strings()
    facts = dex_facts(dex)
    assert facts == DexFacts(
        name="classes.dex",
        size=len(data),
        version="035",
        strings=14,
        types=7,
        classes=1,
        methods=5,
        fields=1,
        checksum_ok=True,
        packages=["com.evil.pay"],
        api_refs=facts.api_refs,
    )
    assert extract_dex_file(memoryview(data), Findings()) == facts
    assert extract_dex_file(bytearray(data), Findings()) == facts


def test_raw_string_data_and_scan_bytes() -> None:
    data = build(sample_spec())
    dex = DexFile.parse(data, Findings())
    span = bytes(dex.raw_string_data())
    assert b"https://c2.example-fraud.top/gate\x00" in span
    scan = dex.scan_bytes()
    assert len(scan) == len(span)
    # 33-char URL: its length byte is 0x21 '!', glued in front in the raw span only
    assert b"!https://" in span and b"\x00https://c2.example-fraud.top/gate\x00" in scan
    assert all(s.encode() in scan for s in dex.strings() if s.isascii())
    assert dex.scan_bytes(limit=40) == scan[:40]


# -- anomalies ------------------------------------------------------------------------


def _patched(patch: Callable[[bytearray], object], refix: bool = True) -> bytes:
    data = bytearray(build(sample_spec()))
    patch(data)
    return fix(data) if refix else bytes(data)


def _read(data: bytes) -> tuple[DexFile, set[str], Findings]:
    """Parse and use every accessor; nothing may raise."""
    findings = Findings()
    dex = DexFile.parse(data, findings)
    dex.strings()
    dex.class_defs()
    list(dex.method_refs())
    dex.scan_bytes()
    dex_facts(dex)
    codes = {a.code for a in findings.anomalies}
    assert codes <= set(CODES)
    return dex, codes, findings


def _u32(offset: int, value: int) -> Callable[[bytearray], None]:
    return lambda b: struct.pack_into("<I", b, offset, value)


@pytest.mark.parametrize(
    ("patch", "code"),
    [
        (lambda b: b.__setitem__(slice(4, 7), b"099"), "dex_unknown_version"),
        (lambda b: b.__setitem__(7, 0x41), "dex_unknown_version"),
        (_u32(32, 10_000), "dex_size_mismatch"),
        (_u32(36, 0x80), "dex_bad_header_size"),
        (_u32(40, 0x78563412), "dex_reverse_endian"),
        (_u32(40, 0x11111111), "dex_bad_endian_tag"),
        (lambda b: struct.pack_into("<II", b, 44, 16, 0x70), "dex_link_section"),
        (lambda b: struct.pack_into("<II", b, 44, 1 << 30, 0x70), "dex_section_out_of_bounds"),
        (_u32(52, 0), "dex_bad_map"),
        (_u32(52, 0xFFFFFF0), "dex_bad_map"),
        (_u32(52, 0x71), "dex_bad_map"),  # misaligned
        (_u32(56, 0x7FFFFFF), "dex_section_out_of_bounds"),
        (_u32(68, 0x10), "dex_section_out_of_bounds"),  # type_ids inside the header
        (_u32(108, 0xFFFFFF00), "dex_section_out_of_bounds"),
        (_u32(8, 0xDEADBEEF), "dex_bad_checksum"),
    ],
)
def test_header_anomaly(patch: Callable[[bytearray], None], code: str) -> None:
    _dex, codes, _f = _read(_patched(patch, refix=code != "dex_bad_checksum"))
    assert code in codes


def test_bad_signature_with_good_checksum() -> None:
    def patch(b: bytearray) -> None:
        b[12] ^= 0xFF
        struct.pack_into("<I", b, 8, __import__("zlib").adler32(bytes(b[12:])))

    dex, codes, _f = _read(_patched(patch, refix=False))
    assert codes == {"dex_bad_signature"}
    assert dex.header is not None and dex.header.checksum_ok and dex.header.signature_ok is False
    quiet = DexFile.parse(_patched(patch, refix=False), Findings(), verify_signature=False)
    assert quiet.header is not None and quiet.header.signature_ok is None


def test_bad_magic_reads_nothing() -> None:
    dex, codes, findings = _read(_patched(lambda b: b.__setitem__(slice(0, 4), b"PK\x03\x04")))
    assert codes == {"dex_bad_magic"} and dex.header is None and findings.errors
    assert dex_facts(dex) == DexFacts(name="classes.dex", size=dex_facts(dex).size)


@pytest.mark.parametrize("size", [0, 1, 8, 0x6F])
def test_truncated_header(size: int) -> None:
    dex, codes, _f = _read(build(sample_spec())[:size])
    assert codes == {"dex_truncated"} and dex.strings() == []


def test_truncated_body_clamps_tables() -> None:
    data = build(sample_spec())
    for cut in range(0x70, len(data), 7):
        dex, codes, _f = _read(data[:cut])
        assert "dex_size_mismatch" in codes
        assert dex.string_count <= 14


def test_clamped_count_is_what_fits() -> None:
    dex, codes, _f = _read(_patched(_u32(56, 0x7FFFFFF)))
    assert "dex_section_out_of_bounds" in codes
    assert dex.header is not None
    assert dex.string_count == (len(dex.buf) - dex.header.strings.offset) // 4


def test_appended_payload() -> None:
    payload = b"\x7fELF" + bytes(60)

    def patch(b: bytearray) -> None:
        b += payload
        struct.pack_into("<I", b, 32, len(b))

    _dex, codes, findings = _read(_patched(patch))
    assert codes == {"dex_data_after_map"}
    (a,) = findings.anomalies
    assert a.detail.startswith(f"{len(payload)} bytes")


@pytest.mark.parametrize(
    ("patch", "detail"),
    [
        # map item 1 (string_ids) claims another size than the header
        (lambda b, m: struct.pack_into("<I", b, m + 4 + 12 + 4, 99), "string_ids: map 99"),
        (lambda b, m: struct.pack_into("<H", b, m + 4 + 12, 0x0777), "unknown item type"),
        (lambda b, m: struct.pack_into("<H", b, m + 4, 0x0002), "first item"),
        (lambda b, m: struct.pack_into("<I", b, m + 4 + 12 + 8, 0x7FFFFFF), "out of order"),
        (lambda b, m: struct.pack_into("<I", b, m, 5000), "run past the file"),
    ],
)
def test_map_problems(patch: Callable[[bytearray, int], None], detail: str) -> None:
    data = bytearray(build(sample_spec()))
    (map_off,) = struct.unpack_from("<I", data, 52)
    patch(data, map_off)
    _dex, codes, findings = _read(fix(data))
    assert codes == {"dex_bad_map"}
    assert any(detail in a.detail for a in findings.anomalies), findings.anomalies


def test_count_capped() -> None:
    data = bytearray(build(sample_spec()))
    types = 70_000
    struct.pack_into("<II", data, 64, types, len(data))
    data += struct.pack("<I", 2) * types
    struct.pack_into("<I", data, 32, len(data))
    dex, codes, _f = _read(fix(data))
    assert "dex_count_capped" in codes
    assert dex.header is not None and dex.header.types.size == types
    assert len(dex.types()) == 65_536 and dex_facts(dex).types == types


def test_api_refs_limit() -> None:
    findings = Findings()
    dex = DexFile.parse(build(sample_spec()), findings)
    assert len(dex.api_refs(limit=1)) == 1
    assert "dex_count_capped" in {a.code for a in findings.anomalies}


def _string_offset(data: bytes | bytearray, index: int) -> int:
    (ids,) = struct.unpack_from("<I", data, 60)
    (off,) = struct.unpack_from("<I", data, ids + 4 * index)
    return int(off)


def test_string_offset_past_end() -> None:
    dex, codes, _f = _read(_patched(lambda b: struct.pack_into("<I", b, 0x70, 1 << 30)))
    assert "dex_bad_string" in codes and dex.strings()[0] == ""
    assert dex.strings()[1:] == DexFile.parse(build(sample_spec()), Findings()).strings()[1:]


def test_string_without_terminator() -> None:
    spec = DexSpec(strings=["a", "zzz"])
    data = bytearray(build(spec))
    last = _string_offset(data, 1)
    # point the last string at a run that reaches the end of the file with no NUL
    data[last:] = uleb(3) + b"z" * (len(data) - last - 1)
    struct.pack_into("<I", data, 32, len(data))
    dex, codes, _f = _read(fix(data))
    assert "dex_bad_string" in codes
    assert dex.strings()[1].startswith("zzz")


def test_string_longer_than_its_length() -> None:
    data = build(sample_spec())
    index = DexFile.parse(data, Findings()).strings().index("sendTextMessage")
    patched = bytearray(data)
    patched[_string_offset(data, index)] = 2  # 15 bytes cannot be 2 UTF-16 units
    dex, codes, _f = _read(fix(patched))
    assert codes == {"dex_string_length_mismatch"}
    assert dex.string(index) == "sendTextMessage"  # read to the NUL, as androguard does


def test_overlapping_strings_stay_linear() -> None:
    """100k ids all pointing at one 200 KB unterminated run: budgeted, not quadratic."""
    run = 200_000
    ids = 100_000
    data = bytearray(build(DexSpec(strings=["a"])))
    start = len(data)
    data += uleb(3) + b"A" * run
    ids_off = len(data)
    data += struct.pack("<I", start) * ids
    struct.pack_into("<II", data, 56, ids, ids_off)
    struct.pack_into("<I", data, 32, len(data))
    started = time.process_time()  # CPU time: the guard is for work, not for load
    dex, codes, _f = _read(fix(data))
    strings = dex.strings()
    assert time.process_time() - started < 10
    assert len(strings) == ids and "dex_string_budget" in codes
    assert sum(map(len, strings)) <= len(data) + (1 << 20)


def test_unsorted_type_ids_take_the_full_path() -> None:
    spec = sample_spec()
    count = len(spec.types)
    flip = {i: count - 1 - i for i in range(count)}  # reverse the type table, remap users
    spec.types.reverse()
    spec.protos = [(s, flip[r]) for s, r in spec.protos]
    spec.fields = [(flip[c], flip[t], n) for c, t, n in spec.fields]
    spec.methods = sorted((flip[c], p, n) for c, p, n in spec.methods)
    spec.classes = [(flip[c], a, flip[s], f) for c, a, s, f in spec.classes]
    dex = DexFile.parse(build(spec), Findings())
    assert dex.types() == sorted(dex.types(), reverse=True)
    assert dex.api_refs() == DexFile.parse(build(sample_spec()), Findings()).api_refs()
    assert dex.class_names() == ["com.evil.pay.Fraud"]


def test_unsorted_method_ids_take_the_linear_path() -> None:
    spec = sample_spec()
    spec.methods.reverse()
    dex = DexFile.parse(build(spec), Findings())
    assert dex.api_refs() == DexFile.parse(build(sample_spec()), Findings()).api_refs()


def test_garbage_indices_never_raise() -> None:
    spec = sample_spec()
    spec.classes.append((60_000, 0, 59_999, 1 << 31))
    spec.methods.append((65_535, 0, 1 << 31))
    spec.types.append(1 << 30)
    dex, _codes, _f = _read(build(spec))
    assert dex.types()[-1] == ""
    assert dex.class_defs()[-1].descriptor == "" and dex.class_defs()[-1].source_file is None
    assert ("", "") in list(dex.method_refs())


def test_every_code_is_exercised() -> None:
    """Each registered DEX code has a test in this file that expects it."""
    source = Path(__file__).read_text()
    missing = [code for code in CODES if f'"{code}"' not in source]
    assert not missing, missing


def test_no_anomaly_flag_for_version_041_header_size() -> None:
    spec = sample_spec()
    spec.version = b"041"
    data = bytearray(build(spec))
    struct.pack_into("<I", data, 36, 0x78)
    _dex, codes, _f = _read(fix(data))
    assert codes == set()


def test_classes_with_no_index_fields() -> None:
    spec = sample_spec()
    spec.classes[0] = (spec.classes[0][0], 0x11, NO_INDEX, NO_INDEX)
    (cls,) = DexFile.parse(build(spec), Findings()).class_defs()
    assert cls.superclass is None and cls.source_file is None and cls.access_flags == 0x11


def _decode_reference(table: object, offsets: list[int]) -> list[str]:
    """StringTable._decode as it was, one decode per string (the budget left aside)."""
    from chaincut.extractors.dex import mutf8
    from chaincut.extractors.dex.strings import MAX_STRING, _uleb

    buf: bytes = table._buf  # type: ignore[attr-defined]
    out: list[str] = []
    for off in offsets:
        try:
            units = buf[off]
            if units < 0x80:
                pos = off + 1
                end = buf.find(b"\0", pos, pos + 3 * units + 1)
            else:
                units, pos = _uleb(buf, off)
                end = buf.find(b"\0", pos, pos + min(3 * units, MAX_STRING) + 1)
        except IndexError:
            out.append("")
            continue
        if end < 0:
            found = buf.find(b"\0", pos, pos + MAX_STRING + 1)
            end = found if found >= 0 else min(len(buf), pos + MAX_STRING)
        raw = buf[pos:end]
        try:
            out.append(raw.decode())
        except UnicodeDecodeError:
            out.append(mutf8.decode(raw))
    return out


def test_string_table_decodes_all_at_once_like_one_by_one() -> None:
    """Strings are decoded in one call when all are UTF-8, one by one otherwise (MUTF-8
    surrogates, broken bytes): the same strings either way, anomalies counted alike."""
    import random
    from array import array

    from chaincut.extractors.dex.strings import StringTable

    rng = random.Random(4)
    pieces = [b"abc", "汉字".encode(), b"\xed\xa0\xbd\xed\xb8\x80", b"\xc0\x80", b"\xff", b"\x80"]
    for round_ in range(300):
        buf = bytearray()
        offsets = []
        for _ in range(rng.randint(0, 30)):
            offsets.append(len(buf))
            body = b"".join(rng.choice(pieces[: 2 if round_ % 2 else 6]) for _ in range(5))
            units = rng.choice([len(body), len(body) // 3, 200])
            buf += bytes([units]) if units < 0x80 else bytes([0x80 | (units & 0x7F), units >> 7])
            buf += body + (b"\0" if rng.random() < 0.9 else b"")
        offsets += [len(buf) + 5] if rng.random() < 0.2 else []
        table = StringTable(bytes(buf), array("I", offsets), Findings(), "classes.dex")
        assert table.many(list(range(len(offsets)))) == _decode_reference(table, offsets)
