"""Brand mentions looked for only in the brands some word of the text names give every
signal that trying every brand gives, per registry."""

from __future__ import annotations

import random

from chaincut.detect.impersonation.index import BrandIndex, brand_index
from chaincut.detect.impersonation.mentions import (
    fold_texts,
    mention_forms,
    mention_signal,
    named_brands,
)
from chaincut.knowledge.brands import Brand, BrandRegistry, default_registry
from chaincut.result.models import Signal

Places = list[tuple[str, str]]


def _every_brand(index: BrandIndex, texts: Places, tokens: Places) -> dict[str, Signal]:
    forms = mention_forms(index)
    return {b: s for b, f in forms.items() if (s := mention_signal(f, texts, tokens))}


def _only_named(index: BrandIndex, texts: Places, tokens: Places) -> dict[str, Signal]:
    forms = mention_forms(index)
    named = named_brands(index, texts, tokens)
    return {b: s for b in named if (s := mention_signal(forms[b], texts, tokens))}


def _words(index: BrandIndex) -> list[str]:
    forms = mention_forms(index)
    return sorted({raw for f in forms.values() for raw, _ in f.names}
                  | {t for f in forms.values() for t in f.known})  # fmt: skip


def test_named_brands_keep_every_mention_signal() -> None:
    index = brand_index(default_registry())
    words = _words(index)
    assert len(words) > 50
    rnd = random.Random(29)
    fillers = ["", " ", "下载", "app", "x", "Pay", "官方", "-", "1", "的"]
    found = 0
    for _ in range(1500):
        pool = words + fillers * 6
        places = ["page text", "strings", "H5"]
        texts = [("".join(rnd.choice(pool) for _ in range(rnd.randint(0, 6))), rnd.choice(places))
                 for _ in range(rnd.randint(0, 3))]  # fmt: skip
        tokens = [(rnd.choice([*words, "nothing"]).upper(), "URL")
                  for _ in range(rnd.randint(0, 2))]  # fmt: skip
        folded = fold_texts(texts)
        expected = _every_brand(index, folded, tokens)
        assert _only_named(index, folded, tokens) == expected, (texts, tokens)
        found += bool(expected)
    assert found > 500


def test_each_registry_names_its_own_brands() -> None:
    """Two registries in one process, one word each way: each index answers for itself."""

    def registry(brand_id: str, name: str, version: str) -> BrandRegistry:
        brand = Brand(id=brand_id, names=[name], category="banking", tokens=[brand_id])
        return BrandRegistry(brands={brand_id: brand}, version=version)

    one = brand_index(registry("alpha", "alphabank", "v1"))
    two = brand_index(registry("omega", "omegabank", "v2"))
    texts = [("pay at alphabank today", "page text")]
    assert named_brands(one, texts, []) == {"alpha"}
    assert named_brands(two, texts, []) == set()
    assert named_brands(two, [], [("OMEGA", "URL")]) == {"omega"}
    assert named_brands(one, [], [("OMEGA", "URL")]) == set()


def test_named_brands_are_walked_in_registry_order() -> None:
    """The few brands a lookup names, walked in registry order, per registry."""
    from chaincut.detect.impersonation.index import in_registry_order

    big = brand_index(default_registry())
    small = brand_index(BrandRegistry(brands=dict(list(default_registry().brands.items())[::-3]),
                                      version="reversed"))  # fmt: skip
    rnd = random.Random(37)
    for index in (big, small, big):
        ids = [e.id for e in index]
        for _ in range(300):
            chosen = set(rnd.sample(ids, rnd.randint(0, min(6, len(ids)))))
            assert in_registry_order(index, chosen) == [e for e in index if e.id in chosen]
    assert [e.id for e in in_registry_order(small, {e.id for e in small})] == [
        e.id for e in small]  # fmt: skip
