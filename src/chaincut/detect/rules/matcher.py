"""Match statement trees against a FeatureSet: the checks and the evidence leaves.

Regex results are memoised per run (the same ``/SmsManager\\.send/`` in ten rules scans
the API values once). :func:`compiled` turns a statement into a check built once per rule
set; the evidence tree of a rule that holds is built by ``trees.py`` from the leaves here
(``and`` stops at the first failing child because a failed rule's tree is never shown,
while ``or`` keeps every succeeding branch as evidence). Most rules fail on most artifacts,
so their trees are never built.
"""

from __future__ import annotations

import functools
import importlib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import cast

from chaincut.detect.features import FeatureSet, Value
from chaincut.detect.rules.statements import (
    CountStmt,
    FeatureStmt,
    Group,
    NumberStmt,
    Statement,
    ValueTest,
)
from chaincut.facts.models import Location
from chaincut.result.models import EvidenceNode, FeatureHit
from chaincut.result.typed import typed as _built

MAX_HITS = 8  # hits kept per statement node
_parser = importlib.import_module("re._parser")  # CPython's pattern parser (3.11+)
_constants = importlib.import_module("re._constants")
_LITERAL, _AT = _constants.LITERAL, _constants.AT
_AT_BEGINNING, _AT_BEGINNING_STRING = _constants.AT_BEGINNING, _constants.AT_BEGINNING_STRING


@dataclass
class Context:
    """One run over one FeatureSet: the memo of value tests and the rules matched so far."""

    features: FeatureSet
    matched: dict[str, EvidenceNode] = field(default_factory=dict)
    _memo: dict[tuple[str, str, int], list[Value]] = field(default_factory=dict)
    _strings: dict[str, list[str]] = field(default_factory=dict)
    _joined: dict[str, str] = field(default_factory=dict)
    # one hit per (kind, value, its type) however many statements show it: a hit is frozen
    # and depends on nothing else (True and 1 are one key of a kind but show apart)
    _hits: dict[tuple[str, Value, type], FeatureHit] = field(default_factory=dict)

    def matching(self, kind: str, test: ValueTest) -> list[Value]:
        """Values of ``kind`` passing ``test`` (exact tests are one dictionary lookup)."""
        values = self.features.values(kind)
        if not values:
            return []
        if not test.any and test.regex is None:
            return [test.exact] if test.exact in values else []  # type: ignore[list-item]
        key = (kind, test.text, test.regex.flags if test.regex else 0)
        found = self._memo.get(key)
        if found is None:
            found = self._regex(kind, test) if test.regex is not None else list(values)
            self._memo[key] = found
        return found

    def _regex(self, kind: str, test: ValueTest) -> list[Value]:
        assert test.regex is not None
        strings = self._strings.get(kind)
        if strings is None:
            strings, self._joined[kind] = _texts(self.features.values(kind))
            self._strings[kind] = strings
        regex = test.regex
        joined = self._joined[kind]
        literal = required_literal(regex)
        if literal and literal not in joined:
            return []  # one C scan rules out every value
        options = required_options(regex)
        if options and not any(o in joined for o in options):
            return []  # every match holds one of these strings: a few C scans
        if joinable(regex) and regex.search(joined) is None:
            return []  # no match in the values' lines: none in any value
        # filter() runs the C test without a Python frame per value; only hits are copied.
        # A pattern that must start at position 0 is tried there only (search would try
        # every position of every value in vain).
        return [v for v in filter(regex.match if anchored(regex) else regex.search, strings)]

    def hits(self, kind: str, values: Sequence[Value]) -> list[FeatureHit]:
        out: list[FeatureHit] = []
        known = self._hits
        for v in values[:MAX_HITS]:
            key = (kind, v, type(v))
            hit = known.get(key)
            if hit is None:
                hit = known[key] = _hit(kind, v, self.features.values(kind))
            out.append(hit)
        return out


def _hit(kind: str, v: Value, index: Mapping[Value, list[Location | None]]) -> FeatureHit:
    """The hit of one value of ``kind``, at its first location."""
    where: Location | None = index[v][0] if index.get(v) else None
    return _built(FeatureHit, {"kind": kind, "value": _text(v), "location": where})


def _texts(values: Iterable[Value]) -> tuple[list[str], str]:
    """The text values and their lines joined; usually every value is text, which one
    C-level copy and join find out without a type test per value."""
    found = cast(list[str], list(values))
    try:
        return found, "\n".join(found)
    except TypeError:  # numbers or booleans among them
        strings = [v for v in found if isinstance(v, str)]
        return strings, "\n".join(strings)


