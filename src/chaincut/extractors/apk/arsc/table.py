"""ResourceTable: look up resources.arsc values the way Android resolves them.

Parsing only indexes chunks; values are decoded on lookup, so reading the label of an
app with a 10 MB table costs a handful of struct reads, not a full decode.
"""

from __future__ import annotations

import struct

from chaincut.extractors.apk.arsc.config import Config
from chaincut.extractors.apk.arsc.model import (
    ENTRY_COMPACT,
    ENTRY_COMPLEX,
    TYPE_STRING,
    Package,
    ResValue,
    TypeChunk,
)
from chaincut.extractors.apk.arsc.parse import ENTRY, parse_table
from chaincut.extractors.apk.stringpool import StringPool
from chaincut.extractors.findings import Findings

MAX_DEPTH = 16
MAX_STRINGS = 20_000
FORMATS = {0x10: "{:d}", 0x11: "0x{:08x}"}


def _preference(config: Config) -> tuple[bool, bool, bool, str]:
    """Order in which a device with no locale set would pick a configuration."""
    return (bool(config.locale), config.other, config.density not in (0, 160), config.qualifier)


class ResourceTable:
    """A parsed table; implements the manifest reader's ResourceResolver protocol."""

    def __init__(
        self, buf: bytes, pool: StringPool, packages: dict[int, Package], findings: Findings
    ) -> None:
        self._buf = buf
        self.pool = pool
        self.packages = packages
        self._findings = findings

    @classmethod
    def parse(cls, buf: bytes, findings: Findings) -> ResourceTable:
        pool, packages = parse_table(buf, findings)
        return cls(buf, pool, packages, findings)

    # -- lookups ---------------------------------------------------------------------

    def _package(self, res_id: int) -> Package | None:
        pid = res_id >> 24
        if pid == 0 and self.packages:  # dynamic reference to the app's own package
            return next(iter(self.packages.values()))
        return self.packages.get(pid)

    def _entry(self, chunk: TypeChunk, index: int) -> tuple[int, ResValue | None] | None:
        """(key index, value) of entry ``index``; value None for bags (styles, arrays)."""
        buf = self._buf
        pos = chunk.entry_offset(buf, index)
        if pos is None:
            return None
        if pos + 8 > chunk.end or pos < chunk.entries_pos:
            self._findings.anomaly("arsc_entry_out_of_range", f"entry {index}", entry=ENTRY)
            return None
        size, flags, key = struct.unpack_from("<HHI", buf, pos)
        if flags & ENTRY_COMPACT:
            return size, ResValue(flags >> 8, key)
        if flags & ENTRY_COMPLEX:
            return key, None
        if pos + size + 8 > chunk.end:
            self._findings.anomaly("arsc_entry_out_of_range", f"value of {index}", entry=ENTRY)
            return None
        _vsize, _res0, dtype, data = struct.unpack_from("<HBBI", buf, pos + size)
        return key, ResValue(dtype, data)

    def values(self, res_id: int) -> list[tuple[Config, ResValue]]:
        """Every (configuration, value) of a resource id, bags left out."""
        pkg = self._package(res_id)
        if pkg is None:
            return []
        out = []
        for chunk in pkg.types.get((res_id >> 16) & 0xFF, []):
            found = self._entry(chunk, res_id & 0xFFFF)
            if found is not None and found[1] is not None:
                out.append((chunk.config, found[1]))
        return out

    def name_of(self, res_id: int) -> str | None:
        pkg = self._package(res_id)
        if pkg is None:
            return None
        type_name = pkg.type_name((res_id >> 16) & 0xFF)
        for chunk in pkg.types.get((res_id >> 16) & 0xFF, []):
            found = self._entry(chunk, res_id & 0xFFFF)
            if found is not None:
                return f"{type_name}/{pkg.key_names.get(found[0])}"
        return None

    def id_of(self, type_name: str, name: str) -> int | None:
        for pkg in self.packages.values():
            for type_id, chunks in pkg.types.items():
                if pkg.type_name(type_id) != type_name:
                    continue
                for chunk in chunks:
                    for index in range(chunk.count):
                        found = self._entry(chunk, index)
                        if found and pkg.key_names.get(found[0]) == name:
                            return (pkg.id << 24) | (type_id << 16) | index
        return None

    # -- resolution ------------------------------------------------------------------

    def _text(self, value: ResValue, locale: str | None, depth: int) -> str | None:
        if value.data_type == TYPE_STRING:
            return self.pool.get(value.data)
        if value.is_reference():
            if depth >= MAX_DEPTH:
                self._findings.anomaly("arsc_reference_loop", f"at 0x{value.data:08x}", entry=ENTRY)
                return None
            return self.resolve_string(value.data, locale, _depth=depth + 1)
        fmt = FORMATS.get(value.data_type)
        if fmt is not None:
            return fmt.format(value.data)
        if value.data_type == 0x12:
            return "true" if value.data else "false"
        return None

    def _pick(self, res_id: int, locale: str | None) -> ResValue | None:
        candidates = self.values(res_id)
        if not candidates:
            return None
        if locale:
            exact = [(c, v) for c, v in candidates if c.locale == locale]
            if exact:
                return min(exact, key=lambda cv: _preference(cv[0])[1:])[1]
        return min(candidates, key=lambda cv: _preference(cv[0]))[1]

    def resolve_string(
        self, res_id: int, locale: str | None = None, *, _depth: int = 0
    ) -> str | None:
        """The string a device with ``locale`` (default: none) would show for ``res_id``."""
        value = self._pick(res_id, locale)
        return None if value is None else self._text(value, locale, _depth)

    def localized_strings(self, res_id: int) -> dict[str, str]:
        """{"default": ..., "zh-rCN": ..., ...} for a string resource such as the label."""
        out: dict[str, str] = {}
        default = self.resolve_string(res_id)
        if default is not None:
            out["default"] = default
        for config, _value in self.values(res_id):
            if config.locale and config.locale not in out:
                text = self.resolve_string(res_id, config.locale)
                if text is not None:
                    out[config.locale] = text
        return out

    def files_of(self, res_id: int, _depth: int = 0) -> list[tuple[str, str, int | None]]:
        """(qualifier, path in the APK, density) of a file resource, references followed."""
        out: list[tuple[str, str, int | None]] = []
        for config, value in self.values(res_id):
            if value.data_type == TYPE_STRING:
                path = self.pool.get(value.data)
                if path:
                    out.append((config.qualifier, path, config.density or None))
            elif value.is_reference() and _depth < MAX_DEPTH:
                out.extend(self.files_of(value.data, _depth + 1))
        return out

    def _string_chunks(self) -> list[tuple[Package, TypeChunk]]:
        out = []
        for pkg in self.packages.values():
            for type_id, chunks in pkg.types.items():
                if pkg.type_name(type_id) == "string":
                    out.extend((pkg, c) for c in chunks)
        return out

    def strings(self, config: str = "") -> dict[str, str]:
        """All string resources (name -> text) of one configuration qualifier."""
        out: dict[str, str] = {}
        for pkg, chunk in self._string_chunks():
            if chunk.config.qualifier != config:
                continue
            for index in range(chunk.count):
                found = self._entry(chunk, index)
                if found is None or found[1] is None or found[1].data_type != TYPE_STRING:
                    continue
                name = pkg.key_names.get(found[0])
                text = self.pool.get(found[1].data)
                if name and text is not None:
                    out.setdefault(name, text)
                if len(out) >= MAX_STRINGS:
                    return out
        return out

    def string_locales(self) -> list[str]:
        """Qualifiers of string configurations that carry a locale."""
        return sorted({c.config.qualifier for _p, c in self._string_chunks() if c.config.locale})
