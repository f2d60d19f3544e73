"""Walk the chunks of resources.arsc into an index, decoding no string eagerly.

Every size field is checked against its parent before it is trusted; what cannot be
framed is reported and skipped by size, so one bad chunk costs only itself. Limits keep
a hostile table (millions of tiny chunks, absurd counts) from costing more than its size.
"""

from __future__ import annotations

import struct

from chaincut.extractors.apk import chunks as ck
from chaincut.extractors.apk.arsc import config as cfg
from chaincut.extractors.apk.arsc.entries import FLAG_OFFSET16, FLAG_SPARSE, MAX_ENTRIES, TypeChunk
from chaincut.extractors.apk.arsc.model import Package
from chaincut.extractors.apk.stringpool import StringPool
from chaincut.extractors.findings import Findings

ENTRY = "resources.arsc"
MAX_PACKAGES = 256
MAX_TYPE_CHUNKS = 200_000
MAX_CHILDREN = 1_000_000  # chunks walked per parent; a table of 8-byte chunks stops here
MAX_LIBRARIES = 256
MAX_ALIASES = 65_536
PACKAGE_HEADER = struct.Struct("<I256sIIIII")
PACKAGE_MIN_HEADER = 284  # ResTable_package without typeIdOffset (older aapt)
TYPE_MIN_HEADER = 24  # ResTable_type up to and including config.size
_TYPE = struct.Struct("<BBHIII")
SKIPPED = frozenset(
    {ck.RES_STRING_POOL_TYPE, ck.RES_TABLE_OVERLAYABLE_TYPE, ck.RES_TABLE_OVERLAYABLE_POLICY_TYPE}
)


class Reporter:
    """Anomalies of one table, all located in resources.arsc."""

    __slots__ = ("findings",)

    def __init__(self, findings: Findings) -> None:
        self.findings = findings

    def note(self, code: str, detail: str, offset: int | None = None) -> None:
        self.findings.anomaly(code, detail, entry=ENTRY, offset=offset)


def parse_table(buf: bytes, findings: Findings) -> tuple[StringPool, list[Package]]:
    """(global string pool, packages in file order); whatever could be framed."""
    rep = Reporter(findings)
    pool: StringPool | None = None
    packages: list[Package] = []
    top = ck.read_chunk(buf, 0, len(buf))
    if top is None or top.type != ck.RES_TABLE_TYPE or top.header_size < 12:
        rep.note("arsc_bad_header", "not a RES_TABLE_TYPE chunk with a valid size", 0)
        if top is None or top.header_size > len(buf):
            return StringPool.empty(findings), packages
    declared = struct.unpack_from("<I", buf, 8)[0] if top.header_size >= 12 else -1
    if top.end < len(buf):
        rep.note("arsc_chunk_overrun", f"{len(buf) - top.end} bytes after the table", top.end)
    for chunk in _children(buf, top, rep, "table"):
        if chunk.type == ck.RES_STRING_POOL_TYPE:
            if pool is None:
                pool = StringPool.parse(buf, chunk, findings)
            else:
                rep.note("arsc_extra_string_pool", "", chunk.offset)
        elif chunk.type == ck.RES_TABLE_PACKAGE_TYPE:
            if len(packages) >= MAX_PACKAGES:
                rep.note("arsc_too_many_packages", f"more than {MAX_PACKAGES}", chunk.offset)
                break
            pkg = _package(buf, chunk, rep)
            if pkg is not None:
                packages.append(pkg)
        else:
            rep.note("arsc_junk_chunk", f"type 0x{chunk.type:04x} in the table", chunk.offset)
    if pool is None:
        rep.note("arsc_no_string_pool", "")
    if declared >= 0 and declared != len(packages):
        rep.note("arsc_package_count_mismatch", f"{declared} declared, {len(packages)} read")
    _check_duplicates(packages, rep)
    return pool or StringPool.empty(findings), packages


