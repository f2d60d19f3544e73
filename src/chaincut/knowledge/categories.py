"""Fraud category wording (``data/categories.yaml``): weighted terms per category.

Knowledge is data: an analyst adds a term (a new lure word, a new slang for "task
rebates") to the YAML file, not to code. Categories are those of interfaces.md section 3;
weights say how strongly one term points at its category (0.5 weak hint .. 5 decisive).

``name_terms`` are weights that apply where the victim sees the name (app label, display
name, titles) instead of the ``categories`` weight: a platform names itself for its kind
("XX客服", "XX资本"), while the same word in body text is everyday wording ("联系客服").

``lure_categories`` name what the victim is asked to do (take tasks, invest, borrow, date,
bet, obey the police, follow a service agent), as opposed to the trusted services a fraud
dresses up as (a bank, a wallet, a shop): plain lure wording in an imitation decides its
category over the borrowed brand's (``detect.category``).
"""

from __future__ import annotations

import functools
import hashlib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from chaincut.knowledge.brands import CATEGORIES
from chaincut.knowledge.yamlio import load_yaml

DEFAULT_CATEGORIES = Path(__file__).parent / "data" / "categories.yaml"
MAX_WEIGHT = 5.0


class CategoryError(ValueError):
    """A category file that cannot be used; the message names the file and the term."""


class CategoryTerms(BaseModel):
    """Terms per category, normalised (NFKC, case folded), with a version hash."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    categories: dict[str, dict[str, float]]
    name_terms: dict[str, dict[str, float]] = {}
    lure_categories: tuple[str, ...] = ()
    version: str = ""

    @field_validator("lure_categories")
    @classmethod
    def _known(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        for category in v:
            if category not in CATEGORIES:
                known = ", ".join(CATEGORIES)
                raise ValueError(f"lure category {category!r} is not one of {known}")
        return v

    @field_validator("categories", "name_terms")
    @classmethod
    def _valid(cls, v: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
        out: dict[str, dict[str, float]] = {}
        for category, terms in v.items():
            if category not in CATEGORIES:
                raise ValueError(f"category {category!r} is not one of {', '.join(CATEGORIES)}")
            clean: dict[str, float] = {}
            for term, weight in (terms or {}).items():
                key = unicodedata.normalize("NFKC", str(term)).casefold().strip()
                if not key:
                    raise ValueError(f"{category}: empty term")
                if not 0 < float(weight) <= MAX_WEIGHT:
                    raise ValueError(f"{category}: weight of {term!r} must be in (0, {MAX_WEIGHT}]")
                clean[key] = float(weight)
            out[category] = clean
        return out


def load_categories(path: Path = DEFAULT_CATEGORIES) -> CategoryTerms:
    """Read and validate a category file; ``CategoryError`` with one clear line otherwise."""
    try:
        data = path.read_bytes()
        raw = load_yaml(data.decode("utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise CategoryError(f"{path}: cannot read category terms: {exc}") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("categories"), dict):
        raise CategoryError(f"{path}: expected a mapping with a 'categories' mapping")
    try:
        return CategoryTerms(
            categories=raw["categories"],
            name_terms=raw.get("name_terms") or {},
            lure_categories=tuple(raw.get("lure_categories") or ()),
            version=hashlib.sha256(data).hexdigest()[:12],
        )
    except ValidationError as exc:
        raise CategoryError(f"{path}: {exc.errors()[0]['msg']}") from None


@functools.cache
def default_categories() -> CategoryTerms:
    """The shipped category terms, loaded once per process."""
    return load_categories()


@dataclass(frozen=True, slots=True)
class TermIndex:
    """The terms of all categories at once, for matching each text a single time.

    ``weights`` maps a term to the categories it points at (a term may be shared, e.g. the
    after-sales wording of fake shops and fake customer service); ``longest_first`` is the
    match order that lets a phrase hide the shorter terms inside it; ``name_weights``
    replace ``weights`` in the shown name (``CategoryTerms.name_terms``).
    """

    weights: dict[str, dict[str, float]]
    longest_first: tuple[str, ...]
    name_weights: dict[str, dict[str, float]]
    # first character -> positions in ``longest_first`` of the terms starting with it
    by_first: dict[str, tuple[int, ...]] = field(default_factory=dict)


def term_index(terms: CategoryTerms) -> TermIndex:
    """Index ``terms``, once per file version (the index would be rebuilt per call else)."""
    if not terms.version:
        return _build_index(terms)
    index = _INDEXES.get(terms.version)
    if index is None:
        if len(_INDEXES) >= 8:
            _INDEXES.clear()
        index = _INDEXES[terms.version] = _build_index(terms)
    return index


_INDEXES: dict[str, TermIndex] = {}


def _build_index(terms: CategoryTerms) -> TermIndex:
    weights: dict[str, dict[str, float]] = {}
    for category, table in terms.categories.items():
        for term, weight in table.items():
            weights.setdefault(term, {})[category] = weight
    named: dict[str, dict[str, float]] = {}
    for category, table in terms.name_terms.items():
        for term, weight in table.items():
            named.setdefault(term, dict(weights.get(term, {})))[category] = weight
    order = tuple(sorted(weights.keys() | named.keys(), key=lambda t: (-len(t), t)))
    by_first: dict[str, list[int]] = {}
    for i, term in enumerate(order):
        if term:
            by_first.setdefault(term[0], []).append(i)
    return TermIndex(weights=weights, longest_first=order, name_weights=named,
                     by_first={c: tuple(v) for c, v in by_first.items()})
