"""A confusable skeleton for host names: what a reader sees, not what DNS resolves.

Homograph hosts (``xn--cbc-...`` spelling ``іcbc`` with a Cyrillic ``і``), full-width
letters and digit swaps (``1cbc``, ``paypa1``) all reduce to the same skeleton as the
name they imitate. Steps: NFKC (folds full-width and compatibility forms), case fold,
then the character map and the sequence swaps from ``data/confusables.yaml``. Compare
skeletons of both sides; the skeleton is a comparison key, not a display form.
"""

from __future__ import annotations

import functools
import unicodedata
from pathlib import Path

from chaincut.knowledge.yamlio import load_yaml

DATA = Path(__file__).parent / "data" / "confusables.yaml"


@functools.cache
def _tables() -> tuple[dict[int, str], tuple[tuple[str, str], ...]]:
    raw = load_yaml(DATA.read_text(encoding="utf-8"))
    chars = {ord(k): str(v) for k, v in raw["chars"].items() if len(k) == 1}
    sequences = tuple((str(a), str(b)) for a, b in raw["sequences"])
    return chars, sequences


@functools.lru_cache(maxsize=8192)
def skeleton(text: str) -> str:
    """The confusable skeleton of ``text`` (a host name or label)."""
    chars, sequences = _tables()
    out = unicodedata.normalize("NFKC", text).casefold().translate(chars)
    for seq, repl in sequences:
        out = out.replace(seq, repl)
    return out


def same_skeleton(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` look alike (identical skeletons)."""
    return skeleton(a) == skeleton(b)


def script_of(ch: str) -> str | None:
    """The script of a letter (LATIN, CYRILLIC, GREEK, CJK, ...); None for non-letters."""
    if not ch.isalpha():
        return None
    if ch.isascii():
        return "LATIN"
    try:
        name = unicodedata.name(ch)
    except ValueError:
        return "UNKNOWN"
    first = name.split(" ", 1)[0]
    return "CJK" if first in {"CJK", "HIRAGANA", "KATAKANA", "HANGUL"} else first


def scripts(text: str) -> set[str]:
    """Every script whose letters appear in ``text``."""
    return {s for s in map(script_of, text) if s is not None}


def mixed_scripts(label: str) -> bool:
    """A label mixing Latin with Cyrillic or Greek (the homograph pattern).

    Latin with CJK is normal in Chinese hosts and is not flagged.
    """
    found = scripts(label)
    return len(found & {"LATIN", "CYRILLIC", "GREEK"}) > 1 or (
        bool(found & {"CYRILLIC", "GREEK"}) and len(found) > 1
    )
