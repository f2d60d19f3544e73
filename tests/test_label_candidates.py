"""Matching a label only against the brands ``label_candidates`` finds gives the hits of
matching it against every brand: same brands, order, scores and sentences.

The labels are real ones (the impersonation tests' labels, the fixtures' app labels) and
brand names mutated the ways impostors do it (edits, decorations, pinyin, initials,
traditional characters, homophones, look-alike letters, parts and mixes of names), over
the built-in registry and a made-up one holding every kind of name.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from opencc import OpenCC
from pypinyin import Style, lazy_pinyin
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from chaincut.detect.impersonation import label_candidates as lc
from chaincut.detect.impersonation.clues import gather
from chaincut.detect.impersonation.index import BrandIndex, brand_index
from chaincut.detect.impersonation.labels import LabelForms, match_label
from chaincut.detect.impersonation.resemblance import LabelHit, _label_matches
from chaincut.extractors.dispatch import extract_sample, make_sample
from chaincut.knowledge.brands import Brand, BrandRegistry, default_registry
from tests import test_impersonation as ti

FIXTURES = Path(__file__).parent / "fixtures"
DECORATIONS = ["Pro", " Plus", "官方", "官方版", "极速版", "手机银行", "客户端", " 2024",
               " v5.2", "理财", "金融", "助手", "中国", "APP", "网上银行", "-", " ", "🔥",
               "（新）"]  # fmt: skip
# common characters, grouped by reading below for homophone swaps
COMMON = ("中国工商建设农业交通招商银行金融证券基金支付宝微信京东淘宝美团国家反诈心同花顺币安易所"
          "航行杭兴星新信心欣鑫通同童铜彤华花化画话商上尚伤赏银因音引印云运允韵付富福夫服宝保"
          "报包薄安按案岸")  # fmt: skip


def _made_up_registry() -> BrandRegistry:
    """Made-up brands covering each kind of name: long and short Chinese, Latin words,
    a short Latin name, digits, mixed scripts, names decorations shrink."""
    brands = [
        Brand(
            id="demo_bank", names=["示例兴业银行", "示例兴业", "示兴", "SXB"], category="banking"
        ),
        Brand(id="demo_pay", names=["云付宝", "Yunfu Pay", "YFB"], category="payment"),
        Brand(id="demo_trade", names=["Tradewell Markets", "TW5"], category="investment"),
        Brand(id="demo_fin", names=["星河金融", "星河理财"], category="investment"),
        Brand(id="demo_mix", names=["ABC钱包", "安心付"], category="payment"),
        Brand(id="demo_long", names=["Northwind Savings Bank", "Northwind"], category="banking"),
        Brand(id="demo_twin", names=["星海银行", "星海"], category="banking"),
        Brand(id="demo_digits", names=["Coin88 Exchange", "币八八"], category="investment"),
    ]
    return BrandRegistry(brands={b.id: b for b in brands}, version="test-labels")


def _unfiltered(text: str, index: BrandIndex) -> list[LabelHit]:
    """The oracle: every brand entry tried."""
    forms = LabelForms.of(text)
    return [(e.id, m.score, m.how, m.name) for e in index if (m := match_label(forms, e))]


def _fresh(index: BrandIndex) -> BrandIndex:
    """The same entries without anything derived (no label memo, no lookup)."""
    return BrandIndex(entries=index.entries, owned=index.owned)


def _real_labels() -> list[str]:
    """Labels the impersonation tests use and the fixtures' apps show."""
    found: list[str] = []
    for test in (ti.test_labels_that_name_icbc, ti.test_labels_of_other_brands,
                 ti.test_labels_that_name_no_brand):  # fmt: skip
        for value in test.pytestmark[0].args[1]:  # type: ignore[attr-defined]
            found.append(value[0] if isinstance(value, tuple) else value)
    for path in sorted(FIXTURES.glob("*/*")):
        if path.suffix in (".apk", ".ipa", ".mobileconfig", ".xapk", ".apks", ".apkm"):
            result = extract_sample(make_sample(str(path), path.read_bytes()))
            found += [text for text, _ in gather(result.document, result.blobs).labels]
    return found


def _homophones(chars: str) -> dict[str, list[str]]:
    by_reading: dict[str, list[str]] = defaultdict(list)
    for c in dict.fromkeys(chars):
        if "\u4e00" <= c <= "\u9fff":
            by_reading[lazy_pinyin(c, style=Style.NORMAL)[0]].append(c)
    return {c: group for group in by_reading.values() for c in group if len(group) > 1}


def _pinyin_spellings(name: str, rnd: random.Random) -> str:
    syllables = lazy_pinyin(name, style=Style.NORMAL, errors="ignore")
    if rnd.random() < 0.3:
        return "".join(s[0] for s in syllables if s).upper()
    return (" " if rnd.random() < 0.5 else "").join(syllables).title()


