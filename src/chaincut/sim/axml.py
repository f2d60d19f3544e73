"""Write Android binary XML (AXML): the simulator's manifests and the tests' malformed ones.

Every field is written explicitly, so tests can also craft what aapt never writes.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from typing import Any

ANDROID_NS = "http://schemas.android.com/apk/res/android"
NO = 0xFFFFFFFF
T_STRING, T_REF, T_DEC, T_HEX, T_BOOL = 0x03, 0x01, 0x10, 0x11, 0x12


def chunk(ctype: int, header: bytes, body: bytes, header_size: int | None = None) -> bytes:
    hsize = 8 + len(header) if header_size is None else header_size
    return struct.pack("<HHI", ctype, hsize, 8 + len(header) + len(body)) + header + body


def string_pool(strings: list[str], *, claimed: int | None = None) -> bytes:
    """A UTF-16 pool; ``claimed`` overrides the string count field (a malware trick)."""
    data = b""
    offsets = []
    for s in strings:
        offsets.append(len(data))
        enc = s.encode("utf-16-le")
        data += struct.pack("<H", len(enc) // 2) + enc + b"\x00\x00"
    data += b"\x00" * (-len(data) % 4)
    count = len(strings) if claimed is None else claimed
    header = struct.pack("<IIIII", count, 0, 0, 28 + 4 * len(strings), 0)
    return chunk(0x0001, header, struct.pack(f"<{len(offsets)}I", *offsets) + data)


def resource_map(ids: list[int]) -> bytes:
    return chunk(0x0180, b"", struct.pack(f"<{len(ids)}I", *ids))


@dataclass
class Doc:
    """Strings are interned in order of first use; attribute names first (resource map)."""

    strings: list[str] = field(default_factory=list)

    def s(self, text: str | None) -> int:
        if text is None:
            return NO
        if text not in self.strings:
            self.strings.append(text)
        return self.strings.index(text)


def attribute(ns: int, name: int, raw: int, vtype: int, data: int) -> bytes:
    return struct.pack("<IIIHBBI", ns, name, raw, 8, 0, vtype, data)


def start(
    ns: int,
    name: int,
    attrs: list[bytes],
    *,
    a_start: int = 20,
    a_size: int = 20,
    count: int | None = None,
    pad: bytes = b"",
) -> bytes:
    n = len(attrs) if count is None else count
    ext = struct.pack("<IIHHHHHH", ns, name, a_start, a_size, n, 0, 0, 0)
    body = ext + pad + b"".join(attrs)
    body += b"\x00" * (-len(body) % 4)
    return chunk(0x0102, struct.pack("<II", 1, NO), body)


def end(ns: int, name: int) -> bytes:
    return chunk(0x0103, struct.pack("<II", 1, NO), struct.pack("<II", ns, name))


def namespace(start_tag: bool, prefix: int, uri: int) -> bytes:
    return chunk(0x0100 if start_tag else 0x0101, struct.pack("<II", 1, NO),
                 struct.pack("<II", prefix, uri))  # fmt: skip


def document(*chunks: bytes, doc_type: int = 0x0003) -> bytes:
    body = b"".join(chunks)
    return struct.pack("<HHI", doc_type, 8, 8 + len(body)) + body


Node = tuple[str, dict[str, Any], list[Any]]  # (tag, {attr: (res_id, type, value)}, children)


def manifest(
    attrs: dict[str, Any] | None = None,
    *,
    children: list[Any] | None = None,
    doc_type: int = 0x0003,
) -> bytes:
    """A manifest from nested (tag, {attr: (res_id, type, value)}, children) tuples.

    res_id 0 means "no resource id" (e.g. ``package``). String values are interned.
    """
    doc = Doc()
    tree: Node = ("manifest", attrs or {}, children or [])
    # attribute names with ids first, so the resource map lines up with them
    ids: list[int] = []

    def collect(node: Node) -> None:
        for key, (res_id, _t, _v) in node[1].items():
            if res_id and key not in doc.strings:
                doc.s(key)
                ids.append(res_id)
        for child in node[2]:
            collect(child)

    collect(tree)
    ns = doc.s(ANDROID_NS)
    prefix = doc.s("android")
    body: list[bytes] = []

    def emit(node: Node) -> None:
        tag, attrs_, kids = node
        encoded = []
        for key, (res_id, vtype, value) in attrs_.items():
            if vtype == T_STRING:
                idx = doc.s(str(value))
                encoded.append(attribute(ns if res_id else NO, doc.s(key), idx, vtype, idx))
            else:
                encoded.append(attribute(ns if res_id else NO, doc.s(key), NO, vtype, int(value)))
        body.append(start(NO, doc.s(tag), encoded))
        for kid in kids:
            emit(kid)
        body.append(end(NO, doc.s(tag)))

    emit(tree)
    return document(
        string_pool(doc.strings),
        resource_map(ids),
        namespace(True, prefix, ns),
        *body,
        namespace(False, prefix, ns),
        doc_type=doc_type,
    )