@functools.lru_cache(maxsize=1024)
def _top_level(regex: re.Pattern[str]) -> list[tuple[object, object]]:
    """The top-level items of ``regex`` as CPython's parser sees them ([] if it cannot)."""
    try:
        return list(_parser.parse(regex.pattern, regex.flags))
    except Exception:  # a private parser of another Python: no shortcut, same results
        return []


def anchored(regex: re.Pattern[str]) -> bool:
    """Whether every match of ``regex`` starts at position 0 (``^`` without MULTILINE, or
    ``\\A``, as its first top-level item), so ``match`` finds what ``search`` finds."""
    items = _top_level(regex)
    if not items or items[0][0] is not _AT:
        return False
    where = items[0][1]
    return where is _AT_BEGINNING_STRING or (
        where is _AT_BEGINNING and not regex.flags & re.MULTILINE
    )


@functools.lru_cache(maxsize=1024)
def required_literal(regex: re.Pattern[str]) -> str:
    """The longest run of plain characters at the top level of ``regex``: every match
    contains it, so a text without it holds no match ("" when unknown or case-blind)."""
    if regex.flags & re.IGNORECASE:
        return ""
    best, run = "", ""
    for op, arg in _top_level(regex):
        run = run + chr(arg) if op is _LITERAL and isinstance(arg, int) else ""
        best = max(best, run, key=len)
    return best


_SUBPATTERN, _BRANCH, _IN = _constants.SUBPATTERN, _constants.BRANCH, _constants.IN
MAX_OPTIONS = 64
# what makes a match depend on text outside it: anchors (but word boundaries, for which
# the newline between joined values is what a value's edge is), lookarounds, and atomic
# groups and possessive repeats (which do not backtrack into what they took)
_EDGE_FREE = {_constants.AT_BOUNDARY, _constants.AT_NON_BOUNDARY}
_CONTEXTUAL = {_constants.ASSERT, _constants.ASSERT_NOT, _constants.ATOMIC_GROUP,
               _constants.POSSESSIVE_REPEAT}  # fmt: skip


def _literal_options(item: tuple[object, object]) -> list[str] | None:
    """The strings a top-level item matches when it is plain text: a literal, a class of
    literals, or a group of alternatives that are each plain text (else None)."""
    op, arg = item
    if op is _LITERAL and isinstance(arg, int):
        return [chr(arg)]
    if op is _IN and isinstance(arg, list):
        if all(o is _LITERAL and isinstance(a, int) for o, a in arg):
            return [chr(a) for _, a in arg]
        return None
    if op is _SUBPATTERN and isinstance(arg, tuple) and arg[1] == 0 and arg[2] == 0:
        return _sequence_options(list(arg[3]))
    if op is _BRANCH and isinstance(arg, tuple):
        out: list[str] = []
        for alternative in arg[1]:
            found = _sequence_options(list(alternative))
            if found is None:
                return None
            out += found
        return out if len(out) <= MAX_OPTIONS else None
    return None


def _sequence_options(items: list[tuple[object, object]]) -> list[str] | None:
    """The strings a sequence of plain-text items matches, or None."""
    out = [""]
    for item in items:
        found = _literal_options(item)
        if found is None or len(out) * len(found) > MAX_OPTIONS:
            return None
        out = [a + b for a in out for b in found]
    return out


@functools.lru_cache(maxsize=1024)
def required_options(regex: re.Pattern[str]) -> tuple[str, ...]:
    """Strings one of which every match of ``regex`` contains: the longest run of plain
    text items at its top level, each alternative spelled out (``java.lang.(a|b)`` ->
    ``java.lang.a``, ``java.lang.b``); () when unknown or case-blind."""
    if regex.flags & re.IGNORECASE:
        return ()
    best: list[str] = []
    run: list[str] = [""]
    for item in _top_level(regex):
        found = _literal_options(item)
        if found is None or len(run) * len(found) > MAX_OPTIONS:
            run = [""]
            continue
        run = [a + b for a in run for b in found]
        if min(map(len, run)) > min(map(len, best), default=0):
            best = run
    return tuple(best)


def _contextual(items: object) -> bool:
    """Whether a parsed pattern (or any part of it) has a context-dependent item."""
    if isinstance(items, tuple | list) or type(items).__name__ == "SubPattern":
        for item in cast(Iterable[object], items):
            if isinstance(item, tuple) and len(item) == 2 and type(item[0]) is type(_AT):
                op, arg = item
                if op in _CONTEXTUAL or (op is _AT and arg not in _EDGE_FREE):
                    return True
            if _contextual(item):
                return True
    return False


