"""The shortcuts that make judgement cheap must give the results of the plain computation.

Each test compares a shortcut with the straightforward version it replaces: chunked t2s
with whole-text OpenCC, the package-name prefilter with matching every brand, the regex
literal prefilter with searching every value, ``holds`` with the full evidence tree, the
shared location lists with separate ones, and the integer icon hashes with ImageHash.
"""

from __future__ import annotations

import io
import random
import re

import imagehash
import numpy as np
import pytest
from opencc import OpenCC
from PIL import Image, ImageDraw, ImageStat

from chaincut.detect import category
from chaincut.detect.features import FeatureSet
from chaincut.detect.impersonation import icons
from chaincut.detect.impersonation import index as index_module
from chaincut.detect.impersonation.index import brand_index
from chaincut.detect.impersonation.mentions import naming_texts
from chaincut.detect.impersonation.normalize import to_simplified
from chaincut.detect.impersonation.package_candidates import candidates
from chaincut.detect.impersonation.packages import Identifier, match_identifier
from chaincut.detect.rules.examples import example_features
from chaincut.detect.rules.loader import load_rules
from chaincut.detect.rules.matcher import (
    Context,
    anchored,
    compiled,
    joinable,
    required_literal,
    required_options,
)
from chaincut.detect.rules.statements import parse_statement, walk
from chaincut.extractors.dispatch import extract_sample, make_sample
from chaincut.facts.models import Location
from chaincut.knowledge.brands import default_registry
from tests.corpus import corpus_files
from tests.rule_oracle import as_rule_set, evaluate_full, feature_node, holds

DEX = Location(entry="classes.dex")


def test_t2s_by_runs_equals_whole_text_conversion() -> None:
    reference = OpenCC("t2s")
    rnd = random.Random(5)
    pieces = ["銀行", "中國工商銀行", "網上銀行", "發財", "頭髮", "理財", "abc", " ", "-", "，",
              "1.2", "工商银行", "後台", "乾隆", "著作", "隻", "é", "\n",
              "銀𠁞", "𠌥銀", "😀"]  # fmt: skip
    for _ in range(3000):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 10)))
        assert to_simplified(text) == reference.convert(text), text
    assert to_simplified("中國工商銀行 ICBC") == "中国工商银行 ICBC"
    assert to_simplified("plain ascii") == "plain ascii"


def _mutate(rnd: random.Random, text: str) -> str:
    chars = list(text)
    for _ in range(rnd.randint(0, 2)):
        i = rnd.randrange(len(chars) + 1)
        if rnd.random() < 0.5 and chars:
            chars[min(i, len(chars) - 1)] = rnd.choice("il1o0.xb")
        else:
            chars.insert(i, rnd.choice("il1o0.xb"))
    return "".join(chars)


