"""``chaincut rules lint``: check rule files before they judge anything.

Checks: schema and statement syntax, id equal to the file's path, duplicate ids, feature
kinds known to ``detect.feature_kinds`` with values of the right type, regexes that
compile, template placeholders, dependencies that exist, share a scope and form no cycle,
kinds that can occur in the rule's scopes, and every example giving the expected result.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import ValidationError

from chaincut.detect.feature_kinds import KindSpec, kind_spec
from chaincut.detect.rules.detail import placeholders
from chaincut.detect.rules.examples import ExampleError, example_features
from chaincut.detect.rules.loader import (
    BUILTIN,
    RuleError,
    RuleSet,
    dependencies,
    expected_id,
    ordered,
    rule_files,
)
from chaincut.detect.rules.model import Rule, RuleMeta
from chaincut.detect.rules.statements import (
    CountStmt,
    FeatureStmt,
    NumberStmt,
    Statement,
    StatementError,
    parse_statement,
    walk,
)

Level = Literal["error", "warning"]
ALL_KINDS = ("apk", "dex", "ipa", "page", "url", "qr", "mobileconfig", "other")
SCOPE_ALIASES = {"itms": "other"}


@dataclass(frozen=True, slots=True)
class Problem:
    level: Level
    where: str  # file path or rule id
    message: str

    def __str__(self) -> str:
        return f"{self.level}: {self.where}: {self.message}"


def _scopes(spec: KindSpec) -> set[str]:
    if spec.scopes == "all":
        return set(ALL_KINDS)
    return {SCOPE_ALIASES.get(s, s) for s in spec.scopes.split()}


def _kind_problems(rule: Rule, stmt: Statement) -> list[str]:
    if not isinstance(stmt, FeatureStmt | CountStmt | NumberStmt):
        return []
    spec = kind_spec(stmt.kind)
    if spec is None:
        return [f"unknown feature kind {stmt.kind!r} (see docs/rules.md)"]
    out: list[str] = []
    if isinstance(stmt, NumberStmt) and spec.type != "int":
        out.append(f"number({stmt.kind}): {stmt.kind} is not numeric")
    if isinstance(stmt, FeatureStmt):
        for t in stmt.tests:
            if t.regex is not None and spec.type != "str":
                out.append(f"{stmt.kind}: a regex cannot match {spec.type} values")
            elif not t.any and t.regex is None and type(t.exact).__name__ != spec.type:
                out.append(f"{stmt.kind}: value {t.text!r} is not of type {spec.type}")
    if not _scopes(spec) & set(rule.scopes):
        out.append(f"{stmt.kind} never occurs in scopes {rule.scopes}: unreachable")
    return out


def check_rule(rule: Rule) -> list[str]:
    """Problems of one parsed rule on its own (kinds, values, template)."""
    out: list[str] = []
    for stmt in walk(rule.statement):
        out.extend(_kind_problems(rule, stmt))
    for kind in placeholders(rule.meta.detail or ""):
        if kind_spec(kind) is None:
            out.append(f"detail template names unknown feature kind {kind!r}")
    return out


def _dependency_problems(rules: dict[str, Rule]) -> list[Problem]:
    out: list[Problem] = []
    for rule in rules.values():
        for dep in dependencies(rule):
            other = rules.get(dep)
            if other is None:
                out.append(Problem("error", rule.id, f"depends on unknown rule {dep!r}"))
            elif not set(other.scopes) & set(rule.scopes):
                out.append(Problem("error", rule.id, f"dependency {dep!r} shares no scope"))
    try:
        ordered(rules)
    except RuleError as exc:
        out.append(Problem("error", "rules", str(exc)))
    return out


def _example_problems(rule: Rule, ruleset: RuleSet) -> list[Problem]:
    out: list[Problem] = []
    if not rule.meta.examples:
        out.append(Problem("warning", rule.id, "no examples"))
    for i, example in enumerate(rule.meta.examples, 1):
        try:
            fs = example_features(example, rule)
        except (ExampleError, OSError, ValueError) as exc:
            out.append(Problem("error", rule.id, f"example {i}: {exc}"))
            continue
        got = any(m.rule.id == rule.id for m in ruleset.match(fs))
        if got != example.expect:
            out.append(
                Problem("error", rule.id, f"example {i}: expected {example.expect}, got {got}")
            )
    return out


def _statement_errors(raw: Any, where: str = "features") -> list[str]:
    """Every statement error under ``raw``, not only the first the parser meets."""
    try:
        parse_statement(raw)
    except StatementError as exc:
        first = f"{where}: {exc}"
    else:
        return []
    if isinstance(raw, dict) and len(raw) == 1:
        key, value = next(iter(raw.items()))
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            inner = [e for i, v in enumerate(value) for e in
                     _statement_errors(v, f"{where}.{key}[{i}]")]  # fmt: skip
            if inner:
                return inner
        if str(key) == "not":
            inner = _statement_errors(value, f"{where}.not")
            if inner:
                return inner
    return [first]


def read_all(path: Path, root: Path, builtin: bool) -> tuple[Rule | None, list[str]]:
    """The rule in ``path`` and every problem of the file (the loader stops at the first)."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        return None, [" ".join(str(exc).split())]
    if not isinstance(raw, dict) or set(raw) != {"rule"}:
        return None, ["a rule file holds one top-level key, 'rule'"]
    body = raw["rule"]
    problems: list[str] = []
    meta = None
    try:
        meta = RuleMeta.model_validate(body)
    except ValidationError as exc:
        for e in exc.errors():
            loc = ".".join(str(x) for x in e["loc"]) or "rule"
            problems.append(f"{loc}: {e['msg']}")
    features = body.get("features") if isinstance(body, dict) else None
    if features is not None:
        problems += _statement_errors(features)
    rule_id = body.get("id") if isinstance(body, dict) else None
    want = expected_id(path, root)
    if isinstance(rule_id, str) and rule_id != want:
        problems.append(f"id {rule_id!r} must be {want!r}")
    if meta is None or problems:
        return None, problems
    rule = Rule(meta=meta, statement=parse_statement(meta.features), path=path, builtin=builtin)
    return rule, []


