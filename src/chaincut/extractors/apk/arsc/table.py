"""ResourceTable: look up resources.arsc values the way Android resolves them.

Parsing only indexes chunks; values are decoded on lookup, so reading the label of an
app with a 10 MB table costs a handful of struct reads, not a full decode. The default
configuration is the device ``aapt dump badging`` emulates without a locale; a value
that only exists under a locale is therefore not the default (aapt prints it only as
``application-label-xx``), exactly as a device without that locale would not show it.
"""

from __future__ import annotations

import struct

from chaincut.extractors.apk.arsc import listing
from chaincut.extractors.apk.arsc.config import DENSITY_NONE, Config
from chaincut.extractors.apk.arsc.entries import Entry, EntryError, read_entry
from chaincut.extractors.apk.arsc.matching import better, device_for, matches
from chaincut.extractors.apk.arsc.model import Package
from chaincut.extractors.apk.arsc.parse import Reporter, parse_table
from chaincut.extractors.apk.arsc.values import TYPE_STRING, ResValue, format_scalar
from chaincut.extractors.apk.stringpool import StringPool
from chaincut.extractors.findings import Findings

MAX_DEPTH = 20  # AssetManager2 follows at most 20 references
MAX_FILES = 256
MAX_LOCALES = 512
CACHE_MAX = 4096
UNFORMATTED = frozenset({0x00, 0x02, 0x08})  # @null/@empty and theme attributes: no text
Candidate = tuple[Config, Entry, Package]


