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


@dataclass(frozen=True, slots=True)
class PackageMatch:
    score: float
    detail: str


def _typo(value: str, official: list[str]) -> PackageMatch | None:
    for o in official:
        low = o.lower()
        if value == low:
            continue
        if nz.skeleton(value) == nz.skeleton(low):
            return PackageMatch(0.7, f"is a look-alike spelling of the official '{o}'")
        if len(low) >= 8 and Levenshtein.normalized_similarity(value, low) >= TYPO_SIMILARITY:
            return PackageMatch(0.7, f"is one slip away from the official '{o}'")
    return None


def _tokens(value: str, entry: BrandEntry) -> PackageMatch | None:
    segments = [s for s in value.split(".") if s and s not in GENERIC_SEGMENTS]
    for token in entry.tokens:
        if len(token) <= 3:
            if token in segments:
                return PackageMatch(0.4, f"has the brand's token '{token}' as a segment")
        elif any(token in seg for seg in segments):
            return PackageMatch(0.5, f"contains the brand's token '{token}'")
    joined = "".join(segments)
    for name in entry.names:
        if len(name.pinyin) >= MIN_PINYIN and name.pinyin in joined:
            return PackageMatch(0.5, f"spells '{name.raw}' in pinyin ({name.pinyin})")
    return None


def match_identifier(value: str, official: list[str], entry: BrandEntry) -> PackageMatch | None:
    """How a package name or bundle id that is *not* official borrows ``entry``'s brand."""
    value = value.strip().lower()
    if not value or value in (o.lower() for o in official):
        return None
    found = _typo(value, official)
    if found is not None:
        return found
    for o in official:
        if value.startswith(o.lower() + "."):
            return PackageMatch(0.55, f"extends the official '{o}'")
    return _tokens(value, entry)