def _children(buf: bytes, parent: ck.Chunk, rep: Reporter, what: str) -> list[ck.Chunk]:
    """The framed child chunks of ``parent``, stopping at the first that cannot be framed."""
    out: list[ck.Chunk] = []
    pos = parent.body
    while pos + ck.CHUNK_HEADER.size <= parent.end and len(out) < MAX_CHILDREN:
        chunk = ck.read_chunk(buf, pos, parent.end)
        if chunk is None:
            rep.note("arsc_chunk_overrun", f"{what} child chunk", pos)
            break
        out.append(chunk)
        pos = chunk.end
    return out


def _check_duplicates(packages: list[Package], rep: Reporter) -> None:
    seen: set[int] = set()
    for pkg in packages:
        if pkg.id in seen:
            rep.note("arsc_duplicate_package", f"id 0x{pkg.id:02x} ({pkg.name})", pkg.offset)
        seen.add(pkg.id)


def _package(buf: bytes, chunk: ck.Chunk, rep: Reporter) -> Package | None:
    if chunk.header_size < PACKAGE_MIN_HEADER:
        rep.note("arsc_bad_package", f"header size {chunk.header_size}", chunk.offset)
        return None
    head = bytes(buf[chunk.offset + 8 : chunk.offset + 8 + PACKAGE_HEADER.size])
    fields = PACKAGE_HEADER.unpack(head.ljust(PACKAGE_HEADER.size, b"\0"))
    pid, raw_name, type_strings, _last_type, key_strings, _last_key, type_off = fields
    if chunk.header_size < 8 + PACKAGE_HEADER.size:
        type_off = 0
    pkg = Package(
        id=pid & 0xFF,
        name=raw_name.decode("utf-16-le", "replace").split("\0", 1)[0],
        type_names=_pool_at(buf, chunk, type_strings, rep, "type"),
        key_names=_pool_at(buf, chunk, key_strings, rep, "key"),
        offset=chunk.offset,
        type_id_offset=type_off if type_off < 0xFF else 0,
    )
    if pid > 0xFF:
        rep.note("arsc_bad_package", f"package id 0x{pid:x} does not fit a byte", chunk.offset)
    _walk_package(buf, chunk, pkg, rep)
    return pkg


def _walk_package(buf: bytes, chunk: ck.Chunk, pkg: Package, rep: Reporter) -> None:
    """The package's children; type chunks (the many) are read without Chunk objects."""
    pos, end, budget, walked = chunk.body, chunk.end, MAX_TYPE_CHUNKS, 0
    header = ck.CHUNK_HEADER.unpack_from
    while pos + 8 <= end and walked < MAX_CHILDREN:
        ctype, header_size, size = header(buf, pos)
        if header_size < 8 or size < header_size or pos + size > end:
            rep.note("arsc_chunk_overrun", "package child chunk", pos)
            return
        walked += 1
        if ctype == ck.RES_TABLE_TYPE_TYPE:
            budget -= 1
            if budget < 0:
                rep.note("arsc_too_many_types", f"more than {MAX_TYPE_CHUNKS}", pos)
                return
            _type_chunk(buf, pos, header_size, size, pkg, rep)
        elif ctype == ck.RES_TABLE_TYPE_SPEC_TYPE:
            _type_spec(buf, ck.Chunk(ctype, header_size, size, pos), pkg, rep)
        elif ctype == ck.RES_TABLE_LIBRARY_TYPE:
            _library(buf, ck.Chunk(ctype, header_size, size, pos), pkg, rep)
        elif ctype == ck.RES_TABLE_STAGED_ALIAS_TYPE:
            _aliases(buf, ck.Chunk(ctype, header_size, size, pos), pkg, rep)
        elif ctype not in SKIPPED:
            rep.note("arsc_junk_chunk", f"type 0x{ctype:04x} in a package", pos)
        pos += size


def _pool_at(buf: bytes, pkg: ck.Chunk, rel: int, rep: Reporter, what: str) -> StringPool:
    chunk = ck.read_chunk(buf, pkg.offset + rel, pkg.end) if rel else None
    if chunk is None or chunk.type != ck.RES_STRING_POOL_TYPE:
        rep.note("arsc_bad_package", f"{what} string pool missing at +{rel}", pkg.offset)
        return StringPool.empty(rep.findings)
    return StringPool.parse(buf, chunk, rep.findings)


