"""The pasteable sentence of a match: the rule's ``detail`` template, filled from evidence.

``{kind}`` becomes the values of that kind that made the rule hold (up to three), else the
artifact's own values of that kind; ``{count(kind)}`` the number of distinct values.
Without a template the sentence is the rule name and its first few hits.
"""

from __future__ import annotations

import functools
import re

from chaincut.detect.features import FeatureSet
from chaincut.result.models import EvidenceNode, FeatureHit

PLACEHOLDER = re.compile(r"\{(count\()?([a-z0-9_.]+)\)?\}")
MAX_VALUES = 3
MAX_VALUE_LEN = 120


def hits_of(tree: EvidenceNode) -> list[FeatureHit]:
    """Every hit of the succeeding part of a tree, depth first."""
    out: list[FeatureHit] = []
    stack = [tree]
    while stack:
        node = stack.pop()
        if not node.success and node.statement != "not":
            continue
        if node.statement == "not":
            continue  # what was absent is not a hit
        out.extend(node.hits)
        stack.extend(reversed(node.children))
    return out


def _short(value: str) -> str:
    return value if len(value) <= MAX_VALUE_LEN else value[: MAX_VALUE_LEN - 1] + "…"


def _values(kind: str, hits: list[FeatureHit], fs: FeatureSet) -> str:
    seen: list[str] = []
    for h in hits:
        if h.kind == kind and h.value not in seen:
            seen.append(h.value)
    if not seen:
        seen = [str(v).lower() if isinstance(v, bool) else str(v) for v in fs.values(kind)]
    if not seen:
        return "?"
    more = f" (+{len(seen) - MAX_VALUES} more)" if len(seen) > MAX_VALUES else ""
    return ", ".join(_short(v) for v in seen[:MAX_VALUES]) + more


def render(template: str | None, name: str, tree: EvidenceNode, fs: FeatureSet) -> str:
    """The sentence for one match."""
    hits = hits_of(tree)
    if not template:
        shown = ", ".join(f"{h.kind} {_short(h.value)}" for h in hits[:MAX_VALUES])
        return f"{name}: {shown}" if shown else name

    out: list[str] = []
    for text, counted, kind in pieces(template):
        out.append(text)
        if kind:
            out.append(str(fs.count(kind)) if counted else _values(kind, hits, fs))
    return "".join(out)


@functools.lru_cache(maxsize=4096)
def pieces(template: str) -> tuple[tuple[str, bool, str], ...]:
    """A template as (text before, whether ``count(...)``, kind) per placeholder, the last
    with kind "" for the text after: the template is read once, not at every match (what
    ``PLACEHOLDER.sub`` fills in, tested equal)."""
    out: list[tuple[str, bool, str]] = []
    at = 0
    for m in PLACEHOLDER.finditer(template):
        out.append((template[at : m.start()], bool(m.group(1)), m.group(2)))
        at = m.end()
    out.append((template[at:], False, ""))
    return tuple(out)


def placeholders(template: str) -> list[str]:
    """Feature kinds a template names (the linter checks them)."""
    return [m.group(2) for m in PLACEHOLDER.finditer(template)]
