"""Whole-table listings: every string of a configuration, the name -> id index.

These walk whole offset tables (one bulk read each) rather than entry by entry, and stop
at fixed caps so a table with millions of entries still costs bounded time and memory.
"""

from __future__ import annotations

from functools import cmp_to_key
from typing import TYPE_CHECKING

from chaincut.extractors.apk.arsc.config import Config
from chaincut.extractors.apk.arsc.entries import EntryError, TypeChunk, read_entry
from chaincut.extractors.apk.arsc.matching import DEVICE, better, device_for, is_locale, matches
from chaincut.extractors.apk.arsc.model import Package
from chaincut.extractors.apk.arsc.values import TYPE_STRING, ResValue

if TYPE_CHECKING:
    from chaincut.extractors.apk.arsc.table import ResourceTable

MAX_STRINGS = 20_000
MAX_NAMES = 200_000


def _chunks(table: ResourceTable, type_name: str) -> list[tuple[Package, TypeChunk]]:
    return [
        (pkg, chunk)
        for pkg in table.packages
        for type_id in pkg.type_ids(type_name)
        for chunk in pkg.types[type_id]
    ]


def name_index(table: ResourceTable, type_name: str) -> dict[str, int]:
    """name -> resource id for one type; the first package defining a name wins.

    Keys are the same in every configuration of an entry, so the fullest chunks are read
    first and each entry index is decoded once; the walk stops when all are named.
    """
    out: dict[str, int] = {}
    buf = table.buf
    for pkg in table.packages:
        for type_id in pkg.type_ids(type_name):
            chunks = sorted(pkg.types[type_id], key=lambda c: -c.count)
            _name_type(buf, pkg, type_id, chunks, out)
            if len(out) >= MAX_NAMES:
                return out
    return out


def _name_type(
    buf: bytes, pkg: Package, type_id: int, chunks: list[TypeChunk], out: dict[str, int]
) -> None:
    base = (pkg.id << 24) | (type_id << 16)
    done: set[int] = set()
    total = max((c.count for c in chunks), default=0)
    for chunk in chunks:
        if len(done) >= total or len(out) >= MAX_NAMES:
            return
        for index, rel in chunk.present(buf):
            if index in done:
                continue
            try:
                entry = read_entry(buf, chunk, rel)
            except EntryError:
                continue
            done.add(index)
            name = pkg.key_names.get(entry.key)
            if name is not None:
                out.setdefault(name, base | index)


def strings(table: ResourceTable, config: str) -> dict[str, str]:
    """name -> text of every ``string`` resource of one locale (``""``: no locale).

    For a locale qualifier each name gets the value a device with exactly that locale
    would pick among that locale's configurations (``mdpi-v4`` and ``v21`` variants
    included, ``land`` or ``night`` not), with no fallback to other locales: the text was
    written for that locale. Any other qualifier (``night``, ``af-watch``) selects the
    configurations with exactly that qualifier. References are resolved; values Android
    would read as null are left out.
    """
    exact = bool(config) and not is_locale(config)
    device = DEVICE if exact else device_for(config or None)
    out: dict[str, str] = {}
    for pkg in table.packages:
        for type_id in pkg.type_ids("string"):
            _collect(table, pkg, _ranked(pkg.types[type_id], config, device, exact), out)
            if len(out) >= MAX_STRINGS:
                return out
    return out


def _ranked(chunks: list[TypeChunk], config: str, device: Config, exact: bool) -> list[TypeChunk]:
    """The chunks of ``config``, best first for ``device`` (file order breaks ties)."""
    if exact:
        return [c for c in chunks if c.config.qualifier == config]
    eligible = [c for c in chunks if c.config.locale == config and matches(c.config, device)]

    def order(a: TypeChunk, b: TypeChunk) -> int:
        if better(a.config, b.config, device):
            return -1
        return 1 if better(b.config, a.config, device) else 0

    return sorted(eligible, key=cmp_to_key(order))


def _collect(
    table: ResourceTable, pkg: Package, chunks: list[TypeChunk], out: dict[str, str]
) -> None:
    buf = table.buf
    done: set[int] = set()
    for chunk in chunks:
        locale = chunk.config.locale or None
        for index, rel in chunk.present(buf):
            if index in done:
                continue
            done.add(index)
            try:
                entry = read_entry(buf, chunk, rel)
            except EntryError as exc:
                table.reporter.note("arsc_entry_out_of_range", f"string entry: {exc}")
                continue
            name = pkg.key_names.get(entry.key)
            text = _text(table, pkg, entry.value, locale)
            if name is not None and text is not None and name not in out:
                out[name] = text
                if len(out) >= MAX_STRINGS:
                    return


def _text(
    table: ResourceTable, pkg: Package, value: ResValue | None, locale: str | None
) -> str | None:
    if value is None:
        return None
    if value.data_type == TYPE_STRING:
        return table.string_at(value.data)
    if value.is_reference():
        target = value.data if value.data >> 24 else value.data | (pkg.id << 24)
        return table.resolve_string(target, locale)
    return None


def string_locales(table: ResourceTable) -> list[str]:
    """Locale qualifiers (``zh-rCN``, ``b+sr+Latn``) that have string resources, sorted."""
    locales = {c.config.locale for _p, c in _chunks(table, "string")}
    locales.discard("")
    return sorted(locales)
