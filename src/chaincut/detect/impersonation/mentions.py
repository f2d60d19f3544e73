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

from chaincut.detect.impersonation import normalize as nz
from chaincut.detect.impersonation.index import BrandEntry
from chaincut.result.models import Signal

BASE = 0.3
STEP = 0.05
CAP = 0.45


def _searchable(entry: BrandEntry) -> list[tuple[str, re.Pattern[str] | None]]:
    out: list[tuple[str, re.Pattern[str] | None]] = []
    for name in entry.names:
        raw = unicodedata.normalize("NFKC", name.raw).casefold()
        if nz.is_cjk(raw) and len(name.basic) >= 3:
            out.append((raw, None))
        elif not nz.is_cjk(raw) and len(name.basic) >= 5:
            out.append((raw, re.compile(rf"(?<![a-z0-9]){re.escape(raw)}(?![a-z0-9])")))
    return out


def mention_signal(
    entry: BrandEntry, texts: Sequence[tuple[str, str]], tokens: Sequence[tuple[str, str]]
) -> Signal | None:
    """A ``text`` signal for the names of ``entry`` found in ``texts`` (already case-folded)
    and the brand ids/tokens extractors recognised (``tokens``)."""
    found: list[str] = []
    places: set[str] = set()
    for raw, pattern in _searchable(entry):
        for text, where in texts:
            if (raw in text) if pattern is None else bool(pattern.search(text)):
                if raw not in found:
                    found.append(raw)
                places.add(where)
    known = {entry.id, *entry.tokens}
    for token, where in tokens:
        if token.lower() in known:
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


def fold_texts(texts: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """NFKC + case fold once per document, not once per brand."""
    return [(unicodedata.normalize("NFKC", t).casefold(), w) for t, w in texts if t]
