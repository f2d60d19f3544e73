"""Package names and bundle ids that borrow a brand's identity.

An impostor cannot reuse the genuine package on a phone that has the genuine app, so it
picks one that still reads as the brand's: the official name extended
(``com.icbc.loan.xyz``), misspelt (``com.lcbc``), or carrying the brand's token or pinyin
(``com.fake.icbcbank``, ``com.gongshang.yinhang``). Scores (best route wins):

=========================================================  =====
one edit away from the official name (typosquat/skeleton)  0.70
the official name extended (official + ".")                0.55
the brand name's full pinyin in the name                    0.50
a brand token inside a segment                             0.50
a short brand token (<= 3 letters) as a whole segment      0.40
=========================================================  =====

Package evidence is circumstantial (a subsidiary publishes under the parent's prefix), so
it never reaches 0.6 on its own without a near copy of the name.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from chaincut.detect.impersonation import normalize as nz
from chaincut.detect.impersonation.index import GENERIC_SEGMENTS, BrandEntry

TYPO_SIMILARITY = 0.85
MIN_PINYIN = 8
SLACK = 1e-9  # the length bound below only skips what cannot reach TYPO_SIMILARITY


@dataclass(frozen=True, slots=True)
class PackageMatch:
    score: float
    detail: str


@dataclass(frozen=True, slots=True)
class Identifier:
    """A package name or bundle id in the forms every brand compares, computed once."""

    value: str  # stripped, lower-case
    skeleton: str
    segments: tuple[str, ...]  # non-generic segments
    joined: str  # the segments run together, for pinyin
    separated: str  # the segments joined by NUL: a token is inside a segment iff inside this

    @classmethod
    def of(cls, raw: str) -> Identifier:
        value = raw.strip().lower()
        segments = tuple(s for s in value.split(".") if s and s not in GENERIC_SEGMENTS)
        return cls(value, nz.skeleton(value), segments, "".join(segments), "\0".join(segments))


def near(value: str, low: str) -> bool:
    """Levenshtein similarity >= TYPO_SIMILARITY; the length difference alone already
    bounds the distance, which rules out most pairs without computing it."""
    longest = max(len(value), len(low))
    if 1 - abs(len(value) - len(low)) / longest < TYPO_SIMILARITY - SLACK:
        return False
    return Levenshtein.normalized_similarity(value, low) >= TYPO_SIMILARITY


def _typo(ident: Identifier, entry: BrandEntry) -> PackageMatch | None:
    for o in entry.officials:
        if ident.value == o.low:
            continue
        if ident.skeleton == o.skeleton:
            return PackageMatch(0.7, f"is a look-alike spelling of the official '{o.raw}'")
        if len(o.low) >= 8 and near(ident.value, o.low):
            return PackageMatch(0.7, f"is one slip away from the official '{o.raw}'")
    return None


def in_segment(token: str, ident: Identifier) -> bool:
    """Whether ``token`` occurs inside one segment: one C scan of the NUL-joined segments
    (a token without NUL cannot straddle two)."""
    if "\0" in token:
        return any(token in seg for seg in ident.segments)
    return token in ident.separated


def _tokens(ident: Identifier, entry: BrandEntry) -> PackageMatch | None:
    segments = ident.segments
    for token in entry.tokens:
        if len(token) <= 3:
            if token in segments:
                return PackageMatch(0.4, f"has the brand's token '{token}' as a segment")
        elif in_segment(token, ident):
            return PackageMatch(0.5, f"contains the brand's token '{token}'")
    for name in entry.names:
        if len(name.pinyin) >= MIN_PINYIN and name.pinyin in ident.joined:
            return PackageMatch(0.5, f"spells '{name.raw}' in pinyin ({name.pinyin})")
    return None


def match_identifier(ident: Identifier, entry: BrandEntry) -> PackageMatch | None:
    """How a package name or bundle id that is *not* one of ``entry``'s official ids
    borrows its brand (compared with its official packages and bundle ids)."""
    value = ident.value
    if not value or any(value == o.low for o in entry.officials):
        return None
    found = _typo(ident, entry)
    if found is not None:
        return found
    for o in entry.officials:
        if value.startswith(o.low + "."):
            return PackageMatch(0.55, f"extends the official '{o.raw}'")
    return _tokens(ident, entry)
