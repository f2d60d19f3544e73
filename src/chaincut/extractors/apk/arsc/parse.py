"""Walk the chunks of resources.arsc into an index, decoding nothing eagerly."""

from __future__ import annotations

import struct

from chaincut.extractors.apk import chunks as ck
from chaincut.extractors.apk.arsc import config as cfg
from chaincut.extractors.apk.arsc.model import Package, TypeChunk
from chaincut.extractors.apk.stringpool import StringPool
from chaincut.extractors.findings import Findings

ENTRY = "resources.arsc"
MAX_PACKAGES = 256
MAX_TYPE_CHUNKS = 200_000
PACKAGE_HEADER = struct.Struct("<I256sIIIII")


def note(findings: Findings, code: str, detail: str, offset: int | None = None) -> None:
    findings.anomaly(code, detail, entry=ENTRY, offset=offset)


def parse_table(buf: bytes, findings: Findings) -> tuple[StringPool, dict[int, Package]]:
    """(global string pool, packages by id); whatever could be framed."""
    pool = StringPool.empty(findings)
    packages: dict[int, Package] = {}
    top = ck.read_chunk(buf, 0, len(buf))
    if top is None or top.type != ck.RES_TABLE_TYPE:
        note(findings, "arsc_bad_header", "not a RES_TABLE_TYPE chunk", 0)
        if top is None:
            return pool, packages
    declared = struct.unpack_from("<I", buf, 8)[0] if top.header_size >= 12 else -1
    pos = top.body
    while pos + ck.CHUNK_HEADER.size <= top.end:
        chunk = ck.read_chunk(buf, pos, top.end)
        if chunk is None:
            note(findings, "arsc_chunk_overrun", "table child chunk", pos)
            break
        if chunk.type == ck.RES_STRING_POOL_TYPE and pool.count == 0:
            pool = StringPool.parse(buf, chunk, findings)
        elif chunk.type == ck.RES_TABLE_PACKAGE_TYPE and len(packages) < MAX_PACKAGES:
            pkg = _package(buf, chunk, findings)
            if pkg is not None and pkg.id in packages:
                note(findings, "arsc_duplicate_package", f"id 0x{pkg.id:02x}", chunk.offset)
            elif pkg is not None:
                packages[pkg.id] = pkg
        elif chunk.type != ck.RES_STRING_POOL_TYPE:
            note(findings, "arsc_junk_chunk", f"type 0x{chunk.type:04x}", chunk.offset)
        pos = chunk.end
    if pool.count == 0:
        note(findings, "arsc_no_string_pool", "")
    if declared >= 0 and declared != len(packages):
        note(findings, "arsc_package_count_mismatch", f"{declared} declared, {len(packages)} read")
    return pool, packages


def _package(buf: bytes, chunk: ck.Chunk, findings: Findings) -> Package | None:
    if chunk.offset + 8 + PACKAGE_HEADER.size > chunk.end:
        note(findings, "arsc_chunk_overrun", "package header", chunk.offset)
        return None
    pid, raw_name, type_strings, _lpt, key_strings, _lpk, type_off = PACKAGE_HEADER.unpack_from(
        buf, chunk.offset + 8
    )
    if chunk.header_size < 8 + PACKAGE_HEADER.size:
        type_off = 0
    name = raw_name.decode("utf-16-le", "replace").split("\0", 1)[0]
    pkg = Package(
        id=pid,
        name=name,
        type_names=_pool_at(buf, chunk, type_strings, findings),
        key_names=_pool_at(buf, chunk, key_strings, findings),
        type_id_offset=type_off,
    )
    pos, count = chunk.body, 0
    while pos + ck.CHUNK_HEADER.size <= chunk.end:
        child = ck.read_chunk(buf, pos, chunk.end)
        if child is None:
            note(findings, "arsc_chunk_overrun", "package child chunk", pos)
            break
        if child.type == ck.RES_TABLE_TYPE_TYPE and count < MAX_TYPE_CHUNKS:
            count += 1
            _type_chunk(buf, child, pkg, findings)
        pos = child.end
    return pkg


def _pool_at(buf: bytes, pkg: ck.Chunk, rel: int, findings: Findings) -> StringPool:
    chunk = ck.read_chunk(buf, pkg.offset + rel, pkg.end) if rel else None
    if chunk is None or chunk.type != ck.RES_STRING_POOL_TYPE:
        note(findings, "arsc_chunk_overrun", "package string pool missing", pkg.offset)
        return StringPool.empty(findings)
    return StringPool.parse(buf, chunk, findings)


def _type_chunk(buf: bytes, chunk: ck.Chunk, pkg: Package, findings: Findings) -> None:
    if chunk.header_size < 20 or chunk.offset + 24 > chunk.end:
        note(findings, "arsc_bad_type", "type header too short", chunk.offset)
        return
    type_id, flags, _res, count, entries_start = struct.unpack_from("<BBHII", buf, chunk.offset + 8)
    (config_size,) = struct.unpack_from("<I", buf, chunk.offset + 20)
    if type_id == 0 or config_size < 8 or chunk.offset + 20 + config_size > chunk.body:
        note(findings, "arsc_bad_type", f"type {type_id}, config size {config_size}", chunk.offset)
        return
    width = 2 if flags & 0x02 and not flags & 0x01 else 4
    room = (chunk.end - chunk.body) // width
    if count > room or chunk.offset + entries_start > chunk.end:
        note(findings, "arsc_bad_type", f"{count} entries, room for {room}", chunk.offset)
        count = min(count, room)
    pkg.types.setdefault(type_id, []).append(
        TypeChunk(
            config=cfg.decode(buf, chunk.offset + 20, config_size),
            flags=flags,
            count=count,
            index_pos=chunk.body,
            entries_pos=chunk.offset + entries_start,
            end=chunk.end,
        )
    )
