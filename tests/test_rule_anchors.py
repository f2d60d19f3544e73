"""A rule is skipped only when none of its anchor kinds has values, and then it could
not have held: every statement of every built-in rule, on every example and on random
feature sets, and the matches of a rule set with and without the skip."""

from __future__ import annotations

import random

from chaincut.detect.features import FeatureSet
from chaincut.detect.rules import RuleSet
from chaincut.detect.rules.anchors import anchor
from chaincut.detect.rules.examples import example_features
from chaincut.detect.rules.loader import load_rules
from chaincut.detect.rules.matcher import Context
from chaincut.detect.rules.model import RuleMatch
from chaincut.detect.rules.statements import Group, parse_statement, walk
from chaincut.detect.rules.trees import tree_builder
from tests.rule_oracle import evaluate_full, holds

RAW: list[object] = [
    {"not": {"api": "any"}},
    {"count(api)": {"max": 2}},
    {"count(api)": {"min": 0}},
    {"count(api)": {"min": 1}},
    {"number(cert.age_days)": {"max": 30}},
    {"or": [{"api": "any"}, {"not": {"packer": "any"}}]},
    {"or": [{"api": "any"}, {"packer": "any"}]},
    {"2 or more": [{"api": "any"}, {"packer": "any"}, {"count(permission)": {"max": 0}}]},
    {"and": [{"match": "x/y"}, {"count(api)": {"max": 1}}]},
    {"and": [{"not": {"api": "any"}}, {"permission": "any"}]},
]


def _plain_match(rules: RuleSet, fs: FeatureSet) -> list[RuleMatch]:
    """Every rule of the artifact's scope asked, none skipped."""
    from chaincut.detect.rules.detail import render

    kind = str(next(iter(fs.values("artifact.kind")), "other"))
    ctx = Context(fs)
    out = []
    for rule in rules:
        if kind in rule.scopes and holds(rule.statement, ctx):
            tree = evaluate_full(rule.statement, ctx)
            ctx.matched[rule.id] = tree
            out.append(RuleMatch(rule, tree, render(rule.meta.detail, rule.name, tree, fs)))
    return out


def _random_sets(examples: list[FeatureSet], rnd: random.Random) -> list[FeatureSet]:
    """Each example with some of its kinds dropped (so that anchors miss)."""
    out = []
    for fs in examples:
        kinds = sorted(fs.kinds)
        keep = {k for k in kinds if rnd.random() < 0.6} | {"artifact.kind"}
        smaller = FeatureSet()
        for f in fs:
            if f.kind in keep:
                smaller.add(f.kind, f.value, f.location)
        out.append(smaller)
    return out


def test_a_statement_whose_anchor_kinds_are_absent_never_holds() -> None:
    rules = load_rules()
    examples = [example_features(ex, rule) for rule in rules for ex in rule.meta.examples]
    sets = examples + _random_sets(examples, random.Random(41)) + [FeatureSet()]
    statements = [s for rule in rules for s in walk(rule.statement)]
    statements += [s for raw in RAW for s in walk(parse_statement(raw))]
    statements.append(Group("or", ()))
    skipped = 0
    for fs in sets:
        ctx = Context(fs)
        for stmt in statements:
            needs = anchor(stmt)
            if needs is not None and needs.isdisjoint(fs.kinds):
                skipped += 1
                assert not holds(stmt, ctx) and not tree_builder(stmt)(ctx).success, stmt
    assert skipped > 1000


def test_matches_are_those_of_asking_every_rule() -> None:
    rules = load_rules()
    examples = [example_features(ex, rule) for rule in rules for ex in rule.meta.examples]
    found = 0
    for fs in examples + _random_sets(examples, random.Random(43)):
        got = [(m.rule.id, m.tree, m.detail) for m in rules.match(fs)]
        plain = [(m.rule.id, m.tree, m.detail) for m in _plain_match(rules, fs)]
        assert got == plain
        found += len(got)
    assert found > 100
