"""The brand registry (../shared/interfaces.md section 1): what genuine platforms look like.

The default registry ships in ``data/brands.yaml``; ``--brands FILE`` (repeatable) adds
entries or overrides them by ``id``. Icon paths are resolved against the YAML file that
names them, so a registry can be moved with its icons.

A registry is checked before it is used, because a bad entry turns into a wrong verdict:
a certificate fingerprint two characters short never matches the genuine app, which then
looks like an impostor. Certificates must be SHA-256 fingerprints (64 hex digits), icons
must exist, categories must be known; a bad entry is refused with its line in the file and
the reason. A key chaincut does not know (``sector:``, ``notes:``) is reported on one line,
with the closest known key, and ignored: a registry kept by people gathers annotations.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any, get_args

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from chaincut.knowledge.yamlio import SafeLoader, load_yaml
from chaincut.result.models import Category

DEFAULT_REGISTRY = Path(__file__).parent / "data" / "brands.yaml"
BRAND_ID = re.compile(r"^[a-z0-9_-]+$")
CATEGORIES: tuple[str, ...] = get_args(Category)  # interfaces.md section 3
CERT_SHA256 = re.compile(r"^[0-9a-f]{64}$")
TEAM_ID = re.compile(r"^[A-Z0-9]{10}$")  # Apple team identifiers
_WARNED: set[str] = set()


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
        out = [c.strip().lower().replace(":", "") for c in v]
        for cert in out:
            if not CERT_SHA256.match(cert):
                raise ValueError(_cert_problem(cert))
        return out

    @field_validator("team_ids")
    @classmethod
    def _team_ids(cls, v: list[str]) -> list[str]:
        for team in v:
            if not TEAM_ID.match(team):
                raise ValueError(f"team id {team!r} is not 10 upper-case letters and digits")
        return v

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


def _cert_problem(cert: str) -> str:
    shown = cert if len(cert) <= 20 else cert[:16] + "..."
    if re.fullmatch(r"[0-9a-f]*", cert):
        return (
            f"certificate {shown!r} has {len(cert)} hex digits; a SHA-256 fingerprint "
            "of the signing certificate has 64"
        )
    return f"certificate {shown!r} is not hexadecimal (expected a 64-digit SHA-256 fingerprint)"


def _read(path: Path) -> tuple[Any, yaml.Node | None]:
    """The YAML data and its node tree (for line numbers)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BrandError(f"{path}: cannot read brand registry: {exc}") from None
    try:
        return load_yaml(text), yaml.compose(text, Loader=SafeLoader)
    except yaml.YAMLError as exc:
        raise BrandError(f"{path}: not valid YAML: {' '.join(str(exc).split())}") from None


def _entry_nodes(root: yaml.Node | None) -> list[yaml.Node]:
    """The nodes of the ``brands`` list, in order ([] when the file has none)."""
    if isinstance(root, yaml.MappingNode):
        for key, value in root.value:
            if key.value == "brands" and isinstance(value, yaml.SequenceNode):
                return list(value.value)
    return []


def _key_lines(node: yaml.Node | None) -> dict[str, int]:
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(k.value): k.start_mark.line + 1 for k, _ in node.value}


def _warn(message: str) -> None:
    """One line on stderr, once per process: the registry still loads."""
    if message not in _WARNED:
        _WARNED.add(message)
        print(f"chaincut: {message}", file=sys.stderr)


def _known_keys(
    entry: dict[str, Any], path: Path, node: yaml.Node | None, label: str
) -> dict[str, Any]:
    """The entry without keys the registry format does not have, each reported once."""
    known = list(Brand.model_fields)
    lines = _key_lines(node)
    kept: dict[str, Any] = {}
    for key, value in entry.items():
        if key in known:
            kept[key] = value
            continue
        close = difflib.get_close_matches(str(key), known, n=1, cutoff=0.5)
        hint = f"did you mean '{close[0]}'?" if close else f"known keys: {', '.join(known)}"
        where = f"{path}:{lines[key]}" if key in lines else str(path)
        _warn(f"{where}: brand {label}: unknown key '{key}' ignored ({hint})")
    return kept


def _load_file(path: Path) -> list[Brand]:
    raw, root = _read(path)
    if not isinstance(raw, dict) or not isinstance(raw.get("brands"), list):
        raise BrandError(f"{path}: expected a mapping with a 'brands' list")
    nodes = _entry_nodes(root)
    out: list[Brand] = []
    for i, entry in enumerate(raw["brands"]):
        node = nodes[i] if i < len(nodes) else None
        line = node.start_mark.line + 1 if node is not None else None
        label = f"#{i + 1}"
        if isinstance(entry, dict):
            if isinstance(entry.get("id"), str):
                label = f"'{entry['id']}'"
            entry = _known_keys(entry, path, node, label)
        try:
            brand = Brand.model_validate(entry)
        except ValidationError as exc:
            first = exc.errors()[0]
            field = str(first["loc"][0]) if first["loc"] else ""
            at = _key_lines(node).get(field, line)
            place = f"{path}:{at}" if at else str(path)
            msg = str(first["msg"]).removeprefix("Value error, ")
            raise BrandError(f"{place}: brand {label} {field}: {msg}".replace(" :", ":")) from None
        icons = [(path.parent / p).resolve() for p in brand.icons]
        for rel, icon in zip(brand.icons, icons, strict=True):
            if not icon.is_file():
                at = _key_lines(node).get("icons", line)
                raise BrandError(f"{path}:{at}: brand {label} icons: {rel!r} not found ({icon})")
        out.append(brand.model_copy(update={"icons": [str(p) for p in icons]}))
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
