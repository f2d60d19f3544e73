"""The brand registry (../shared/interfaces.md section 1): what genuine platforms look like.

The default registry ships in ``data/brands.yaml``; ``--brands FILE`` (repeatable) adds
entries or overrides them by ``id``. Icon paths are resolved against the YAML file that
names them, so a registry can be moved with its icons.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterable
from pathlib import Path
from typing import get_args

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from chaincut.result.models import Category

DEFAULT_REGISTRY = Path(__file__).parent / "data" / "brands.yaml"
BRAND_ID = re.compile(r"^[a-z0-9_-]+$")
CATEGORIES: tuple[str, ...] = get_args(Category)  # interfaces.md section 3


class BrandError(ValueError):
    """A registry file that cannot be used; the message names the file and the entry."""


class Brand(BaseModel):
    """One genuine platform. Unknown keys are kept out so typos surface as errors."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    names: list[str] = Field(min_length=1)
    category: str
    packages: list[str] = Field(default_factory=list)
    certs: list[str] = Field(default_factory=list)
    bundle_ids: list[str] = Field(default_factory=list)
    domains: list[str] = Field(default_factory=list)
    icons: list[str] = Field(default_factory=list)  # absolute after loading
    team_ids: list[str] = Field(default_factory=list)  # extension: Apple team identifiers
    tokens: list[str] = Field(default_factory=list)  # extension: ASCII tokens seen in URLs

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        if not BRAND_ID.match(v):
            raise ValueError(f"brand id {v!r} must match [a-z0-9_-]+")
        return v

    @field_validator("category")
    @classmethod
    def _category(cls, v: str) -> str:
        if v not in CATEGORIES:
            raise ValueError(f"category {v!r} is not one of {', '.join(CATEGORIES)}")
        return v

    @field_validator("certs")
    @classmethod
    def _certs(cls, v: list[str]) -> list[str]:
        return [c.lower().replace(":", "") for c in v]

    @property
    def display_name(self) -> str:
        return self.names[0]


class BrandRegistry(BaseModel):
    """Brands by id, in file order, with a version hash of the files they came from."""

    model_config = ConfigDict(frozen=True)

    brands: dict[str, Brand]
    version: str  # sha256 prefix over the registry files' bytes

    def by_package(self, package: str) -> Brand | None:
        for brand in self.brands.values():
            if package in brand.packages:
                return brand
        return None

    def by_domain(self, domain: str) -> Brand | None:
        for brand in self.brands.values():
            if domain in brand.domains:
                return brand
        return None


def _load_file(path: Path) -> list[Brand]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise BrandError(f"{path}: cannot read brand registry: {exc}") from None
    except yaml.YAMLError as exc:
        raise BrandError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("brands"), list):
        raise BrandError(f"{path}: expected a mapping with a 'brands' list")
    out: list[Brand] = []
    for i, entry in enumerate(raw["brands"]):
        if isinstance(entry, dict) and isinstance(entry.get("icons"), list):
            entry = {**entry, "icons": [str((path.parent / p).resolve()) for p in entry["icons"]]}
        try:
            out.append(Brand.model_validate(entry))
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise BrandError(f"{path}: brand #{i + 1} {where}: {first['msg']}") from None
    return out


def load_registry(extra: Iterable[str | Path] = (), *, default: bool = True) -> BrandRegistry:
    """The default registry (unless ``default`` is False) overlaid with ``extra`` files."""
    files = ([DEFAULT_REGISTRY] if default else []) + [Path(p) for p in extra]
    brands: dict[str, Brand] = {}
    digest = hashlib.sha256()
    for path in files:
        for brand in _load_file(path):
            brands[brand.id] = brand  # later files override by id
        digest.update(path.read_bytes())
    return BrandRegistry(brands=brands, version=digest.hexdigest()[:12])


@functools.cache
def default_registry() -> BrandRegistry:
    """The shipped registry, loaded once per process."""
    return load_registry()
