"""The registry, precomputed for matching: normalised names, pinyin, ASCII tokens.

Built once per registry (cached by content, and by identity for the registry object just
seen) so judging a document never re-normalises the registry's names; whatever a matcher
derives from the whole index (search patterns, its memo of labels) is kept on the index
object itself, so it lives and dies with the registry it was built from.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TypeVar, cast

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
    words: tuple[str, ...]  # ASCII words of the raw name
    cjk: bool  # whether the stripped form holds Chinese


@dataclass(frozen=True, slots=True)
class OfficialId:
    """An official package or bundle id, lower-cased and as a confusable skeleton."""

    raw: str
    low: str
    skeleton: str


@dataclass(frozen=True, slots=True)
class BrandEntry:
    brand: Brand
    names: tuple[NameForm, ...]
    tokens: tuple[str, ...]  # ASCII tokens: registry tokens, package segments, domain labels
    domain_labels: tuple[str, ...]  # first label of each official registrable domain
    officials: tuple[OfficialId, ...] = ()  # packages then bundle ids, in registry order
    domains: frozenset[str] = frozenset()  # official domains, lower-case

    @property
    def id(self) -> str:
        return self.brand.id


T = TypeVar("T")


@dataclass(frozen=True, slots=True, eq=False)
class BrandIndex:
    """Every brand's entry, in registry order, plus what matchers derive from them once."""

    entries: tuple[BrandEntry, ...]
    owned: frozenset[str]  # every official package and bundle id, as registered
    _derived: dict[str, object] = field(default_factory=dict)

    def __iter__(self) -> Iterator[BrandEntry]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def derived(self, key: str, build: Callable[[], T]) -> T:
        """``build()`` once per index: a matcher's precomputation (or memo) under ``key``."""
        found = self._derived.get(key)
        if found is None:
            found = self._derived[key] = build()
        return cast(T, found)


def in_registry_order(index: BrandIndex, ids: Iterable[str]) -> list[BrandEntry]:
    """The entries of the brands ``ids``, in registry order: a walk over the few brands a
    matcher's lookup named instead of a membership test for every brand of the index."""
    where = index.derived("positions", lambda: {e.id: i for i, e in enumerate(index)})
    return [index.entries[i] for i in sorted(where[b] for b in ids)]


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
        words=tuple(nz.latin_tokens(raw)),
        cjk=nz.is_cjk(nz.stripped(raw)),
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
        officials=tuple(
            OfficialId(raw=o, low=o.lower(), skeleton=nz.skeleton(o.lower()))
            for o in [*brand.packages, *brand.bundle_ids]
        ),
        domains=frozenset(d.lower() for d in brand.domains),
    )


def _build(registry: BrandRegistry) -> BrandIndex:
    entries = tuple(_entry(b) for b in registry.brands.values())
    owned = frozenset(p for e in entries for p in e.brand.packages + e.brand.bundle_ids)
    return BrandIndex(entries=entries, owned=owned)


_CACHE: dict[str, BrandIndex] = {}
_CACHE_MAX = 8
_LAST: list[tuple[BrandRegistry, BrandIndex]] = []  # the registry object last asked about


def brand_index(registry: BrandRegistry) -> BrandIndex:
    """The index of ``registry``, cached by content; the same (frozen) registry object
    asked again skips hashing its content, which is most of a scan's calls."""
    if _LAST and _LAST[0][0] is registry:
        return _LAST[0][1]
    key = hashlib.sha256(registry.model_dump_json().encode()).hexdigest()
    found = _CACHE.get(key)
    if found is None:
        if len(_CACHE) >= _CACHE_MAX:
            _CACHE.pop(next(iter(_CACHE)))
        found = _CACHE[key] = _build(registry)
    _LAST[:] = [(registry, found)]
    return found