def _type_spec(buf: bytes, chunk: ck.Chunk, pkg: Package, rep: Reporter) -> None:
    if chunk.header_size < 16:
        rep.note("arsc_bad_type_spec", f"header size {chunk.header_size}", chunk.offset)
        return
    type_id, _res0, _types, count = struct.unpack_from("<BBHI", buf, chunk.offset + 8)
    room = (chunk.end - chunk.body) // 4
    if type_id == 0 or count > room:
        rep.note("arsc_bad_type_spec", f"type {type_id}, {count} entries, room {room}",
                 chunk.offset)  # fmt: skip
        if type_id == 0:
            return
    pkg.spec_counts.setdefault(type_id, min(count, room))


def _type_chunk(
    buf: bytes, pos: int, header_size: int, size: int, pkg: Package, rep: Reporter
) -> None:
    """Index one ResTable_type; checks follow LoadedArsc's VerifyResTableType."""
    if header_size < TYPE_MIN_HEADER:
        rep.note("arsc_bad_type", f"header size {header_size}", pos)
        return
    type_id, flags, _res, count, entries_start, config_size = _TYPE.unpack_from(buf, pos + 8)
    if type_id == 0:
        rep.note("arsc_bad_type", "type id 0", pos)
        return
    if config_size < cfg.CONFIG_MIN or config_size > header_size - 20:
        rep.note("arsc_bad_config_size", f"config size {config_size}", pos)
        config_size = min(config_size, header_size - 20)
    body, end = pos + header_size, pos + size
    entries_pos = pos + entries_start
    if entries_start & 3 or entries_start > size or entries_start < header_size:
        rep.note("arsc_bad_type", f"entries start {entries_start}", pos)
        entries_pos = min(max(entries_pos, body), end)
    width = 4 if flags & FLAG_SPARSE or not flags & FLAG_OFFSET16 else 2
    room = (entries_pos - body) // width
    if count > room or count > MAX_ENTRIES:
        rep.note("arsc_entry_count_clamped", f"type {type_id}: {count} entries, room {room}", pos)
        count = min(count, room, MAX_ENTRIES)
    chunk = TypeChunk(type_id, cfg.raw_config(buf, pos + 20, config_size), flags, count, body,
                      entries_pos, end)  # fmt: skip
    chunks = pkg.types.get(type_id)
    if chunks is None:
        pkg.types[type_id] = [chunk]
    else:
        chunks.append(chunk)


def _library(buf: bytes, chunk: ck.Chunk, pkg: Package, rep: Reporter) -> None:
    if chunk.header_size < 12:
        rep.note("arsc_bad_library", f"header size {chunk.header_size}", chunk.offset)
        return
    (count,) = struct.unpack_from("<I", buf, chunk.offset + 8)
    room = (chunk.end - chunk.body) // 260
    if count > room or count > MAX_LIBRARIES:
        rep.note("arsc_bad_library", f"{count} entries, room for {room}", chunk.offset)
        count = min(count, room, MAX_LIBRARIES)
    for i in range(count):
        pos = chunk.body + 260 * i
        (lib_id,) = struct.unpack_from("<I", buf, pos)
        name = buf[pos + 4 : pos + 260].decode("utf-16-le", "replace").split("\0", 1)[0]
        pkg.libraries.setdefault(lib_id & 0xFF, name)


def _aliases(buf: bytes, chunk: ck.Chunk, pkg: Package, rep: Reporter) -> None:
    if chunk.header_size < 12:
        rep.note("arsc_bad_staged_alias", f"header size {chunk.header_size}", chunk.offset)
        return
    (count,) = struct.unpack_from("<I", buf, chunk.offset + 8)
    room = (chunk.end - chunk.body) // 8
    if count > room or count > MAX_ALIASES:
        rep.note("arsc_bad_staged_alias", f"{count} entries, room for {room}", chunk.offset)
        count = min(count, room, MAX_ALIASES)
    pairs = struct.unpack_from(f"<{2 * count}I", buf, chunk.body)
    for i in range(0, len(pairs), 2):
        pkg.aliases.setdefault(pairs[i], pairs[i + 1])
