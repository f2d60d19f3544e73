"""Rule evidence built from what the rule set prepared once (statement texts, shapes,
template pieces, one hit per value) equals the plain per-artifact computation: the tree
walk of ``evaluate_full`` and ``PLACEHOLDER.sub`` over the template."""

from __future__ import annotations

import random
import re

from chaincut.detect.features import FeatureSet
from chaincut.detect.rules import RuleSet
from chaincut.detect.rules.detail import PLACEHOLDER, _values, hits_of, pieces, render
from chaincut.detect.rules.examples import example_features
from chaincut.detect.rules.loader import load_rules
from chaincut.detect.rules.matcher import Context
from chaincut.detect.rules.model import Rule, RuleMeta
from chaincut.detect.rules.statements import parse_statement, walk
from chaincut.detect.rules.trees import tree_builder
from chaincut.facts.models import Location
from tests.rule_oracle import evaluate_full, holds

DEX = Location(entry="classes.dex")
OTHER = Location(entry="classes2.dex")

STATEMENTS: list[object] = [
    {"and": [{"permission": "any"}, {"not": {"api": r"/Runtime\.exec/"}}]},
    {"or": [{"packer": "any"}, {"api": r"/^java\.lang\./"}, {"api": ["a.b.C.d", "x"]}]},
    {"2 or more": [{"permission": "any"}, {"api": "any"}, {"packer": "any"}]},
    {"3 or more": [{"permission": "any"}, {"api": "any"}, {"packer": "any"}]},
    {"count(permission=/SMS$/)": {"min": 2}},
    {"count(api)": {"max": 1}},
    {"number(cert.age_days)": {"max": 30}},
    {"not": {"and": [{"permission": "any"}, {"packer": "any"}]}},
    {"and": [{"match": "x/y"}, {"match": "x/absent"}]},
    {"flag": [True, 1, "1"]},
]


def _plain_render(template: str | None, name: str, tree: object, fs: FeatureSet) -> str:
    """The template filled by ``re.sub`` at every match, as before."""
    hits = hits_of(tree)  # type: ignore[arg-type]
    if not template:
        return render(template, name, tree, fs)  # type: ignore[arg-type]

    def fill(m: re.Match[str]) -> str:
        return str(fs.count(m.group(2))) if m.group(1) else _values(m.group(2), hits, fs)

    return PLACEHOLDER.sub(fill, template)


def _small_set() -> FeatureSet:
    fs = FeatureSet()
    fs.add_many("permission", ["android.permission.SEND_SMS", "android.permission.READ_SMS"], DEX)
    fs.add_many("api", ["java.lang.Runtime.exec", "a.b.C.d"], DEX)
    fs.add("api", "a.b.C.d", OTHER)
    fs.add("cert.age_days", 12)
    fs.add("flag", True)
    return fs


def test_builders_give_the_trees_of_evaluate_on_every_builtin_rule() -> None:
    rules = load_rules()
    sets = [example_features(ex, rule) for rule in rules for ex in rule.meta.examples]
    assert len(sets) > 50
    held = 0
    for fs in sets:
        plain, built = Context(fs), Context(fs)
        for rule in rules:
            for stmt in walk(rule.statement):
                tree = tree_builder(stmt)(built)
                assert tree == evaluate_full(stmt, plain), (rule.id, stmt)
                assert tree.model_dump_json() == evaluate_full(stmt, plain).model_dump_json()
            if holds(rule.statement, plain):
                held += 1
                tree = tree_builder(rule.statement)(built)
                plain.matched[rule.id] = evaluate_full(rule.statement, plain)
                built.matched[rule.id] = tree
                assert render(rule.meta.detail, rule.name, tree, fs) == _plain_render(
                    rule.meta.detail, rule.name, tree, fs)  # fmt: skip
    assert held > 50


def test_builders_give_the_trees_of_evaluate_on_small_sets() -> None:
    fs = _small_set()
    ctx = Context(fs)
    ctx.matched["x/y"] = evaluate_full(parse_statement({"permission": "any"}), ctx)
    for raw in STATEMENTS:
        stmt = parse_statement(raw)
        assert tree_builder(stmt)(ctx) == evaluate_full(stmt, Context(fs, dict(ctx.matched))), raw


def test_hits_are_per_context_and_show_true_and_one_apart() -> None:
    """A hit kept for one artifact is never another's (its own location), and a value
    tested as 1 shows as "1" even where True was shown first."""
    stmt = parse_statement({"and": [{"flag": True}, {"flag": 1}, {"api": "a.b.C.d"}]})
    build = tree_builder(stmt)
    first = _small_set()
    second = FeatureSet()
    second.add("flag", True, OTHER)
    second.add("api", "a.b.C.d", OTHER)
    one, two = build(Context(first)), build(Context(second))
    assert [c.hits[0].value for c in one.children] == ["true", "1", "a.b.C.d"]
    assert one.children[2].hits[0].location == DEX
    assert two.children[2].hits[0].location == OTHER
    assert two == evaluate_full(stmt, Context(second))


def test_each_rule_set_builds_its_own_trees() -> None:
    """Two rule sets with the same rule id and different statements, in one process."""

    def rule(features: object) -> Rule:
        meta = RuleMeta(id="x/y", name="y", severity="low", score=1, scopes=["apk"],
                        features=features, detail="{api} of {count(api)}")  # fmt: skip
        return Rule(meta=meta, statement=parse_statement(features), path=None)

    fs = _small_set()
    fs.add("artifact.kind", "apk")
    a = RuleSet([rule({"api": "/Runtime/"})]).match(fs)
    b = RuleSet([rule({"api": "/C\\.d$/"})]).match(fs)
    assert a[0].tree.hits[0].value == "java.lang.Runtime.exec"
    assert b[0].tree.hits[0].value == "a.b.C.d"
    assert (a[0].detail, b[0].detail) == ("java.lang.Runtime.exec of 2", "a.b.C.d of 2")


def test_template_pieces_fill_as_the_regex_substitution() -> None:
    rnd = random.Random(23)
    fs = _small_set()
    tree = evaluate_full(parse_statement({"api": "any"}), Context(fs))
    parts = ["{api}", "{count(api)}", "{permission}", "{label}", "x", " ", "{", "}", "(",
             "{count(", "{API}", "{cert.age_days}", "…", "{api)}"]  # fmt: skip
    for _ in range(500):
        template = "".join(rnd.choice(parts) for _ in range(rnd.randint(0, 8)))
        assert render(template, "n", tree, fs) == _plain_render(template, "n", tree, fs)
    assert pieces("a{api}b") == (("a", False, "api"), ("b", False, ""))
