"""Evaluate statement trees against a FeatureSet, building capa-style evidence trees.

Regex results are memoised per run (the same ``/SmsManager\\.send/`` in ten rules scans
the API values once); ``and`` stops at the first failing child because a failed rule's tree
is never shown, while ``or`` keeps every succeeding branch as evidence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

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

MAX_HITS = 8  # hits kept per statement node


@dataclass
class Context:
    """One run over one FeatureSet: the memo of value tests and the rules matched so far."""

    features: FeatureSet
    matched: dict[str, EvidenceNode] = field(default_factory=dict)
    _memo: dict[tuple[str, str, int], list[Value]] = field(default_factory=dict)

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
        search = test.regex.search  # one C call per value: cheaper than any Python filter
        return [v for v in self.features.values(kind) if isinstance(v, str) and search(v)]

    def hits(self, kind: str, values: Sequence[Value]) -> list[FeatureHit]:
        out: list[FeatureHit] = []
        index = self.features.values(kind)
        for v in values[:MAX_HITS]:
            where: Location | None = index[v][0] if index.get(v) else None
            out.append(FeatureHit.model_construct(kind=kind, value=_text(v), location=where))
        return out


def _node(
    statement: str,
    success: bool,
    hits: list[FeatureHit] | None = None,
    children: list[EvidenceNode] | None = None,
) -> EvidenceNode:
    """An evidence node built without re-validation (every part is already typed)."""
    return EvidenceNode.model_construct(
        statement=statement, success=success, hits=hits or [], children=children or []
    )


def _text(v: Value) -> str:
    return str(v).lower() if isinstance(v, bool) else str(v)


def _feature(stmt: FeatureStmt, ctx: Context) -> EvidenceNode:
    found: list[Value] = []
    for test in stmt.tests:
        found.extend(v for v in ctx.matching(stmt.kind, test) if v not in found)
    return _node(statement=stmt.text(), success=bool(found), hits=ctx.hits(stmt.kind, found))


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


def _group(stmt: Group, ctx: Context) -> EvidenceNode:
    if stmt.op == "not":
        child = evaluate(stmt.children[0], ctx)
        return _node(statement="not", success=not child.success, children=[child])
    children: list[EvidenceNode] = []
    successes = 0
    for c in stmt.children:
        node = evaluate(c, ctx)
        children.append(node)
        successes += node.success
        if stmt.op == "and" and not node.success:
            return _node(statement="and", success=False, children=children)
    if stmt.op == "and":
        ok = True
    elif stmt.op == "or":
        ok = successes > 0
    else:
        ok = successes >= stmt.n
    kept = [c for c in children if c.success] if ok and stmt.op != "and" else children
    return _node(statement=stmt.text(), success=ok, children=kept)


def evaluate(stmt: Statement, ctx: Context) -> EvidenceNode:
    """The evidence node of ``stmt`` (its ``success`` says whether it held)."""
    if isinstance(stmt, Group):
        return _group(stmt, ctx)
    if isinstance(stmt, FeatureStmt):
        return _feature(stmt, ctx)
    if isinstance(stmt, CountStmt):
        return _count(stmt, ctx)
    if isinstance(stmt, NumberStmt):
        return _number(stmt, ctx)
    dep = ctx.matched.get(stmt.rule)
    return _node(statement=stmt.text(), success=dep is not None, children=[dep] if dep else [])