def _acyclic(rules: dict[str, Rule]) -> dict[str, Rule]:
    """The rules outside any dependency cycle, so their examples still run."""
    keep = dict(rules)
    while True:
        try:
            ordered(keep)
        except RuleError as exc:
            cycle = set(str(exc).split(": ", 1)[-1].split(" -> "))
            if not cycle & set(keep):
                return {}
            keep = {k: v for k, v in keep.items() if k not in cycle}
            continue
        return keep


def lint(dirs: Sequence[Path] = (), builtin: bool = True) -> tuple[list[Problem], int]:
    """(problems, number of rules read) for the built-in rules and ``dirs``."""
    roots = ([BUILTIN] if builtin else []) + [Path(d) for d in dirs]
    problems: list[Problem] = []
    rules: dict[str, Rule] = {}
    for root in roots:
        if not root.is_dir():
            problems.append(Problem("error", str(root), "not a folder of rules"))
            continue
        seen: dict[str, Path] = {}
        for path in rule_files(root):
            rule, found = read_all(path, root, builtin=root == BUILTIN)
            problems.extend(Problem("error", str(path), m) for m in found)
            if rule is None:
                continue
            problems.extend(Problem("error", str(path), m) for m in check_rule(rule))
            if rule.id in seen:
                problems.append(Problem("error", str(path), f"duplicate id (also {seen[rule.id]})"))
                continue
            seen[rule.id] = path
            rules[rule.id] = rule
    problems.extend(_dependency_problems(rules))
    runnable = _acyclic(rules)
    ruleset = RuleSet(list(runnable.values()))
    for rule in runnable.values():
        problems.extend(_example_problems(rule, ruleset))
    return problems, len(rules)
