"""A tolerant decoder of Android binary XML (AXML), the format of AndroidManifest.xml.

Android's ResXMLTree accepts documents that strict tools reject, and malware relies on
that: a wrong root chunk type, junk chunks between nodes, odd attribute sizes, a string
pool whose count lies. Each of those is read the way Android reads it and reported.
"""

from __future__ import annotations

import struct
from array import array

from chaincut.extractors.apk import chunks as ck
from chaincut.extractors.apk.axml.attrs import NAMES
from chaincut.extractors.apk.axml.model import TYPE_STRING, XmlAttribute, XmlElement
from chaincut.extractors.apk.stringpool import StringPool
from chaincut.extractors.findings import Findings

MAX_ELEMENTS = 50_000
MAX_DEPTH = 64
MAX_ATTRIBUTES = 256
NO_INDEX = 0xFFFFFFFF
START_EXT = struct.Struct("<IIHHHHHH")
ATTR = struct.Struct("<IIIHBBI")


class _Parser:
    def __init__(self, buf: bytes, findings: Findings, entry: str) -> None:
        self.buf, self.findings, self.entry = buf, findings, entry
        self.pool = StringPool.empty(findings)
        self.resmap = array("I")
        self.stack: list[XmlElement] = []
        self.root: XmlElement | None = None
        self.count = 0
        self.warned_ids = False

    def note(self, code: str, detail: str, offset: int | None = None) -> None:
        self.findings.anomaly(code, detail, entry=self.entry, offset=offset)

    def string(self, index: int, what: str) -> str | None:
        if index == NO_INDEX:
            return None
        value = self.pool.get(index)
        if value is None:
            self.note("axml_bad_string_index", f"{what} string #{index}")
        return value

    def run(self) -> XmlElement | None:
        buf, size = self.buf, len(self.buf)
        top = ck.read_chunk(buf, 0, size)
        if top is None:
            if size < ck.CHUNK_HEADER.size:
                self.note("axml_empty", f"{size} bytes")
                return None
            self.note("axml_chunk_overrun", "document header size fields are invalid", 0)
            pos, end = ck.CHUNK_HEADER.size, size
        else:
            if top.type != ck.RES_XML_TYPE:
                self.note("axml_bad_root_chunk", f"type 0x{top.type:04x}", 0)
            pos, end = top.body, top.end
            if top.end < size:
                self.note("axml_trailing_data", f"{size - top.end} bytes", top.end)
        self.walk(pos, end)
        if self.stack:
            self.note("axml_unbalanced", f"{len(self.stack)} element(s) never closed")
        return self.root

    def walk(self, pos: int, end: int) -> None:
        while pos + ck.CHUNK_HEADER.size <= end:
            chunk = ck.read_chunk(self.buf, pos, end)
            if chunk is None:
                self.note("axml_chunk_overrun", "chunk size invalid; rest of document unread", pos)
                return
            if not self.node(chunk):
                return
            pos = chunk.end

    def node(self, chunk: ck.Chunk) -> bool:
        """Handle one chunk; False stops the walk (element cap reached)."""
        t = chunk.type
        if t == ck.RES_STRING_POOL_TYPE:
            if self.pool.count == 0:
                self.pool = StringPool.parse(self.buf, chunk, self.findings)
        elif t == ck.RES_XML_RESOURCE_MAP_TYPE:
            n = (chunk.size - chunk.header_size) // 4
            self.resmap = array("I", struct.unpack_from(f"<{n}I", self.buf, chunk.body))
        elif t == ck.RES_XML_START_ELEMENT_TYPE:
            return self.start(chunk)
        elif t == ck.RES_XML_END_ELEMENT_TYPE:
            if not self.stack:
                self.note("axml_unbalanced", "end tag without start", chunk.offset)
            else:
                self.stack.pop()
        elif t in (ck.RES_XML_START_NAMESPACE_TYPE, ck.RES_XML_END_NAMESPACE_TYPE,
                   ck.RES_XML_CDATA_TYPE):  # fmt: skip
            pass
        else:
            self.note("axml_junk_chunk", f"type 0x{t:04x}, {chunk.size} bytes", chunk.offset)
        return True

    def start(self, chunk: ck.Chunk) -> bool:
        self.count += 1
        if self.count > MAX_ELEMENTS or len(self.stack) >= MAX_DEPTH:
            self.note("axml_too_many_elements", f"{self.count} elements, depth {len(self.stack)}")
            return False
        ext = chunk.offset + 16 if chunk.header_size < 16 else chunk.body
        if ext + START_EXT.size > chunk.end:
            self.note("axml_chunk_overrun", "start element too short", chunk.offset)
            return True
        ns, name_idx, a_start, a_size, a_count, *_ = START_EXT.unpack_from(self.buf, ext)
        if (a_start, a_size) != (20, 20):
            self.note("axml_odd_attribute_size", f"start {a_start}, size {a_size}", chunk.offset)
        attrs = self.attributes(ext + a_start, max(a_size, ATTR.size), a_count, chunk.end)
        element = XmlElement(
            name=self.string(name_idx, "element name") or "",
            namespace_uri=self.string(ns, "namespace"),
            attributes=attrs,
            offset=chunk.offset,
        )
        if self.stack:
            self.stack[-1].children.append(element)
        elif self.root is None:
            self.root = element
        else:
            self.note("axml_unbalanced", "second root element ignored", chunk.offset)
        self.stack.append(element)
        return True

    def attributes(self, pos: int, size: int, count: int, end: int) -> tuple[XmlAttribute, ...]:
        out = []
        room = max(0, (end - pos) // size)
        if count > room:
            self.note("axml_chunk_overrun", f"{count} attributes, room for {room}", pos)
        for i in range(min(count, room, MAX_ATTRIBUTES)):
            out.append(self.attribute(pos + i * size))
        return tuple(out)

    def attribute(self, pos: int) -> XmlAttribute:
        ns, name_idx, raw_idx, _size, _res0, vtype, data = ATTR.unpack_from(self.buf, pos)
        name = self.string(name_idx, "attribute name") or ""
        res_id = self.resmap[name_idx] if name_idx < len(self.resmap) else None
        if res_id is not None and res_id:
            canonical = NAMES.get(res_id)
            if canonical is not None and canonical != name:
                self.note("axml_attribute_name_mismatch", f"{name!r} has id of {canonical!r}", pos)
                name = canonical
        else:
            res_id = None
        raw = self.string(raw_idx, "attribute value")
        if vtype == TYPE_STRING and raw is None:
            raw = self.pool.get(data)
        return XmlAttribute(self.string(ns, "namespace"), name, res_id, vtype, data, raw)


def parse_axml(
    buf: bytes, findings: Findings, *, entry: str = "AndroidManifest.xml"
) -> XmlElement | None:
    """The root element of a binary XML document, or None when nothing could be read."""
    return _Parser(buf, findings, entry).run()
