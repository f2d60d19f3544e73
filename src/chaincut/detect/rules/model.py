"""A rule file's schema, the parsed rule, and a match with its evidence tree."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from chaincut.detect.rules.statements import Statement
from chaincut.facts.models import Kind
from chaincut.result.models import Category, EvidenceNode, Severity

RULE_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*/[a-z0-9][a-z0-9_.-]*$")


class Example(BaseModel):
    """An example the linter checks: inline features or a facts file / artifact path."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    features: dict[str, Any] | None = None
    facts: str | None = None
    expect: bool


class RuleMeta(BaseModel):
    """The ``rule:`` mapping of one YAML file (features are parsed separately)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    name: str
    description: str = ""
    severity: Severity
    score: int = Field(ge=0, le=100)
    categories: list[Category] = Field(default_factory=list)
    scopes: list[Kind] = Field(min_length=1)
    detail: str | None = None
    references: list[str] = Field(default_factory=list)
    features: Any
    examples: list[Example] = Field(default_factory=list)

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        if not RULE_ID.match(v):
            raise ValueError(f"rule id {v!r} must be <namespace>/<name> in [a-z0-9_.-]")
        return v


@dataclass(frozen=True, eq=False)
class Rule:
    """A parsed rule: metadata plus its compiled statement tree."""

    meta: RuleMeta
    statement: Statement
    path: Path | None = None
    builtin: bool = True

    @property
    def id(self) -> str:
        return self.meta.id

    @property
    def name(self) -> str:
        return self.meta.name

    @property
    def severity(self) -> Severity:
        return self.meta.severity

    @property
    def score(self) -> int:
        return self.meta.score

    @property
    def categories(self) -> list[Category]:
        return self.meta.categories

    @property
    def scopes(self) -> list[Kind]:
        return self.meta.scopes


@dataclass(frozen=True, slots=True)
class RuleMatch:
    """A rule that held, the tree of statements that made it hold, and its sentence."""

    rule: Rule
    tree: EvidenceNode
    detail: str