@functools.lru_cache(maxsize=1024)
def joinable(regex: re.Pattern[str]) -> bool:
    """Whether every match ``regex`` finds in a value it also finds in the values joined
    by newlines: nothing in it looks at text outside the match but word boundaries (a
    value's edge and a newline are both non-word). A search of the joined text that
    finds nothing then rules out every value at once."""
    items = _top_level(regex)
    return bool(items) and not _contextual(items)


def _node(
    statement: str,
    success: bool,
    hits: list[FeatureHit] | None = None,
    children: list[EvidenceNode] | None = None,
) -> EvidenceNode:
    """An evidence node built without re-validation (every part is already typed)."""
    fields = {"statement": statement, "success": success, "hits": hits or [],
              "children": children or []}  # fmt: skip
    return _built(EvidenceNode, fields)


def _text(v: Value) -> str:
    return str(v).lower() if isinstance(v, bool) else str(v)


def _feature_hits(kind: str, tests: Sequence[ValueTest], ctx: Context) -> list[FeatureHit]:
    """The hits of a feature statement: the first MAX_HITS distinct values in test order
    are all its node shows (a dict dedupes as the list's ``in`` did: by equality, so True
    and 1 are one value)."""
    found: dict[Value, None] = {}
    for test in tests:
        for v in ctx.matching(kind, test):
            if v not in found:
                found[v] = None
                if len(found) >= MAX_HITS:
                    break
        if len(found) >= MAX_HITS:
            break
    return ctx.hits(kind, list(found))


def _count(stmt: CountStmt, ctx: Context) -> EvidenceNode:
    found = ctx.matching(stmt.kind, stmt.test)
    ok = stmt.range.test(len(found))
    return _node(
        statement=f"{stmt.text()} (found {len(found)})",
        success=ok,
        hits=ctx.hits(stmt.kind, found) if ok else [],
    )


def _number(stmt: NumberStmt, ctx: Context) -> EvidenceNode:
    found = [
        v
        for v in ctx.features.values(stmt.kind)
        if isinstance(v, int) and not isinstance(v, bool) and stmt.range.test(v)
    ]
    return _node(statement=stmt.text(), success=bool(found), hits=ctx.hits(stmt.kind, found))


Check = Callable[[Context], bool]


def compiled(stmt: Statement) -> Check:
    """Whether ``stmt`` holds, as one function built once per rule set: the tree is walked
    and its tests sorted when the rules load, not for every artifact (tests compare it
    with a plain walk of the statement over every built-in rule)."""
    if isinstance(stmt, Group):
        return _compiled_group(stmt)
    if isinstance(stmt, FeatureStmt):
        return _compiled_feature(stmt)
    if isinstance(stmt, CountStmt):
        kind, test, within = stmt.kind, stmt.test, stmt.range.test
        return lambda ctx: within(len(ctx.matching(kind, test)))
    if isinstance(stmt, NumberStmt):
        return _compiled_number(stmt)
    rule = stmt.rule
    return lambda ctx: rule in ctx.matched


def _compiled_group(stmt: Group) -> Check:
    kids = tuple(compiled(c) for c in stmt.children)
    if stmt.op == "not":
        only = kids[0]
        return lambda ctx: not only(ctx)
    if stmt.op == "and":

        def every(ctx: Context) -> bool:
            for kid in kids:  # noqa: SIM110 -- a loop, not a generator frame per call
                if not kid(ctx):
                    return False
            return True

        return every
    if stmt.op == "or":

        def some(ctx: Context) -> bool:
            for kid in kids:  # noqa: SIM110 -- a loop, not a generator frame per call
                if kid(ctx):
                    return True
            return False

        return some
    want = stmt.n
    if want <= 0:
        return lambda ctx: True

    def enough(ctx: Context) -> bool:
        found = 0
        for kid in kids:
            if kid(ctx):
                found += 1
                if found >= want:
                    return True
        return False

    return enough


def _compiled_number(stmt: NumberStmt) -> Check:
    kind, within = stmt.kind, stmt.range.test

    def number(ctx: Context) -> bool:
        for v in ctx.features.values(kind):
            if isinstance(v, int) and not isinstance(v, bool) and within(v):
                return True
        return False

    return number


def _compiled_feature(stmt: FeatureStmt) -> Check:
    kind = stmt.kind
    if any(t.any for t in stmt.tests):
        return lambda ctx: bool(ctx.features.values(kind))
    exact = tuple(t.exact for t in stmt.tests if t.regex is None)
    searched = tuple(t for t in stmt.tests if t.regex is not None)

    def feature(ctx: Context) -> bool:
        values = ctx.features.values(kind)
        if not values:
            return False
        for value in exact:
            if value in values:
                return True
        for test in searched:  # noqa: SIM110 -- a loop, not a generator frame per call
            if ctx.matching(kind, test):
                return True
        return False

    return feature
