"""Evidence-tree builders: each statement's tree walk made once per rule set.

A rule that holds has its whole evidence tree built, on every artifact it holds for. A
plain walk of the statement would dispatch on each node's type and format its text
(``permission: A | B``) at every node, every time; both depend on the statement alone, so
a builder does them when the rules load and keeps only the value tests for the artifact
(same trees as the plain walk, which the tests keep as their oracle, on every built-in
rule).
"""

from __future__ import annotations

from collections.abc import Callable

from chaincut.detect.rules.matcher import (
    Context,
    _count,
    _feature_hits,
    _node,
    _number,
)
from chaincut.detect.rules.statements import (
    CountStmt,
    FeatureStmt,
    Group,
    NumberStmt,
    Statement,
)
from chaincut.result.models import EvidenceNode

Build = Callable[[Context], EvidenceNode]


def tree_builder(stmt: Statement) -> Build:
    """A function giving the full evidence tree of ``stmt`` for a context (failed branches
    included, as under ``not``): the statement's texts and shape are read here, once."""
    if isinstance(stmt, Group):
        return _group_builder(stmt)
    if isinstance(stmt, FeatureStmt):
        return _feature_builder(stmt)
    if isinstance(stmt, CountStmt):
        return lambda ctx: _count(stmt, ctx)
    if isinstance(stmt, NumberStmt):
        return lambda ctx: _number(stmt, ctx)
    rule, text = stmt.rule, stmt.text()

    def matched(ctx: Context) -> EvidenceNode:
        dep = ctx.matched.get(rule)
        return _node(text, dep is not None, None, [dep] if dep else None)

    return matched


def _feature_builder(stmt: FeatureStmt) -> Build:
    kind, tests, text = stmt.kind, stmt.tests, stmt.text()

    def feature(ctx: Context) -> EvidenceNode:
        hits = _feature_hits(kind, tests, ctx)
        return _node(text, bool(hits), hits)

    return feature


def _group_builder(stmt: Group) -> Build:
    kids = tuple(tree_builder(c) for c in stmt.children)
    if stmt.op == "not":
        only = kids[0]

        def negated(ctx: Context) -> EvidenceNode:
            child = only(ctx)
            return _node("not", not child.success, None, [child])

        return negated
    if stmt.op == "and":

        def every(ctx: Context) -> EvidenceNode:
            children: list[EvidenceNode] = []
            for kid in kids:
                node = kid(ctx)
                children.append(node)
                if not node.success:
                    return _node("and", False, None, children)
            return _node("and", True, None, children)

        return every
    text = stmt.text()
    want = 1 if stmt.op == "or" else stmt.n

    def some(ctx: Context) -> EvidenceNode:
        children = [kid(ctx) for kid in kids]
        kept = [c for c in children if c.success]
        if len(kept) >= want:
            return _node(text, True, None, kept)
        return _node(text, False, None, children)

    return some

