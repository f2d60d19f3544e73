"""Which brands a package name or bundle id could borrow from, before matching it.

``packages.match_identifier`` compares one identifier with one brand; a scan asks it for
every brand, and almost every pair fails. Each of its routes needs something a lookup
finds for all brands at once: the same confusable skeleton as an official id, an official
id of similar length (typo), an official id as a dotted prefix, a short token as a whole
segment, a long token inside a segment or a brand's pinyin inside the joined segments.
The brands found are a superset of those ``match_identifier`` names, so matching only
them gives the same signals.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from chaincut.detect.impersonation.index import BrandIndex
from chaincut.detect.impersonation.packages import (
    MIN_PINYIN,
    TYPO_SIMILARITY,
    Identifier,
    in_segment,
    near,
)

TYPO_MIN_LEN = 8  # officials shorter than this are only matched by skeleton


PairIndex = tuple[dict[str, tuple[int, ...]], set[int]]


@dataclass(frozen=True, slots=True)
class PairTable:
    """(string, brand id) pairs, with the positions of those whose string starts with
    each two characters (``index`` None for a table short enough to try whole)."""

    pairs: tuple[tuple[str, str], ...]
    index: PairIndex | None

    @classmethod
    def of(cls, pairs: list[tuple[str, str]]) -> PairTable:
        return cls(tuple(pairs), _build_pairs(tuple(pairs)))


@dataclass(frozen=True, slots=True)
class IdentifierLookup:
    """The index's official ids, tokens and pinyin, keyed for the routes above."""

    by_skeleton: dict[str, set[str]]
    by_official: dict[str, set[str]]  # lower-case official id -> brand ids
    long_officials: dict[int, list[tuple[str, str]]]  # length -> (lower-case id, brand id)
    short_tokens: dict[str, set[str]]  # token of <= 3 characters -> brand ids
    long_tokens: PairTable  # (token, brand id)
    pinyins: PairTable  # (full pinyin, brand id)


def _build(index: BrandIndex) -> IdentifierLookup:
    skel: dict[str, set[str]] = defaultdict(set)
    official: dict[str, set[str]] = defaultdict(set)
    short: dict[str, set[str]] = defaultdict(set)
    long_officials: dict[int, list[tuple[str, str]]] = defaultdict(list)
    long_tokens, pinyins = [], []
    for e in index:
        for o in e.officials:
            skel[o.skeleton].add(e.id)
            official[o.low].add(e.id)
            if len(o.low) >= TYPO_MIN_LEN:
                long_officials[len(o.low)].append((o.low, e.id))
        for token in e.tokens:
            if len(token) <= 3:
                short[token].add(e.id)
            else:
                long_tokens.append((token, e.id))
        pinyins += [(n.pinyin, e.id) for n in e.names if len(n.pinyin) >= MIN_PINYIN]
    return IdentifierLookup(
        dict(skel), dict(official), dict(long_officials), dict(short),
        PairTable.of(long_tokens), PairTable.of(pinyins),
    )  # fmt: skip


def _typo_lengths(n: int) -> range:
    """Lengths an official id needs for ``near`` to accept it against a value of length
    ``n`` (with a character to spare either side)."""
    return range(int(n * TYPO_SIMILARITY) - 1, int(n / TYPO_SIMILARITY) + 2)


def _prefixes(value: str) -> list[str]:
    """Every dotted prefix of ``value`` ("a.b.c" -> "a", "a.b")."""
    return [value[:i] for i, c in enumerate(value) if c == "."]


def candidates(ident: Identifier, index: BrandIndex) -> set[str]:
    """Brand ids ``ident`` may borrow from (a superset of those it does)."""
    look = index.derived("identifier lookup", lambda: _build(index))
    found: set[str] = set(look.by_skeleton.get(ident.skeleton, ()))
    for prefix in _prefixes(ident.value):
        found |= look.by_official.get(prefix, set())
    for segment in ident.segments:
        found |= look.short_tokens.get(segment, set())
    for length in _typo_lengths(len(ident.value)):
        for o, b in look.long_officials.get(length, ()):
            if b not in found and near(ident.value, o):
                found.add(b)
    found.update(b for t, b in _by_pairs(look.long_tokens, ident.separated)
                 if b not in found and in_segment(t, ident))  # fmt: skip
    found.update(b for p, b in _by_pairs(look.pinyins, ident.joined)
                 if b not in found and p in ident.joined)  # fmt: skip
    return found


def _by_pairs(table: PairTable, text: str) -> tuple[tuple[str, str], ...] | list[tuple[str, str]]:
    """The (string, brand) pairs whose string may occur in ``text``: those whose first
    two characters occur there (a superset of those it holds; strings shorter than two
    characters or holding NUL are always kept)."""
    if table.index is None:
        return table.pairs
    keep, always = table.index
    picks = {i for j in range(len(text) - 1) for i in keep.get(text[j : j + 2], ())}
    return [table.pairs[i] for i in sorted(picks | always)]


def _build_pairs(pairs: tuple[tuple[str, str], ...]) -> PairIndex | None:
    if len(pairs) < 16:
        return None  # as quick to try them all
    keep: dict[str, list[int]] = {}
    always: set[int] = set()
    for i, (text, _) in enumerate(pairs):
        if len(text) < 2 or "\0" in text:
            always.add(i)
        else:
            keep.setdefault(text[:2], []).append(i)
    return {k: tuple(v) for k, v in keep.items()}, always
