"""Which brands a shown label could name, before matching it.

``labels.match_label`` compares one label with one brand by five routes per brand name; a
scan asks it for every brand, and almost every pair fails. Each route needs something that
can be found for all names at once, so matching only the brands found gives the same hits:

- equality, a name inside the label, the label inside a name, a short name at the start
  or as a word (``_exact``, ``_contained``): one string is inside the other, so every
  character of the shorter one is among the other's (a label's ASCII words are runs of
  its basic form);
- near spelling (``_fuzzy``) and one character off (``_one_off``) need shared characters
  in proportion to length. With ``m`` the size of the multiset intersection of the
  stripped forms ``a`` (label) and ``b`` (name), which bounds their longest common
  subsequence: rapidfuzz's ratio is ``200 * lcs / (|a| + |b|) <= 200 * m / (|a| + |b|)``;
  partial ratio is the ratio of ``b`` with some substring ``w`` of ``a``, at most
  ``200 * lcs / (|b| + lcs) <= 200 * m / (|b| + m)`` (``|w| >= lcs``), which reaches 80
  only if ``120m >= 80|b|``; one edit leaves ``m >= max(|a|, |b|) - 1``;
- pinyin routes and a Latin name's run of words: the same string, looked up in a dict
  (of every name's pinyin, initials or first word: the routes' length limits are theirs).

The conditions are necessary, never sufficient: ``match_label`` still decides.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from chaincut.detect.impersonation.index import BrandEntry, BrandIndex, NameForm
from chaincut.detect.impersonation.labels import (
    FUZZY_RATIO,
    LATIN_RATIO,
    MOST_OF_NAME,
    PARTIAL_RATIO,
    LabelForms,
)

Postings = dict[str, tuple[np.ndarray, np.ndarray]]  # character -> (name rows, counts)
Keyed = dict[str, list[int]]  # string -> entry positions


@dataclass(frozen=True, slots=True)
class NameLookup:
    """Every registry name's characters, lengths and exact keys, one row per name."""

    owner: np.ndarray  # entry position of each name row
    basic_len: np.ndarray
    stripped_len: np.ndarray
    fuzzy_ratio: np.ndarray  # ratio a near spelling needs: by the name's script
    fuzzable: np.ndarray  # long names, the only ones near spellings and one-offs try
    cjk: np.ndarray
    chars: Postings  # rows 0..n-1: basic forms; rows n..2n-1: stripped forms
    pinyins: Keyed  # full pinyin -> entries (an ASCII label spelling it, or homophones)
    initials: Keyed  # pinyin initials -> entries
    first_words: Keyed  # first ASCII word of a Latin name -> entries


def _postings(texts: list[str]) -> Postings:
    rows: dict[str, list[int]] = defaultdict(list)
    counts: dict[str, list[int]] = defaultdict(list)
    for row, text in enumerate(texts):
        for char, count in Counter(text).items():
            rows[char].append(row)
            counts[char].append(count)
    return {c: (np.array(rows[c]), np.array(counts[c])) for c in rows}


def _keyed(pairs: Iterable[tuple[str, int]]) -> Keyed:
    out: dict[str, list[int]] = defaultdict(list)
    for key, position in pairs:
        out[key].append(position)
    return dict(out)


def _build(index: BrandIndex) -> NameLookup:
    rows: list[tuple[int, NameForm]] = [(i, n) for i, e in enumerate(index) for n in e.names]
    names = [n for _, n in rows]
    return NameLookup(
        owner=np.array([i for i, _ in rows], dtype=np.int64),
        basic_len=np.array([len(n.basic) for n in names], dtype=np.int64),
        stripped_len=np.array([len(n.stripped) for n in names], dtype=np.int64),
        fuzzy_ratio=np.array([FUZZY_RATIO if n.cjk else LATIN_RATIO for n in names]),
        fuzzable=np.array([not n.short for n in names], dtype=bool),
        cjk=np.array([n.cjk for n in names], dtype=bool),
        chars=_postings([n.basic for n in names] + [n.stripped for n in names]),
        pinyins=_keyed((n.pinyin, i) for i, n in rows if n.pinyin),
        initials=_keyed((n.initials, i) for i, n in rows if n.initials),
        first_words=_keyed((n.words[0], i) for i, n in rows if n.words),
    )


