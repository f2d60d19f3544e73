"""Plain walks of a rule statement: the oracles the rule engine's compiled checks
(``matcher.compiled``) and evidence builders (``trees.tree_builder``) are tested against.

They walk the statement tree on every call, dispatching on each node's type, exactly as the
engine did before its checks and builders were made once per rule set. :func:`as_rule_set`
is the other way round: one statement answered by the engine's own functions.
"""

from __future__ import annotations

from chaincut.detect.rules import statements as st
from chaincut.detect.rules.matcher import (
    Context,
    _count,
    _feature_hits,
    _node,
    _number,
    compiled,
)
from chaincut.detect.rules.trees import tree_builder
from chaincut.result.models import EvidenceNode


def holds(stmt: st.Statement, ctx: Context) -> bool:
    """Whether ``stmt`` holds, exactly as ``evaluate_full(stmt, ctx).success``."""
    if isinstance(stmt, st.Group):
        return _group_holds(stmt, ctx)
    if isinstance(stmt, st.FeatureStmt):
        return any(_some(ctx, stmt.kind, test) for test in stmt.tests)
    if isinstance(stmt, st.CountStmt):
        return stmt.range.test(len(ctx.matching(stmt.kind, stmt.test)))
    if isinstance(stmt, st.NumberStmt):
        for v in ctx.features.values(stmt.kind):
            if isinstance(v, int) and not isinstance(v, bool) and stmt.range.test(v):
                return True
        return False
    return stmt.rule in ctx.matched


def _group_holds(stmt: st.Group, ctx: Context) -> bool:
    if stmt.op == "not":
        return not holds(stmt.children[0], ctx)
    want = {"and": len(stmt.children), "or": 1}.get(stmt.op, stmt.n)
    if want <= 0:
        return True
    found = 0
    for child in stmt.children:
        if holds(child, ctx):
            found += 1
            if found >= want:
                return True
        elif stmt.op == "and":
            return False
    return False


def _some(ctx: Context, kind: str, test: st.ValueTest) -> bool:
    if not test.any and test.regex is None:
        return test.exact in ctx.features.values(kind)
    return bool(ctx.matching(kind, test))


def feature_node(stmt: st.FeatureStmt, ctx: Context) -> EvidenceNode:
    hits = _feature_hits(stmt.kind, stmt.tests, ctx)
    return _node(statement=stmt.text(), success=bool(hits), hits=hits)


def _group(stmt: st.Group, ctx: Context) -> EvidenceNode:
    if stmt.op == "not":
        child = evaluate_full(stmt.children[0], ctx)
        return _node(statement="not", success=not child.success, children=[child])
    children: list[EvidenceNode] = []
    successes = 0
    for c in stmt.children:
        node = evaluate_full(c, ctx)
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


def evaluate_full(stmt: st.Statement, ctx: Context) -> EvidenceNode:
    """The full evidence node of ``stmt`` (failed branches included, as under ``not``)."""
    if isinstance(stmt, st.Group):
        return _group(stmt, ctx)
    if isinstance(stmt, st.FeatureStmt):
        return feature_node(stmt, ctx)
    if isinstance(stmt, st.CountStmt):
        return _count(stmt, ctx)
    if isinstance(stmt, st.NumberStmt):
        return _number(stmt, ctx)
    dep = ctx.matched.get(stmt.rule)
    return _node(statement=stmt.text(), success=dep is not None, children=[dep] if dep else [])


def as_rule_set(stmt: st.Statement, ctx: Context) -> EvidenceNode:
    """One statement as a rule set answers it: its compiled check first, its tree built
    only when it holds (a statement that does not hold comes back as a bare failed node,
    since its tree is never shown)."""
    if not compiled(stmt)(ctx):
        return _node(stmt.text(), False)
    return tree_builder(stmt)(ctx)
