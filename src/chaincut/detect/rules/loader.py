"""Load rules (one YAML file per rule) and match them, in dependency order, per scope.

Built-in rules live in ``chaincut/rules/<namespace>/<name>.yaml``; ``--rules DIR`` folders
are read the same way and add rules or override built-ins by id. ``RuleSet.version`` hashes
every rule file, so a result names the exact rules that judged it.
"""

from __future__ import annotations

import functools
import graphlib
import hashlib
from collections.abc import Iterator, Sequence
from pathlib import Path

import yaml
from pydantic import ValidationError

from chaincut.detect.features import FeatureSet
from chaincut.detect.rules.anchors import Anchor, anchor
from chaincut.detect.rules.detail import render
from chaincut.detect.rules.matcher import Check, Context, compiled
from chaincut.detect.rules.model import Rule, RuleMatch, RuleMeta
from chaincut.detect.rules.statements import MatchStmt, StatementError, parse_statement, walk
from chaincut.detect.rules.trees import Build, tree_builder
from chaincut.knowledge.yamlio import load_yaml

BUILTIN = Path(__file__).resolve().parents[2] / "rules"


class RuleError(ValueError):
    """A rule file or rule set that cannot be used; the message names the file."""


def expected_id(path: Path, root: Path) -> str:
    """``<namespace>/<name>`` from a rule file's place under its rules folder."""
    rel = path.relative_to(root).with_suffix("")
    return "/".join(rel.parts)


def read_rule(path: Path, root: Path, *, builtin: bool = False) -> Rule:
    """Parse and validate one rule file (raises RuleError saying what is wrong)."""
    try:
        raw = load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise RuleError(f"{path}: {' '.join(str(exc).split())}") from None
    if not isinstance(raw, dict) or set(raw) != {"rule"}:
        raise RuleError(f"{path}: a rule file holds one top-level key, 'rule'")
    try:
        meta = RuleMeta.model_validate(raw["rule"])
        statement = parse_statement(meta.features)
    except ValidationError as exc:
        raise RuleError(f"{path}: {' '.join(str(exc).split())}") from None
    except StatementError as exc:
        raise RuleError(f"{path}: features: {exc}") from None
    if meta.id != expected_id(path, root):
        raise RuleError(f"{path}: id {meta.id!r} must be {expected_id(path, root)!r}")
    return Rule(meta=meta, statement=statement, path=path, builtin=builtin)


def rule_files(root: Path) -> list[Path]:
    """Rule files under a folder, sorted (``<namespace>/<name>.yaml``, also ``.yml``)."""
    return sorted(p for p in root.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


def dependencies(rule: Rule) -> list[str]:
    return [s.rule for s in walk(rule.statement) if isinstance(s, MatchStmt)]


def ordered(rules: dict[str, Rule]) -> list[Rule]:
    """Rules with every dependency first (raises RuleError on a cycle)."""
    graph = {rid: [d for d in dependencies(r) if d in rules] for rid, r in rules.items()}
    try:
        order = list(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as exc:
        raise RuleError(f"rule dependency cycle: {' -> '.join(exc.args[1])}") from None
    return [rules[rid] for rid in order]


class RuleSet:
    """Rules in dependency order, indexed by the artifact kinds they apply to."""

    def __init__(self, rules: Sequence[Rule], version: str = "") -> None:
        by_id = {r.id: r for r in rules}
        self.rules: list[Rule] = ordered(by_id)
        self.version = version or _digest(self.rules)
        self._by_scope: dict[str, list[tuple[Rule, Anchor, Check, Build]]] = {}
        for rule in self.rules:
            # the kinds it needs, its check and its evidence builder: once per rule set
            made = (rule, anchor(rule.statement), compiled(rule.statement),
                    tree_builder(rule.statement))  # fmt: skip
            for scope in rule.scopes:
                self._by_scope.setdefault(scope, []).append(made)

    def __len__(self) -> int:
        return len(self.rules)

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules)

    def get(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)

    def match(self, features: FeatureSet) -> list[RuleMatch]:
        """Every rule that holds for ``features``, in dependency order."""
        kinds = features.values("artifact.kind")
        kind = next(iter(kinds), "other")
        ctx = Context(features)
        present = features.kinds
        out: list[RuleMatch] = []
        for rule, needs, check, build in self._by_scope.get(str(kind), []):
            if needs is not None and needs.isdisjoint(present):
                continue  # none of the kinds it cannot hold without: no need to ask
            if not check(ctx):
                continue  # most rules fail on most artifacts: no evidence built for them
            tree = build(ctx)
            if not tree.success:
                continue
            ctx.matched[rule.id] = tree
            detail = render(rule.meta.detail, rule.name, tree, features)
            out.append(RuleMatch(rule=rule, tree=tree, detail=detail))
        return out


def _digest(rules: Sequence[Rule]) -> str:
    h = hashlib.sha256()
    for rule in sorted(rules, key=lambda r: r.id):
        h.update(rule.id.encode() + b"\0")
        if rule.path is not None:
            h.update(rule.path.read_bytes() + b"\0")
        else:
            h.update(rule.meta.model_dump_json().encode() + b"\0")
    return h.hexdigest()[:12]


def read_folder(root: Path, *, builtin: bool = False) -> list[Rule]:
    if not root.is_dir():
        raise RuleError(f"{root}: not a folder of rules")
    return [read_rule(p, root, builtin=builtin) for p in rule_files(root)]


@functools.lru_cache(maxsize=8)
def _cached(dirs: tuple[Path, ...], builtin: bool) -> RuleSet:
    rules: dict[str, Rule] = {}
    if builtin:
        rules.update((r.id, r) for r in read_folder(BUILTIN, builtin=True))
    for folder in dirs:
        rules.update((r.id, r) for r in read_folder(folder))
    return RuleSet(list(rules.values()))


def load_rules(dirs: Sequence[Path] = (), builtin: bool = True) -> RuleSet:
    """Built-in rules (unless ``builtin=False``) plus ``dirs``, later ids overriding earlier.

    Cached per argument list; raises RuleError on the first unusable file.
    """
    return _cached(tuple(Path(d).resolve() for d in dirs), builtin)
