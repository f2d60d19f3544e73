"""The registry, precomputed for matching: normalised names, pinyin, ASCII tokens.

Built once per registry (cached by content) so judging a document never re-normalises
the registry's names.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from chaincut.detect.impersonation import normalize as nz
from chaincut.knowledge.brands import Brand, BrandRegistry

# package segments that say nothing about who published an app
GENERIC_SEGMENTS = frozenset(
    {
        "com", "cn", "net", "org", "io", "app", "apps", "android", "mobile", "main", "client",
        "phone", "iphone", "iphoneclient", "ios", "www", "mbank", "bank", "pb", "per", "new",
        "newmbank",
        "plat", "loan", "trader", "stock", "dev", "gp", "pro", "vip", "im", "us", "pluto",
        "activity", "ccd", "mall", "ugc", "gov", "tax", "its", "eg", "jd", "ss", "p1",
    }
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class NameForm:
    """One registry name in every form the matchers compare."""

    raw: str
    basic: str
    stripped: str
    short: bool
    latin: bool
    pinyin: str  # full pinyin, "" for non-Chinese names
    initials: str


@dataclass(frozen=True, slots=True)
class BrandEntry:
    brand: Brand
    names: tuple[NameForm, ...]
    tokens: tuple[str, ...]  # ASCII tokens: registry tokens, package segments, domain labels
    domain_labels: tuple[str, ...]  # first label of each official registrable domain

    @property
    def id(self) -> str:
        return self.brand.id


def _name(raw: str) -> NameForm:
    b = nz.basic(raw)
    full, initials = nz.pinyin(raw)
    return NameForm(
        raw=raw,
        basic=b,
        stripped=nz.stripped(raw),
        short=nz.is_short(raw),
        latin=not nz.is_cjk(b),
        pinyin=full,
        initials=initials,
    )


def _tokens(brand: Brand) -> tuple[str, ...]:
    found: list[str] = [t.lower() for t in brand.tokens]
    for package in [*brand.packages, *brand.bundle_ids]:
        for seg in package.lower().split("."):
            if seg not in GENERIC_SEGMENTS and len(seg) >= 4 and seg.isalnum():
                found.append(seg)
    for domain in brand.domains:
        label = domain.lower().split(".")[0]
        if len(label) >= 4 and not label.isdigit():
            found.append(label)
    return tuple(dict.fromkeys(t for t in found if t))


def _entry(brand: Brand) -> BrandEntry:
    return BrandEntry(
        brand=brand,
        names=tuple(_name(n) for n in brand.names if nz.basic(n)),
        tokens=_tokens(brand),
        domain_labels=tuple(d.lower().split(".")[0] for d in brand.domains),
    )


_CACHE: dict[str, tuple[BrandEntry, ...]] = {}
_CACHE_MAX = 8


def brand_index(registry: BrandRegistry) -> tuple[BrandEntry, ...]:
    """Entries for every brand, cached by the registry's content."""
    key = hashlib.sha256(registry.model_dump_json().encode()).hexdigest()
    found = _CACHE.get(key)
    if found is None:
        if len(_CACHE) >= _CACHE_MAX:
            _CACHE.pop(next(iter(_CACHE)))
        found = _CACHE[key] = tuple(_entry(b) for b in registry.brands.values())
    return found