def test_package_candidates_by_leading_pairs_are_those_of_every_token(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from chaincut.detect.impersonation import package_candidates as pc

    index = brand_index(default_registry())
    pool = [o.low for e in index for o in e.officials] + [t for e in index for t in e.tokens]
    pool += [n.pinyin for e in index for n in e.names if n.pinyin]
    rnd = random.Random(12)
    idents = [Identifier.of(".".join(["com", *(_mutate(rnd, rnd.choice(pool))
                                               for _ in range(rnd.randint(1, 3)))]))
              for _ in range(1500)]  # fmt: skip
    fast = [candidates(i, index) for i in idents]
    assert pc._build(index).long_tokens.index is not None
    monkeypatch.setattr(pc, "_build_pairs", lambda pairs: None)  # every pair tried
    plain = index_module._build(default_registry())  # a new index: a new lookup
    assert pc._build(plain).long_tokens.index is None
    assert fast == [candidates(i, plain) for i in idents]


def test_package_candidates_cover_every_brand_a_package_borrows_from() -> None:
    index = brand_index(default_registry())
    pool = [o.low for e in index for o in e.officials] + [t for e in index for t in e.tokens]
    pool += [n.pinyin for e in index for n in e.names if n.pinyin]
    rnd = random.Random(11)
    matched = 0
    for _ in range(1500):
        parts = [_mutate(rnd, rnd.choice(pool)) for _ in range(rnd.randint(1, 3))]
        ident = Identifier.of(".".join(["com", *parts]))
        borrowed = {e.id for e in index if match_identifier(ident, e) is not None}
        assert borrowed <= candidates(ident, index), ident.value
        matched += bool(borrowed)
    assert matched > 300  # the sample exercises the matching routes, not only misses
    assert candidates(Identifier.of("org.example.notes"), index) == set()


def test_texts_without_any_brand_name_are_dropped_before_per_brand_search() -> None:
    index = brand_index(default_registry())
    name = next(raw for e in index for raw in e.brand.names if len(raw) >= 4)
    kept = naming_texts(index, [("nothing to see", "a"), (f"下载 {name} 客户端", "b")])
    assert [where for _, where in kept] == ["b"]


def test_required_literal_is_what_every_match_contains() -> None:
    assert required_literal(re.compile(r"^android\.permission\.(SEND|READ)_SMS$")) == (
        "android.permission."
    )
    assert required_literal(re.compile(r"x?yz+w")) == "y"
    assert required_literal(re.compile(r"(?i)sms")) == ""  # case-blind: no shortcut
    assert required_literal(re.compile(r"a|bcd")) == ""


def test_anchored_patterns_are_those_that_only_match_at_the_start() -> None:
    assert anchored(re.compile(r"^java\.lang\.")) and anchored(re.compile(r"\Ajava"))
    assert not anchored(re.compile(r"^a|b"))  # the anchor binds the first branch only
    assert not anchored(re.compile(r"(?m)^a"))  # any line start
    assert not anchored(re.compile(r"(^|/)lib"))


def test_regex_prefilter_skips_numbers_and_booleans_among_values() -> None:
    fs = FeatureSet()
    for value in (21, True, "v21", "21"):
        fs.add("mixed", value)
    stmt = parse_statement({"mixed": "/^v?21$/"})
    assert Context(fs).matching("mixed", stmt.tests[0]) == ["v21", "21"]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "pattern",
    [r"/^java\.lang\.(Runtime\.exec|ProcessBuilder\.start)$/", r"/Sms(Manager|Message)/",
     r"/send(Text)?Message$/", r"/(^|\.)exec$/", r"/loan/i"],
)  # fmt: skip
def test_regex_prefilter_finds_what_a_search_of_every_value_finds(pattern: str) -> None:
    values = ["java.lang.Runtime.exec", "android.telephony.SmsManager.sendTextMessage",
              "a.SmsMessage.b", "x.exec", "LOAN", "java.lang.String"]  # fmt: skip
    fs = FeatureSet()
    fs.add_many("api", values, DEX)
    stmt = parse_statement({"api": pattern})
    regex = stmt.tests[0].regex  # type: ignore[union-attr]
    assert regex is not None
    expected = [v for v in values if regex.search(v)]
    assert Context(fs).matching("api", stmt.tests[0]) == expected  # type: ignore[union-attr]


PREFILTER_PATTERNS = [
    r"^java\.lang\.(Runtime\.exec|ProcessBuilder\.start)$", r"Sms(Manager|Message)",
    r"send(Text)?Message$", r"(^|\.)exec$", r"(?i)loan", r"(贷款|借款|\bloans?\b)",
    r"\bab\b", r"\Bb\B", r"(?<=x)ab", r"(?<!x)ab", r"ab(?=c)", r"ab(?!c)", r"(?m)^ab$",
    r"\Aab", r"ab\Z", r"(?>a[^y]*)b", r"a[^y]*+b", r"(?:abc|abd)x", r"a.b", r"(?s)a.b",
    r"[^a]b", r"a\nb", r"(a)\1", r"x?", r"(?i:ab)c", r"lib(a|b)\.so", r"a{2,}b",
    r"^(android|com\.android)\.", r"(?x) a b ", r"[ab]c[de]", r"ab|^cd",
]  # fmt: skip


