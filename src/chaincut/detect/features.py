"""Typed features with locations: what rules match on (capa style).

A facts document becomes a flat set of ``Feature(kind, value, location)``; the
``FeatureSet`` indexes them by kind and value so a rule statement costs a dictionary
lookup (or one pass over the values of one kind for a regex), whatever the app's size.
Recognised builders, packers and SDKs are features too, so rules can name them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType

from chaincut.facts.models import FactsDocument, Location
from chaincut.knowledge.kb import KnowledgeBase
from chaincut.result.models import Component

Value = str | int | bool
MAX_LOCATIONS = 4  # locations kept per (kind, value)
# what an absent kind has: one shared read-only empty table, not a new dict per question
# (rules ask for kinds an artifact lacks tens of times per artifact)
_NO_VALUES: Mapping[Value, list[Location | None]] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Feature:
    kind: str
    value: Value
    location: Location | None = None


class FeatureSet:
    """Features indexed by kind, then value; each value keeps a few locations.

    Location lists are never changed in place (a new location replaces the list), so the
    values added together by ``add_many`` share one list: a DEX's API references cost no
    list each, which is most of the allocations (and garbage-collector passes) of a scan.
    """

    __slots__ = ("_index", "components")

    def __init__(self, features: Iterable[Feature] = (), components: Iterable[Component] = ()):
        self._index: dict[str, dict[Value, list[Location | None]]] = {}
        self.components: tuple[Component, ...] = tuple(components)
        for f in features:
            self.add(f.kind, f.value, f.location)

    def add(self, kind: str, value: Value, location: Location | None = None) -> None:
        """Record a feature (building phase only; matching never adds)."""
        values = self._index.setdefault(kind, {})
        where = values.get(value)
        if where is None:
            values[value] = [location]
        elif len(where) < MAX_LOCATIONS and location not in where:
            values[value] = [*where, location]

    def add_many(self, kind: str, values: Iterable[Value], location: Location | None) -> None:
        """Record many values of one kind seen at one place (DEX API refs, packages)."""
        index = self._index.setdefault(kind, {})
        shared = [location]
        if not index:  # the usual first (often only) DEX
            index.update(dict.fromkeys(values, shared))
            return
        for value in values:
            where = index.get(value)
            if where is None:
                index[value] = shared
            elif len(where) < MAX_LOCATIONS and location not in where:
                index[value] = [*where, location]

    def values(self, kind: str) -> Mapping[Value, list[Location | None]]:
        """Distinct values of ``kind`` and where each was seen (empty when absent)."""
        return self._index.get(kind, _NO_VALUES)

    def has(self, kind: str, value: Value) -> bool:
        return value in self._index.get(kind, _NO_VALUES)

    def count(self, kind: str) -> int:
        """Distinct values of ``kind``."""
        return len(self._index.get(kind, _NO_VALUES))

    @property
    def kinds(self) -> frozenset[str]:
        return frozenset(self._index)

    @property
    def counts(self) -> dict[str, int]:
        """Distinct values per kind (for reports and the ``count(...)`` statement)."""
        return {k: len(v) for k, v in self._index.items()}

    def __iter__(self) -> Iterator[Feature]:
        for kind, values in self._index.items():
            for value, locations in values.items():
                for loc in locations:
                    yield Feature(kind, value, loc)

    def __len__(self) -> int:
        """Distinct (kind, value) pairs; iteration yields one Feature per location."""
        return sum(len(v) for v in self._index.values())


def extract_features(
    doc: FactsDocument, kb: KnowledgeBase, *, now: datetime | None = None
) -> FeatureSet:
    """Every feature of one facts document; ``now`` is the scan time (certificate age)."""
    from chaincut.detect.components import recognise_into
    from chaincut.detect.features_apk import apk_features
    from chaincut.detect.features_other import common_features, ios_features, web_features

    fs = FeatureSet()
    common_features(doc, kb, fs)
    if doc.apk is not None:
        apk_features(doc.apk, fs, now=now)
    elif doc.dex is not None:
        from chaincut.detect.features_apk import dex_features

        dex_features([doc.dex], fs)
    ios_features(doc, fs)
    web_features(doc, fs)
    recognise_into(doc, kb, fs)
    return fs
