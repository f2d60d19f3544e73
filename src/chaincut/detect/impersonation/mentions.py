"""Brand names mentioned in an artifact's wording: weak, supporting evidence only.

Ordinary apps mention platforms all the time (payment SDK strings name 支付宝 and 微信),
so a mention never claims a brand by itself: it scores 0.30, plus 0.05 per further
distinct name or place, at most 0.45, and the claim rule in ``judge`` ignores it.
Only names that cannot hide inside other words are searched (3+ Chinese characters or
5+ Latin letters, as whole words).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from chaincut.detect.impersonation import normalize as nz
from chaincut.detect.impersonation.index import BrandEntry, BrandIndex
from chaincut.result.models import Signal

BASE = 0.3
STEP = 0.05
CAP = 0.45


Searchable = tuple[tuple[str, "re.Pattern[str] | None"], ...]  # folded name, word pattern


def _searchable(entry: BrandEntry) -> Searchable:
    out: list[tuple[str, re.Pattern[str] | None]] = []
    for name in entry.names:
        raw = unicodedata.normalize("NFKC", name.raw).casefold()
        if nz.is_cjk(raw) and len(name.basic) >= 3:
            out.append((raw, None))
        elif not nz.is_cjk(raw) and len(name.basic) >= 5:
            out.append((raw, re.compile(rf"(?<![a-z0-9]){re.escape(raw)}(?![a-z0-9])")))
    return tuple(out)


@dataclass(frozen=True, slots=True)
class MentionForms:
    """What a brand's mentions are searched by, built once per index."""

    names: Searchable
    known: frozenset[str]  # brand id and tokens, as extractors report them


def mention_forms(index: BrandIndex) -> dict[str, MentionForms]:
    """Per brand id: the searchable names and known tokens (cached on the index)."""

    def build() -> dict[str, MentionForms]:
        return {e.id: MentionForms(_searchable(e), frozenset({e.id, *e.tokens})) for e in index}

    return index.derived("mention forms", build)


def mention_signal(
    forms: MentionForms, texts: Sequence[tuple[str, str]], tokens: Sequence[tuple[str, str]]
) -> Signal | None:
    """A ``text`` signal for the brand names (``forms``) found in ``texts`` (already
    case-folded) and the brand ids/tokens extractors recognised (``tokens``)."""
    found: list[str] = []
    places: set[str] = set()
    for raw, pattern in forms.names:
        for text, where in texts:
            # the plain substring test is a fast C scan; the word pattern only confirms
            if raw in text and (pattern is None or pattern.search(text) is not None):
                if raw not in found:
                    found.append(raw)
                places.add(where)
    for token, where in tokens:
        if token.lower() in forms.known:
            found.append(token.lower())
            places.add(where)
    if not found:
        return None
    score = min(CAP, BASE + STEP * (len(set(found)) + len(places) - 2))
    names = ", ".join(f"'{n}'" for n in dict.fromkeys(found))
    return Signal(
        kind="text",
        score=round(score, 3),
        detail=f"mentions {names} in {', '.join(sorted(places))}",
    )


Brands = dict[str, tuple[str, ...]]  # a word -> the ids of the brands it names


def _brands_by_word(index: BrandIndex) -> tuple[Brands, Brands]:
    """Brand ids per searchable name and per known token (built once per index)."""

    def build() -> tuple[Brands, Brands]:
        names: dict[str, list[str]] = {}
        tokens: dict[str, list[str]] = {}
        for brand, forms in mention_forms(index).items():
            for raw, _ in forms.names:
                names.setdefault(raw, []).append(brand)
            for token in forms.known:
                tokens.setdefault(token, []).append(brand)
        return ({k: tuple(v) for k, v in names.items()},
                {k: tuple(v) for k, v in tokens.items()})  # fmt: skip

    return index.derived("brands by mention word", build)


def named_brands(
    index: BrandIndex, texts: Sequence[tuple[str, str]], tokens: Sequence[tuple[str, str]]
) -> set[str]:
    """The brand ids whose :func:`mention_signal` can be found: some searchable name of
    theirs occurs in ``texts`` (folded) or a token is their id or one of their tokens.
    Each distinct name is looked for once, not once per brand that has it, and the
    brands named nowhere (nearly all) are not tried at all."""
    by_name, by_token = _brands_by_word(index)
    out: set[str] = set()
    for raw, brands in by_name.items():
        for text, _ in texts:
            if raw in text:
                out.update(brands)
                break
    for token, _ in tokens:
        out.update(by_token.get(token.lower(), ()))
    return out


AnyName = tuple[re.Pattern[str], re.Pattern[str] | None]


def _any_name(index: BrandIndex) -> AnyName | None:
    """One alternation of every searchable name of the index, and one of its ASCII names
    only (an ASCII text can hold no other; None when there is none)."""

    def build() -> AnyName | None:
        names = {raw for forms in mention_forms(index).values() for raw, _ in forms.names}
        if not names:
            return None

        def alternation(chosen: set[str]) -> re.Pattern[str]:
            ordered = sorted(chosen, key=lambda n: -len(n))
            return re.compile("|".join(re.escape(n) for n in ordered))

        ascii_names = {n for n in names if n.isascii()}
        return alternation(names), alternation(ascii_names) if ascii_names else None

    return index.derived("any mention name", build)


def naming_texts(index: BrandIndex, texts: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """The texts, folded, that contain some brand's searchable name: one regex pass per
    text rules out the rest for every brand at once (a name must occur literally before
    its word pattern is tried)."""
    patterns = _any_name(index)
    if patterns is None:
        return []
    every, ascii_only = patterns
    out = []
    for t, w in fold_texts(texts):
        pattern = (ascii_only if t.isascii() else every)
        if pattern is not None and pattern.search(t) is not None:
            out.append((t, w))
    return out


def fold_texts(texts: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """NFKC + case fold once per document, not once per brand."""
    return [(unicodedata.normalize("NFKC", t).casefold(), w) for t, w in texts if t]