def test_joined_and_option_prefilters_find_what_a_search_of_every_value_finds() -> None:
    rnd = random.Random(11)
    pieces = ["a", "b", "c", "d", "x", "y", "ab", "abc", "\n", ".", "/", "exec", "lib",
              "java.lang.Runtime.exec", "SmsManager", "sendMessage", "loan", "LOAN", "贷款",
              " ", "android.", "liba.so", "abdx", "aa"]  # fmt: skip
    for pattern in PREFILTER_PATTERNS:
        regex = re.compile(pattern)
        for _ in range(300):
            values = ["".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 4)))
                      for _ in range(rnd.randint(1, 4))]  # fmt: skip
            fs = FeatureSet()
            fs.add_many("api", values, DEX)
            stmt = parse_statement({"api": f"/{pattern}/"})
            test = stmt.tests[0]  # type: ignore[union-attr]
            expected = [v for v in dict.fromkeys(values) if regex.search(v)]
            assert Context(fs).matching("api", test) == expected, (pattern, values)
    assert required_options(re.compile(PREFILTER_PATTERNS[0])) == (
        "java.lang.Runtime.exec", "java.lang.ProcessBuilder.start")
    assert joinable(re.compile(r"(贷款|\bloans?\b)", re.I))
    assert not any(joinable(re.compile(p)) for p in PREFILTER_PATTERNS[8:16])


STATEMENTS: list[object] = [
    {"and": [{"permission": "any"}, {"not": {"api": r"/Runtime\.exec/"}}]},
    {"or": [{"packer": "any"}, {"api": r"/^java\.lang\./"}]},
    {"2 or more": [{"permission": "any"}, {"api": "any"}, {"packer": "any"}]},
    {"3 or more": [{"permission": "any"}, {"api": "any"}, {"packer": "any"}]},
    {"count(permission=/SMS$/)": {"min": 2}},
    {"number(cert.age_days)": {"max": 30}},
    {"not": {"and": [{"permission": "any"}, {"packer": "any"}]}},
]


@pytest.mark.parametrize("raw", STATEMENTS)
def test_holds_agrees_with_the_full_evidence_tree(raw: object) -> None:
    fs = FeatureSet()
    fs.add_many("permission", ["android.permission.SEND_SMS", "android.permission.READ_SMS"], DEX)
    fs.add_many("api", ["java.lang.Runtime.exec", "a.b.C.d"], DEX)
    fs.add("cert.age_days", 12)
    stmt = parse_statement(raw)
    full = evaluate_full(stmt, Context(fs))
    assert holds(stmt, Context(fs)) is full.success
    node = as_rule_set(stmt, Context(fs))
    assert node.success is full.success
    assert node == full if full.success else node.children == []


def test_shared_location_lists_are_never_changed_in_place() -> None:
    fs = FeatureSet()
    fs.add_many("api", ["a", "b", "a"], DEX)
    other = Location(entry="classes2.dex")
    fs.add("api", "a", other)
    fs.add_many("api", ["b", "c"], other)
    assert fs.values("api") == {"a": [DEX, other], "b": [DEX, other], "c": [other]}


def _phash(channel: Image.Image) -> int:
    """imagehash's 64-bit pHash as an integer, bits in row order (as its hex form reads)."""
    bits = imagehash.phash(channel).hash.flatten()
    return int.from_bytes(np.packbits(bits).tobytes(), "big")


def _reduce(rows: np.ndarray, matrix: np.ndarray) -> np.ndarray:
    """One LANCZOS pass along rows as the icon code computes it: a product with Pillow's
    coefficients, rounded and clipped to 8 bits."""
    return icons._round8(icons._products(rows, matrix)).astype(np.uint8)


def test_integer_icon_hash_distance_is_the_imagehash_distance() -> None:
    rng = np.random.default_rng(3)
    for _ in range(20):
        a, b = (Image.fromarray(rng.integers(0, 255, (48, 48), dtype=np.uint8)) for _ in "ab")
        bits = (_phash(a) ^ _phash(b)).bit_count()
        assert bits == imagehash.phash(a) - imagehash.phash(b)


def _reference_hashes(img: Image.Image) -> tuple[tuple[int, int, int], ...]:
    """The icon hash set computed one masked channel at a time, with Pillow's drawing
    and statistics and imagehash's own ``phash`` (the method before vectorisation)."""
    out = []
    for keep in icons.CROPS:
        work = icons._crop(img, keep).resize((icons.WORK_SIZE,) * 2).convert("HSV")
        _, sat, val = work.split()
        for index, box in enumerate(icons._masks()):
            pair = []
            for channel in (val, sat):
                masked = channel.copy()
                if box is not None:
                    fill = int(ImageStat.Stat(masked).median[0])
                    ImageDraw.Draw(masked).rectangle(box, fill=fill)
                pair.append(_phash(masked))
            out.append((index, pair[0], pair[1]))
    return tuple(out)