def _mutations(names: list[str], seed: int, count: int) -> list[str]:
    """``count`` labels made from ``names`` as impostors do."""
    rnd = random.Random(seed)
    chars = "".join(names) + COMMON
    same_sound = _homophones(chars)
    trad = OpenCC("s2t")

    def edit(text: str) -> str:
        out = list(text)
        for _ in range(rnd.randint(1, 2)):
            i = rnd.randrange(len(out) + 1)
            op = rnd.random()
            if op < 0.3 and len(out) > 1:
                del out[min(i, len(out) - 1)]
            elif op < 0.6 and len(out) > 1:
                j = rnd.randrange(len(out) - 1)
                out[j], out[j + 1] = out[j + 1], out[j]
            elif op < 0.8 and out:
                out[min(i, len(out) - 1)] = rnd.choice(chars)
            else:
                out.insert(i, rnd.choice(chars))
        return "".join(out)

    def homophone(text: str) -> str:
        spots = [i for i, c in enumerate(text) if c in same_sound]
        if not spots:
            return text
        i = rnd.choice(spots)
        return text[:i] + rnd.choice(same_sound[text[i]]) + text[i + 1 :]

    def part(text: str) -> str:
        i = rnd.randrange(len(text))
        return text[i : rnd.randint(i + 1, len(text))] if rnd.random() < 0.5 else text[:-1]

    makers: list[Callable[[str], str]] = [
        edit, homophone, part, trad.convert,
        lambda t: t + rnd.choice(DECORATIONS),
        lambda t: rnd.choice(DECORATIONS) + t,
        lambda t: _pinyin_spellings(t, rnd),
        lambda t: t.upper().replace("I", "І").replace("C", "С"),  # Cyrillic look-alikes
        lambda t: "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in t),
        lambda t: t + rnd.choice(names),
        lambda t: t[: len(t) // 2] + (o := rnd.choice(names))[len(o) // 2 :],
        lambda t: f"{rnd.choice(COMMON)}{t}{rnd.choice(COMMON)}",
        lambda t: "".join(rnd.sample(t, len(t))),  # same characters, near the fuzzy bounds
    ]  # fmt: skip
    out = []
    for _ in range(count):
        text = rnd.choice(names)
        for _ in range(rnd.randint(1, 3)):
            text = rnd.choice(makers)(text) or text
        out.append(text)
    return out


def _labels_for(index: BrandIndex, seed: int) -> list[str]:
    names = sorted({n for e in index for n in e.brand.names})
    return _real_labels() + names + _mutations(names, seed, 2500)


Case = tuple[BrandIndex, dict[str, list[LabelHit]]]  # index, label -> unfiltered hits


def _mismatches(case: Case) -> list[str]:
    index, expected = case
    fast = _fresh(index)
    return [t for t, hits in expected.items() if _label_matches(t, fast) != hits]


@pytest.fixture(scope="module", params=["built-in", "test"])
def case(request: pytest.FixtureRequest) -> Case:
    registry = default_registry() if request.param == "built-in" else _made_up_registry()
    index = brand_index(registry)
    labels = _labels_for(index, seed=len(request.param))
    return index, {t: _unfiltered(t, index) for t in labels}


def test_filtered_label_matches_equal_matching_every_brand(case: Case) -> None:
    assert _mismatches(case) == []
    hows = {how.split(" (")[0] for hits in case[1].values() for _, _, how, _ in hits}
    assert len(hows) == 12, sorted(hows)  # the sample takes every route of labels.py


def test_candidates_are_few(case: Case) -> None:
    index, expected = case
    labels = list(expected)
    fast = _fresh(index)
    tried = [len(lc.label_candidates(LabelForms.of(t), fast)) for t in labels]
    assert sum(tried) < 0.2 * len(index) * len(labels)


@pytest.mark.parametrize("part", ["_inside", "_near", "_by_key"])
def test_each_condition_is_needed(part: str, case: Case, monkeypatch: pytest.MonkeyPatch) -> None:
    """Counter-test: without any one of the conditions some hits are lost, so the sample
    would catch a condition too strict."""
    nothing: Callable[..., object] = (
        (lambda label, look: set()) if part == "_by_key"
        else (lambda label, look, shared: np.zeros(len(look.owner), dtype=bool))
    )  # fmt: skip
    monkeypatch.setattr(lc, part, nothing)
    assert _mismatches(case)


def test_fuzzy_scores_stay_under_the_bounds_of_shared_characters() -> None:
    """The bounds the near conditions rest on, against the installed rapidfuzz: with ``m``
    shared characters, ratio <= 200m / (|a| + |b|), partial ratio (shorter ``b`` in ``a``)
    <= 200m / (|b| + m), and one edit apart means m >= max(|a|, |b|) - 1."""
    rnd = random.Random(3)
    alphabet = "工商银行兴业abc"
    for _ in range(20_000):
        a = "".join(rnd.choices(alphabet, k=rnd.randint(1, 12)))
        b = "".join(rnd.choices(alphabet, k=rnd.randint(1, 12)))
        m = sum((Counter(a) & Counter(b)).values())
        assert fuzz.ratio(a, b) <= 200 * m / (len(a) + len(b)) + 1e-9, (a, b)
        if len(b) < len(a):
            bound = 200 * m / (len(b) + m) if m else 0.0
            assert fuzz.partial_ratio(b, a) <= bound + 1e-9, (a, b)
        if Levenshtein.distance(a, b) == 1:
            assert m >= max(len(a), len(b)) - 1, (a, b)
