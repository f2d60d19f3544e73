"""Feature kinds without which a statement cannot hold, read once per rule set.

Most rules of an artifact's scope name kinds the artifact does not have at all (an APK
without native code, a page without downloads). Asking such a rule's check still walks
its compiled tree down to the first absent kind; one set test against the artifact's
kinds rules it out first. The kinds are necessary, never sufficient: a rule whose
anchor meets the artifact's kinds is checked as before.
"""

from __future__ import annotations

from chaincut.detect.rules.statements import (
    CountStmt,
    FeatureStmt,
    Group,
    NumberStmt,
    Statement,
)

Anchor = frozenset[str] | None  # some kind of these must have values; None: no such set


def anchor(stmt: Statement) -> Anchor:
    """Kinds one of which has values whenever ``stmt`` holds (None when a statement can
    hold on an artifact without any given kind: ``not``, ``count`` from 0, ``match``)."""
    if isinstance(stmt, FeatureStmt | NumberStmt):
        return frozenset({stmt.kind})  # a value of the kind passes, or nothing does
    if isinstance(stmt, CountStmt):
        low = stmt.range.min
        return frozenset({stmt.kind}) if low is not None and low > 0 else None
    if not isinstance(stmt, Group) or stmt.op == "not":
        return None
    kids = [anchor(c) for c in stmt.children]
    if stmt.op == "and":  # every child holds: any one child's kinds are needed
        known = [k for k in kids if k is not None]
        return min(known, key=len) if known else None
    if stmt.op == "n_or_more" and stmt.n <= 0:
        return None
    # "or" and "N or more" (N >= 1): some child holds, so one of their kinds is needed
    if any(k is None for k in kids):
        return None
    return frozenset().union(*(k for k in kids if k is not None))