def _icon(rng: np.random.Generator, size: tuple[int, int]) -> Image.Image:
    """A flattened icon: random blocks (so the hashes are not trivial) plus noise."""
    blocks = rng.integers(0, 255, (6, 6, 3), dtype=np.uint8)
    img = Image.fromarray(blocks).resize(size, Image.Resampling.NEAREST)
    noise = rng.integers(0, 40, (size[1], size[0], 3), dtype=np.uint8)
    return Image.fromarray(np.asarray(img) // 2 + noise)


def test_vectorised_icon_hashes_are_imagehash_phash_of_each_masked_channel() -> None:
    rng = np.random.default_rng(7)
    sizes = [(48, 48), (144, 144), (200, 130), (512, 512), (9, 300)]
    imgs = [_icon(rng, s) for s in sizes] + [Image.new("RGB", (64, 64), "white")]
    for img in imgs:
        assert icons.hashes_of(img).hashes == _reference_hashes(img), img.size


def _plain_flatten(img: Image.Image) -> Image.Image:
    """Padding trimmed and composited on white with ``alpha_composite`` then converted
    to RGB (the method before the masked paste)."""
    rgba = img.convert("RGBA")
    opaque = [255 if a > icons.TRIM_ALPHA else 0 for a in range(256)]
    box = rgba.getchannel("A").point(opaque).getbbox()
    if box is None:
        return Image.new("RGB", rgba.size, "white")
    rgba = rgba.crop(box)
    canvas = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    canvas.alpha_composite(rgba)
    return canvas.convert("RGB")


def _plain_icon_hashes(data: bytes) -> tuple[tuple[int, int, int], ...] | None:
    """Icon bytes decoded, flattened and hashed the plain way (Pillow + imagehash)."""
    img = Image.open(io.BytesIO(data), formats=icons.FORMATS)
    if min(img.size) < 8:
        return None
    img.load()
    return _reference_hashes(_plain_flatten(img))


def test_flatten_paste_is_alpha_composite_on_white_for_every_level_and_alpha() -> None:
    """Each flattened level depends on one level and its alpha only: all 65536 pairs, in
    each channel, and noise with every alpha, flatten as ``alpha_composite`` does."""
    level = np.broadcast_to(np.arange(256, dtype=np.uint8), (256, 256))
    alpha = level.T
    pairs = np.stack([level, 255 - level, level ^ 0x55, alpha], axis=2)
    rng = np.random.default_rng(17)
    noise = rng.integers(0, 256, (97, 61, 4), dtype=np.uint8)
    for rgba in (pairs, noise):
        img = Image.fromarray(np.ascontiguousarray(rgba), "RGBA")
        assert icons._flatten(img).tobytes() == _plain_flatten(img).tobytes()


def _encoded(img: Image.Image, fmt: str) -> bytes:
    buf = io.BytesIO()
    img.save(buf, fmt)
    return buf.getvalue()


def _generated_icons(rng: np.random.Generator) -> list[bytes]:
    """Icons of every shape decode meets: noise, blocks, semi-transparent and padded
    RGBA, palette (with a transparent index), greyscale (with alpha), JPEG, odd sizes."""
    out = []
    for width, height in [(8, 8), (9, 300), (37, 61), (127, 128), (128, 128), (142, 142),
                          (144, 144), (160, 145), (300, 300), (255, 17), (120, 114)]:
        rgba = rng.integers(0, 256, (height, width, 4), dtype=np.uint8)
        blocks = _icon(rng, (width, height)).convert("RGBA")
        soft = np.asarray(blocks).copy()
        soft[:, :, 3] = rng.integers(0, 40, (height, width), dtype=np.uint8)  # near the trim
        padded = np.zeros((height + 20, width + 12, 4), np.uint8)
        padded[5 : 5 + height, 9 : 9 + width] = np.asarray(blocks)
        padded[5 : 5 + height, 9 : 9 + width, 3] = rng.integers(0, 256, (height, width))
        images = [Image.fromarray(a, "RGBA") for a in (rgba, soft, padded)]
        images += [blocks.convert("P"), blocks.convert("L"), blocks.convert("LA"),
                   Image.fromarray(rgba[:, :, :3], "RGB")]
        out += [_encoded(img, "PNG") for img in images]
        palette = blocks.convert("P")
        palette.info["transparency"] = 0
        out += [_encoded(palette, "PNG"), _encoded(blocks.convert("RGB"), "JPEG")]
    return out


def test_icon_hashes_of_generated_icons_are_the_plain_computation() -> None:
    """``icon_hashes`` of encoded icons of every mode, alpha and size equals decoding
    with Pillow, compositing with ``alpha_composite`` and hashing with imagehash."""
    found = 0
    for data in _generated_icons(np.random.default_rng(19)):
        icons.clear_cache()
        got = icons.icon_hashes(data)
        assert (got.hashes if got else None) == _plain_icon_hashes(data)
        found += got is not None
    assert found > 60


def test_icon_table_gives_the_pairwise_distances() -> None:
    rng = np.random.default_rng(11)
    found = [icons.hashes_of(_icon(rng, (96, 96))) for _ in range(6)]
    table = icons.IconTable(found)
    for icon in found:
        assert table.distances(icon).tolist() == [icons.distance(icon, r) for r in found]
    assert len(icons.IconTable([])) == 0


@pytest.mark.parametrize(("width", "size"), [(128, 32), (144, 32), (100, 32), (128, 7)])
def test_lanczos_matrix_pass_is_pillows_resize(width: int, size: int) -> None:
    """A row pass as a product with Pillow's fixed-point coefficients gives Pillow's
    LANCZOS row pass (a resize keeping the height), and two passes its full resize, on
    noise, on black-and-white edges (clipping) and on flat blocks (rounding)."""
    rng = np.random.default_rng(5)
    noise = rng.integers(0, 256, (64, width), dtype=np.uint8)
    edges = np.where(rng.random((64, width)) < 0.5, 0, 255).astype(np.uint8)
    flat = np.full((64, width), 131, np.uint8)
    flat[20:, : width // 3] = 7
    for rows in (noise, edges, flat):
        pillow = np.asarray(Image.fromarray(rows).resize((size, len(rows)), Image.LANCZOS))
        along = icons._lanczos_matrix(width, size)
        assert np.array_equal(_reduce(rows, along), pillow)
        square = rows[:, : len(rows)] if width >= len(rows) else rows
        full = np.asarray(Image.fromarray(square).resize((size, size), Image.LANCZOS))
        once = _reduce(square, icons._lanczos_matrix(square.shape[1], size))
        twice = _reduce(np.ascontiguousarray(once.T),
                              icons._lanczos_matrix(square.shape[0], size)).T
        assert np.array_equal(twice, full)


def test_icon_hashes_of_real_app_icons_are_imagehash_phash() -> None:
    """The launcher icons of real APKs (the shared corpus): every hash equals imagehash's
    ``phash`` of the masked channel, computed one at a time from the icon trimmed and
    composited with ``alpha_composite``."""
    checked = 0
    for path in corpus_files("androguard")[:40]:
        result = extract_sample(make_sample(str(path), path.read_bytes()))
        for data in result.blobs.values():
            found = icons.icon_hashes(data)
            if found is None:
                continue
            assert found.hashes == _plain_icon_hashes(data), path.name
            checked += 1
    assert checked >= 10


def test_saturation_table_is_pillows_hsv_conversion() -> None:
    rng = np.random.default_rng(9)
    rgb = rng.integers(0, 256, (256, 256, 3), dtype=np.uint8)
    hsv = np.asarray(Image.fromarray(rgb).convert("HSV"))
    val, sat = icons._value_saturation(rgb[:, :, 0], rgb[:, :, 1], rgb[:, :, 2])
    assert np.array_equal(val, hsv[:, :, 2]) and np.array_equal(sat, hsv[:, :, 1])


def _plain_counts(text: str, index: category.TermIndex) -> dict[str, int]:
    """Term counts with every term looked for directly (the method before the prefilter)."""
    claimed = bytearray(len(text))
    out: dict[str, int] = {}
    for term in index.longest_first:
        if term not in text:
            continue
        spans = [(a, b) for a, b in category._spans(term, text) if 0 in claimed[a:b]]
        for a, b in spans:
            claimed[a:b] = b"\x01" * (b - a)
        if spans:
            out[term] = len(spans)
    return out


def test_term_counts_skip_only_terms_that_cannot_occur() -> None:
    """Texts are first reduced to their characters and only terms starting with one of
    them are tried; the counts must be the ones every term looked for directly gives."""
    index = category.term_index(category.default_categories())
    rnd = random.Random(3)
    words = [*index.longest_first[:80], *index.longest_first[-40:], "银行", "客服", "abc",
             " ", "\n", "下载", "é", "bet", "pay.xyz.shop/bet"]  # fmt: skip
    texts = ["".join(rnd.choice(words) for _ in range(rnd.randint(0, 400))) for _ in range(300)]
    texts += ["".join(rnd.choice(words) for _ in range(rnd.randint(1, 4))) for _ in range(300)]
    assert [category._counts(t, index) for t in texts] == [_plain_counts(t, index) for t in texts]


def test_channel_medians_from_one_histogram_are_pillows_medians() -> None:
    rng = np.random.default_rng(13)
    planes = [rng.integers(0, 256, (32, 32), dtype=np.uint8) for _ in range(5)]
    planes += [np.full((32, 32), 9, np.uint8), np.where(planes[0] > 127, 255, 0).astype(np.uint8)]
    expected = [int(ImageStat.Stat(Image.fromarray(p)).median[0]) for p in planes]
    assert icons._medians(np.stack(planes)) == expected


def test_compiled_rule_checks_agree_with_holds_on_every_builtin_rule() -> None:
    """Every statement of every built-in rule, compiled once, against the feature sets of
    every rule's examples (with the rules matched so far), gives ``holds``'s answer."""
    rules = load_rules()
    sets = [example_features(ex, rule) for rule in rules for ex in rule.meta.examples]
    assert len(sets) > 50
    for fs in sets:
        ctx = Context(fs)
        for rule in rules:
            for stmt in walk(rule.statement):
                assert compiled(stmt)(ctx) is holds(stmt, ctx), (rule.id, stmt)
            if holds(rule.statement, ctx):
                ctx.matched[rule.id] = evaluate_full(rule.statement, ctx)
    for raw in STATEMENTS:
        stmt = parse_statement(raw)
        fs = FeatureSet()
        fs.add_many("permission", ["android.permission.SEND_SMS", "x.READ_SMS"], DEX)
        fs.add("cert.age_days", 12)
        assert compiled(stmt)(Context(fs)) is holds(stmt, Context(fs))


def test_evidence_built_without_pydantic_equals_validated_models() -> None:
    from chaincut.detect.rules.matcher import _built, _node
    from chaincut.result.models import EvidenceNode, FeatureHit

    for cls in (EvidenceNode, FeatureHit):
        assert cls.model_config.get("extra") != "allow" and not cls.__pydantic_post_init__
    hit = _built(FeatureHit, {"kind": "api", "value": "a.b", "location": DEX})
    assert hit == FeatureHit(kind="api", value="a.b", location=DEX)
    assert hit == FeatureHit.model_construct(kind="api", value="a.b", location=DEX)
    leaf = _node("api: /x/", True, [hit])
    tree = _node("and", True, None, [leaf])
    valid = EvidenceNode(statement="and", success=True, children=[
        EvidenceNode(statement="api: /x/", success=True, hits=[hit])])  # fmt: skip
    assert tree == valid and tree.model_dump_json() == valid.model_dump_json()
    assert tree.model_dump(exclude_unset=True) == EvidenceNode.model_construct(
        statement="and", success=True, hits=[], children=[leaf]).model_dump(exclude_unset=True)
    assert tree.model_fields_set == {"statement", "success", "hits", "children"}
    with pytest.raises(ValueError):
        tree.success = False  # type: ignore[misc]


def test_official_for_is_is_official_of_every_brand() -> None:
    from chaincut.detect.impersonation.domains import is_official, official_for

    index = brand_index(default_registry())
    domains = sorted({d for e in index for d in e.domains})
    assert len(domains) > 20
    rnd = random.Random(17)
    hosts = ["", ".", "localhost", "10.0.0.1", "com", "example.com.", "a..b"]
    for _ in range(3000):
        d = rnd.choice(domains)
        hosts.append(rnd.choice([d, f"www.{d}", f"a.b.{d}", f"x{d}", f"{d}.evil.cn", d.upper(),
                                 f"{d}.", d.replace(".", "-"), d.split(".", 1)[-1],
                                 f"m.{d.split('.', 1)[-1]}"]))  # fmt: skip
    for host in hosts:
        expected = tuple(i for i, e in enumerate(index) if is_official(host, e))
        assert official_for(host, index) == expected, host
    assert sum(bool(official_for(h, index)) for h in hosts) > 500


def test_feature_evidence_keeps_the_first_distinct_values_in_test_order() -> None:
    from chaincut.detect.rules import matcher

    def plain(stmt: object, ctx: Context) -> list[object]:
        found: list[object] = []
        for test in stmt.tests:  # type: ignore[attr-defined]
            found.extend(v for v in ctx.matching(stmt.kind, test) if v not in found)  # type: ignore[attr-defined]
        return found[: matcher.MAX_HITS]

    rnd = random.Random(19)
    for _ in range(300):
        fs = FeatureSet()
        fs.add_many("api", [f"a.b{rnd.randint(0, 30)}" for _ in range(rnd.randint(0, 40))], DEX)
        fs.add("api", rnd.choice([1, True, "1"]))
        tests = rnd.sample(["any", "/b1/", "/b2$/", "a.b3", "/^a/", "1"], rnd.randint(1, 4))
        stmt = parse_statement({"api": tests})
        node = feature_node(stmt, Context(fs))  # type: ignore[arg-type]
        expected = plain(stmt, Context(fs))
        assert [h.value for h in node.hits] == [matcher._text(v) for v in expected]  # type: ignore[arg-type]
        assert node.success is bool(expected)


def test_class_package_prefixes_each_once_give_the_same_component_hits() -> None:
    """Every dotted prefix of every class package, as before, against each once."""
    from types import SimpleNamespace

    from chaincut.detect import components
    from chaincut.knowledge.kb import load_knowledge

    idx = components._index(load_knowledge())
    known = sorted(idx.packages)
    rnd = random.Random(23)
    for _ in range(200):
        pkgs = [rnd.choice([*known, "a.b", "a..b", "com", ""]) + rnd.choice(["", ".x", ".y.z"])
                for _ in range(rnd.randint(0, 30))]  # fmt: skip
        dex = [SimpleNamespace(packages=pkgs[: len(pkgs) // 2]),
               SimpleNamespace(packages=pkgs[len(pkgs) // 2 :])]  # fmt: skip
        empty: list[object] = []
        apk = SimpleNamespace(dex=dex, application=None, main_activity=None, components=empty,
                              meta_data_entries=empty, permissions=empty, entries=empty,
                              native_libs=empty)  # fmt: skip
        fast = components._Hits()
        components._apk_hits(apk, idx, fast)  # type: ignore[arg-type]
        plain = components._Hits()
        for d in dex:
            for pkg in d.packages:
                for prefix in components._package_prefixes(pkg):
                    if prefix in idx.packages:
                        plain.add(idx.packages[prefix], f"class package {prefix}")
        assert fast.by_key == plain.by_key
        assert list(fast.by_key) == list(plain.by_key)


def test_native_library_prefilter_matches_iff_some_glob_does() -> None:
    from fnmatch import fnmatchcase

    from chaincut.detect import components
    from chaincut.knowledge.kb import load_knowledge

    idx = components._index(load_knowledge())
    assert idx.lib_prefilter is not None and idx.lib_globs
    rnd = random.Random(29)
    parts = [g.replace("*", rnd.choice(["", "x", "abc"])).replace("?", "q")
             for g, _ in idx.lib_globs]  # fmt: skip
    parts += ["libc.so", "libfoo.so", "a", "", "LIB.SO", "\n"]
    names = [rnd.choice(parts) + rnd.choice(["", "x", ".so", "\n"]) for _ in range(3000)]
    for name in names + parts:
        expected = any(fnmatchcase(name, g) for g, _ in idx.lib_globs)
        assert (idx.lib_prefilter.match(name) is not None) is expected, name


def test_naming_texts_finds_the_texts_holding_some_searchable_name() -> None:
    """ASCII texts are searched with the ASCII names only: the same texts come out as
    looking for every name in every text."""
    from chaincut.detect.impersonation.mentions import fold_texts, mention_forms

    index = brand_index(default_registry())
    names = [raw for forms in mention_forms(index).values() for raw, _ in forms.names]
    assert any(n.isascii() for n in names) and any(not n.isascii() for n in names)
    rnd = random.Random(31)
    pieces = [*names, "下载", "app", " ", "x", "ＡＢＣ", "é"]
    texts = [("".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 3))), f"w{i}")
             for i in range(2000)]  # fmt: skip
    expected = [(t, w) for t, w in fold_texts(texts) if any(n in t for n in names)]
    assert naming_texts(index, texts) == expected
    assert 200 < len(expected) < 2000
