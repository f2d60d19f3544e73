"""Rule statements: the boolean tree of a rule's ``features:`` block, parsed once.

Syntax (one key per mapping, as in capa):

* ``and: [...]``, ``or: [...]``, ``not: {...}``, ``N or more: [...]``
* ``<kind>: <value>``: a feature; a value is exact (``permission: android.permission.SEND_SMS``),
  a regex between slashes searched anywhere (``api: /SmsManager\\.send/``, flag ``/.../i``),
  ``any`` (the kind is present at all), a number or a boolean; a list means any of them
* ``count(<kind>)``, ``count(<kind>=<value or /regex/>)``: ``{min: N, max: M}`` bounds on the
  number of distinct matching values
* ``number(<kind>)``: ``{min: N, max: M}`` or an exact number, for numeric kinds
* ``match: <namespace>/<name>``: another rule matched (rules are ordered by dependency)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from chaincut.detect.features import Value

N_OR_MORE = re.compile(r"^(\d+) or more$")
COUNT = re.compile(r"^count\(([a-z0-9_.]+)(?:=(.+))?\)$")
NUMBER = re.compile(r"^number\(([a-z0-9_.]+)\)$")
REGEX_LITERAL = re.compile(r"^/(.*)/([i]*)$", re.S)


class StatementError(ValueError):
    """A ``features:`` block that cannot be parsed; the message says where."""


@dataclass(frozen=True, slots=True)
class ValueTest:
    """How one feature value is tested: exact, regex, or presence (``any``)."""

    text: str  # as written, for the evidence tree
    exact: Value | None = None
    regex: re.Pattern[str] | None = None
    any: bool = False

    def test(self, value: Value) -> bool:
        if self.any:
            return True
        if self.regex is not None:
            return isinstance(value, str) and self.regex.search(value) is not None
        return type(value) is type(self.exact) and value == self.exact


def value_test(raw: Any) -> ValueTest:
    """A ValueTest from a YAML scalar (raises StatementError on a bad regex or type)."""
    if isinstance(raw, bool | int):
        return ValueTest(text=str(raw).lower() if isinstance(raw, bool) else str(raw), exact=raw)
    if not isinstance(raw, str):
        raise StatementError(f"feature value must be a string, number or boolean, not {raw!r}")
    if raw == "any":
        return ValueTest(text="any", any=True)
    m = REGEX_LITERAL.match(raw)
    if m and len(raw) >= 2:
        try:
            pattern = re.compile(m.group(1), re.I if "i" in m.group(2) else 0)
        except re.error as exc:
            raise StatementError(f"bad regex {raw}: {exc}") from None
        return ValueTest(text=raw, regex=pattern)
    return ValueTest(text=raw, exact=raw)


@dataclass(frozen=True, slots=True)
class Range:
    min: int | None = None
    max: int | None = None

    def test(self, n: int) -> bool:
        return (self.min is None or n >= self.min) and (self.max is None or n <= self.max)

    def text(self) -> str:
        if self.min is not None and self.max is not None:
            return f"{self.min}..{self.max}" if self.min != self.max else f"= {self.min}"
        return f">= {self.min}" if self.min is not None else f"<= {self.max}"


@dataclass(frozen=True, slots=True)
class FeatureStmt:
    kind: str
    tests: tuple[ValueTest, ...]

    def text(self) -> str:
        return f"{self.kind}: " + " | ".join(t.text for t in self.tests)


@dataclass(frozen=True, slots=True)
class CountStmt:
    kind: str
    test: ValueTest
    range: Range

    def text(self) -> str:
        inner = self.kind if self.test.any else f"{self.kind}={self.test.text}"
        return f"count({inner}) {self.range.text()}"


@dataclass(frozen=True, slots=True)
class NumberStmt:
    kind: str
    range: Range

    def text(self) -> str:
        return f"number({self.kind}) {self.range.text()}"


@dataclass(frozen=True, slots=True)
class MatchStmt:
    rule: str

    def text(self) -> str:
        return f"match: {self.rule}"


@dataclass(frozen=True, slots=True)
class Group:
    op: str  # "and", "or", "not", "n_or_more"
    children: tuple[Statement, ...]
    n: int = 0

    def text(self) -> str:
        return f"{self.n} or more" if self.op == "n_or_more" else self.op


Statement = Group | FeatureStmt | CountStmt | NumberStmt | MatchStmt


def _range(raw: Any, what: str) -> Range:
    if isinstance(raw, int) and not isinstance(raw, bool):
        return Range(raw, raw)
    if isinstance(raw, dict) and raw and set(raw) <= {"min", "max"}:
        lo, hi = raw.get("min"), raw.get("max")
        for v in (lo, hi):
            if v is not None and (not isinstance(v, int) or isinstance(v, bool)):
                raise StatementError(f"{what}: min/max must be integers")
        return Range(lo, hi)
    raise StatementError(f"{what}: expected {{min: N, max: M}} or a number, not {raw!r}")


def _children(raw: Any, op: str) -> tuple[Statement, ...]:
    if not isinstance(raw, list) or not raw:
        raise StatementError(f"'{op}' needs a non-empty list")
    return tuple(parse_statement(item) for item in raw)


def parse_statement(raw: Any) -> Statement:
    """Parse one node of a ``features:`` tree."""
    if not isinstance(raw, dict) or len(raw) != 1:
        raise StatementError(f"each statement is a mapping with exactly one key, not {raw!r}")
    key, value = next(iter(raw.items()))
    key = str(key)
    if key in ("and", "or"):
        return Group(key, _children(value, key))
    if key == "not":
        return Group("not", (parse_statement(value),))
    if m := N_OR_MORE.match(key):
        children = _children(value, key)
        n = int(m.group(1))
        if not 1 <= n <= len(children):
            raise StatementError(f"'{key}' over {len(children)} statements can never hold")
        return Group("n_or_more", children, n)
    if key == "match":
        if not isinstance(value, str):
            raise StatementError("'match' takes a rule id")
        return MatchStmt(value)
    if m := COUNT.match(key):
        test = value_test(m.group(2)) if m.group(2) is not None else ValueTest("any", any=True)
        return CountStmt(m.group(1), test, _range(value, key))
    if m := NUMBER.match(key):
        return NumberStmt(m.group(1), _range(value, key))
    if "(" in key or " " in key:
        raise StatementError(f"unknown statement {key!r}")
    values = value if isinstance(value, list) else [value]
    if not values:
        raise StatementError(f"{key}: empty list of values")
    return FeatureStmt(key, tuple(value_test(v) for v in values))


def walk(stmt: Statement) -> list[Statement]:
    """Every statement of a tree, depth first."""
    out: list[Statement] = [stmt]
    if isinstance(stmt, Group):
        for child in stmt.children:
            out.extend(walk(child))
    return out