def _overlap(text: str, chars: Postings, size: int) -> np.ndarray:
    """Per name row, how many characters (with repeats) it shares with ``text``: one
    gather over the postings of the text's characters, summed per row."""
    found = [(chars[c], k) for c, k in Counter(text).items() if c in chars]
    if not found:
        return np.zeros(size, dtype=np.int64)
    rows = np.concatenate([r for (r, _), _ in found])
    counts = np.concatenate([n for (_, n), _ in found])
    wanted = np.repeat([k for _, k in found], [len(r) for (r, _), _ in found])
    shared = np.bincount(rows, weights=np.minimum(counts, wanted), minlength=size)
    return shared.astype(np.int64)


@dataclass(frozen=True, slots=True)
class Overlaps:
    """Characters each name row shares with the label, form by form."""

    in_stripped: np.ndarray  # name's basic form with the label's stripped form
    in_basic: np.ndarray  # name's basic form with the label's basic form
    stripped: np.ndarray  # the stripped forms

    @classmethod
    def of(cls, label: LabelForms, look: NameLookup) -> Overlaps:
        size = len(look.owner)
        by_stripped = _overlap(label.stripped, look.chars, 2 * size)
        by_basic = (
            by_stripped if label.basic == label.stripped
            else _overlap(label.basic, look.chars, 2 * size)
        )  # fmt: skip
        return cls(by_stripped[:size], by_basic[:size], by_stripped[size:])


def _inside(label: LabelForms, look: NameLookup, shared: Overlaps) -> np.ndarray:
    """Name rows one of whose forms may be inside the label's, or the label inside it."""
    n = len(label.stripped)
    found: np.ndarray = (
        (shared.in_stripped == look.basic_len)  # name in the stripped label, or equal to it
        | (shared.in_basic == look.basic_len)  # name in the basic label, or one of its words
        | (shared.stripped == look.stripped_len)  # stripped name equal to the stripped label
        | ((shared.in_stripped == n) & (n >= MOST_OF_NAME * look.basic_len))  # most of it
    )
    return found


def _near(label: LabelForms, look: NameLookup, shared: Overlaps) -> np.ndarray:
    """Name rows the label may be a near spelling or one edit of (bounds above)."""
    a, b, m = len(label.stripped), look.stripped_len, shared.stripped
    ratio = 200 * m >= look.fuzzy_ratio * (a + b)
    partial = (a > b) & ((200 - PARTIAL_RATIO) * m >= PARTIAL_RATIO * b)
    one_edit = m >= np.maximum(a, b) - 1
    found: np.ndarray = look.fuzzable & (look.cjk == label.cjk) & (ratio | partial | one_edit)
    return found


def _by_key(label: LabelForms, look: NameLookup) -> set[int]:
    """Entries a pinyin route or a Latin name's words may match (exact lookups)."""
    found: list[int] = []
    if label.ascii_only:
        found += look.pinyins.get(label.stripped, ())
        for key in (label.stripped, *label.tokens):
            found += look.initials.get(key, ())
    elif label.pinyin:
        found += look.pinyins.get(label.pinyin, ())
    for token in label.tokens:
        found += look.first_words.get(token, ())
    return set(found)


def label_candidates(label: LabelForms, index: BrandIndex) -> list[BrandEntry]:
    """The entries ``label`` may name, in registry order (a superset of those it does)."""
    look = index.derived("label lookup", lambda: _build(index))
    shared = Overlaps.of(label, look)
    rows = np.flatnonzero(_inside(label, look, shared) | _near(label, look, shared))
    positions = _by_key(label, look).union(look.owner[rows].tolist())
    return [index.entries[i] for i in sorted(positions)]