class ResourceTable:
    """A parsed table; implements the manifest reader's ResourceResolver protocol."""

    def __init__(
        self, buf: bytes, pool: StringPool, packages: list[Package], findings: Findings
    ) -> None:
        self._buf = buf
        self.pool = pool
        self.packages = packages
        self._rep = Reporter(findings)
        self._groups: dict[int, list[Package]] = {}
        for pkg in packages:
            self._groups.setdefault(pkg.id, []).append(pkg)
        self._aliases = {k: v for pkg in packages for k, v in pkg.aliases.items()}
        self._names: dict[str, dict[str, int]] = {}
        self._cache: dict[int, list[Candidate]] = {}

    @classmethod
    def parse(cls, buf: bytes, findings: Findings) -> ResourceTable:
        """Index ``buf``; never raises on bad input (what is unreadable is reported)."""
        try:
            pool, packages = parse_table(buf, findings)
        except (struct.error, ValueError, IndexError, OverflowError) as exc:  # pragma: no cover
            findings.error(f"resources.arsc could not be indexed: {type(exc).__name__}")
            pool, packages = StringPool.empty(findings), []
        return cls(buf, pool, packages, findings)

    # -- lookups ---------------------------------------------------------------------

    def _group(self, res_id: int) -> list[Package]:
        pid = (res_id >> 24) & 0xFF
        group = self._groups.get(pid)
        if group is None and pid == 0 and self.packages:
            return self._groups[self.packages[0].id]  # shared-library build: 0x00 is "us"
        return group or []

    def _candidates(self, res_id: int) -> list[Candidate]:
        """Every (config, entry, package) defining ``res_id``, in file order (cached)."""
        found = self._cache.get(res_id)
        if found is None:
            if len(self._cache) >= CACHE_MAX:
                self._cache.clear()
            found = self._cache[res_id] = self._find(res_id)
        return found

    def _find(self, res_id: int) -> list[Candidate]:
        type_id, index = (res_id >> 16) & 0xFF, res_id & 0xFFFF
        out: list[Candidate] = []
        buf = self._buf
        for pkg in self._group(res_id):
            for chunk in pkg.types.get(type_id, ()):
                rel = chunk.entry_offset(buf, index)
                if rel is None:
                    continue
                try:
                    out.append((chunk.config, read_entry(buf, chunk, rel), pkg))
                except EntryError as exc:
                    self._rep.note("arsc_entry_out_of_range", f"0x{res_id:08x}: {exc}")
        return out

    def values(self, res_id: int) -> list[tuple[str, ResValue]]:
        """Every (config qualifier, value) of a resource id ("" = default); bags left out."""
        return [(c.qualifier, e.value) for c, e, _p in self._candidates(res_id) if e.value]

    def name_of(self, res_id: int) -> str | None:
        """``type/name`` of a resource id, e.g. ``string/app_name``."""
        for _config, entry, pkg in self._candidates(res_id):
            type_name = pkg.type_name((res_id >> 16) & 0xFF)
            key = self._key(pkg, entry.key)
            if type_name is not None and key is not None:
                return f"{type_name}/{key}"
        return None

    def id_of(self, type_name: str, name: str) -> int | None:
        """The id of ``type_name/name`` (first package that defines it), or None."""
        index = self._names.get(type_name)
        if index is None:
            index = self._names[type_name] = listing.name_index(self, type_name)
        return index.get(name)

    def _key(self, pkg: Package, key: int) -> str | None:
        name = pkg.key_names.get(key)
        if name is None and not 0 <= key < pkg.key_names.count:
            self._rep.note("arsc_string_index_out_of_range", f"key {key} in {pkg.name}")
        return name

    def string_at(self, index: int) -> str | None:
        """Global pool string ``index``; None (reported) when the pool has no such string."""
        text = self.pool.get(index)
        if text is None and not 0 <= index < self.pool.count:
            self._rep.note("arsc_string_index_out_of_range", f"string {index}")
        return text

    # -- resolution ------------------------------------------------------------------

    def _best(self, res_id: int, device: Config) -> Candidate | None:
        """The candidate Android would choose for ``device`` (first one wins ties)."""
        best: Candidate | None = None
        for cand in self._candidates(res_id):
            if matches(cand[0], device) and (best is None or better(cand[0], best[0], device)):
                best = cand
        return best

    def _target(self, value: ResValue, pkg: Package) -> int:
        """The id a reference points at: staged aliases and 0x00 (own package) mapped."""
        ref = self._aliases.get(value.data, value.data)
        if ref >> 24 == 0:
            ref |= pkg.id << 24
        return ref

    def resolve_value(self, res_id: int, config: str | None = None) -> ResValue | None:
        """The final, non-reference value for a device with locale ``config`` (None: none)."""
        device = device_for(config)
        seen: set[int] = set()
        current = res_id
        for _ in range(MAX_DEPTH):
            if current in seen:
                self._rep.note("arsc_reference_loop", f"0x{res_id:08x} loops at 0x{current:08x}")
                return None
            seen.add(current)
            best = self._best(current, device)
            if best is None or best[1].value is None:
                return None
            value = best[1].value
            if not value.is_reference():
                return value
            current = self._target(value, best[2])
        self._rep.note("arsc_reference_loop", f"0x{res_id:08x}: more than {MAX_DEPTH} links")
        return None

    def resolve_string(self, res_id: int, config: str | None = None) -> str | None:
        """The text a device with locale ``config`` (default: none) shows for ``res_id``.

        Strings come from the global pool (an unreadable one is None, as Android's NULL);
        numbers, booleans and colours are formatted as aapt prints them.
        """
        value = self.resolve_value(res_id, config)
        if value is None or value.data_type in UNFORMATTED:
            return None
        if value.data_type == TYPE_STRING:
            return self.string_at(value.data)
        return format_scalar(value.data_type, value.data)

    def locales_of(self, res_id: int) -> list[str]:
        """Locale qualifiers with a value for ``res_id`` or anything it references."""
        found: set[str] = set()
        todo: list[int] = [res_id]
        seen: set[int] = set()
        while todo and len(seen) < MAX_DEPTH * 4:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            for config, entry, pkg in self._candidates(current):
                if config.locale and len(found) < MAX_LOCALES:
                    found.add(config.locale)
                if entry.value is not None and entry.value.is_reference():
                    todo.append(self._target(entry.value, pkg))
        return sorted(found)

    def localized_strings(self, res_id: int) -> dict[str, str]:
        """{"default": ..., "zh-rCN": ..., ...} for a string resource such as the label.

        "default" is absent when no locale-free value exists (aapt then prints no
        ``application-label:`` line); each locale maps to what that device would show.
        """
        out: dict[str, str] = {}
        default = self.resolve_string(res_id)
        if default is not None:
            out["default"] = default
        for locale in self.locales_of(res_id):
            text = self.resolve_string(res_id, locale)
            if text is not None:
                out[locale] = text
        return out

    def files_of(self, res_id: int) -> list[tuple[str, str, int | None]]:
        """(qualifier, path in the APK, density) of a file resource, references followed."""
        out: list[tuple[str, str, int | None]] = []
        todo: list[int] = [res_id]
        seen: set[int] = set()
        while todo and len(seen) < MAX_DEPTH * 4 and len(out) < MAX_FILES:
            current = todo.pop(0)
            if current in seen:
                continue
            seen.add(current)
            for config, entry, pkg in self._candidates(current):
                value = entry.value
                if value is None:
                    continue
                if value.is_reference():
                    todo.append(self._target(value, pkg))
                elif value.data_type == TYPE_STRING:
                    path = self.string_at(value.data)
                    if path:
                        density = config.density if config.density != DENSITY_NONE else None
                        out.append((config.qualifier, path, density or None))
        return out

    # -- listings --------------------------------------------------------------------

    def strings(self, config: str = "") -> dict[str, str]:
        """All string resources (name -> text) defined in configuration ``config``."""
        return listing.strings(self, config)

    def string_locales(self) -> list[str]:
        """Qualifiers of string configurations that carry a locale (``zh-rCN``, ...)."""
        return listing.string_locales(self)

    @property
    def buf(self) -> bytes:
        return self._buf

    @property
    def reporter(self) -> Reporter:
        return self._rep
