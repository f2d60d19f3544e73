"""A tolerant decoder of Android binary XML (AXML), the format of AndroidManifest.xml.

It follows ResXMLTree::setTo and ResXMLParser::nextNode (libandroidfw) because what the
device reads is the truth about an app, and malware leans on the gap between Android and
strict tools: Android never checks the document chunk's type, uses the *last* string pool
and resource map seen before the first XML node, skips unknown chunks by their size,
places attributes by the element's own attributeStart/attributeSize, and identifies
framework attributes by resource id, never by their (forgeable) name strings. Where
Android itself would refuse a document we still read on, and say so in an anomaly.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

from chaincut.extractors.apk import chunks as ck
from chaincut.extractors.apk.axml import values as V
from chaincut.extractors.apk.axml.attrs import NAMES
from chaincut.extractors.apk.axml.model import ANDROID_NS, XmlAttribute, XmlElement
from chaincut.extractors.apk.axml.scan import Scanner
from chaincut.extractors.apk.stringpool import StringPool
from chaincut.extractors.findings import Findings

MAX_ELEMENTS = 100_000
MAX_DEPTH = 256
MAX_ATTRIBUTES = 1024
MAX_RESOURCE_IDS = 1 << 20
NOTES_PER_CODE = 25  # past this, one summary line per code keeps documents readable
NO_INDEX = 0xFFFFFFFF
NODE_HEADER = 16  # sizeof(ResXMLTree_node): Android's minimum for an XML node header
ATTR_EXT = struct.Struct("<IIHHHHHH")  # ns, name, attributeStart/Size/Count, id/class/style
END_EXT = struct.Struct("<II")
ATTR = struct.Struct("<IIIHBBI")  # ns, name, rawValue, Res_value{size, res0, type, data}
STANDARD_ATTR = (20, 20)


@dataclass(slots=True)
class _Open:
    """An element whose end tag has not been seen yet."""

    name: str
    ns: str | None
    attrs: tuple[XmlAttribute, ...]
    offset: int
    name_index: int
    children: list[XmlElement] = field(default_factory=list)

    def close(self) -> XmlElement:
        return XmlElement(self.name, self.ns, self.attrs, tuple(self.children), self.offset)


class _Parser:
    def __init__(self, buf: bytes, findings: Findings, entry: str) -> None:
        self.buf, self.findings, self.entry = buf, findings, entry
        self.pool = StringPool.empty(findings)
        self.resmap: tuple[int, ...] = ()
        self.stack: list[_Open] = []
        self.root: XmlElement | None = None
        self.count = 0
        self.stopped = False
        self.notes: dict[str, int] = {}
        self.mismatches: set[tuple[str, str]] = set()
        self.nameless = 0
        self.strings: dict[int, str | None] = {}

    # -- reporting -------------------------------------------------------------------

    def note(self, code: str, detail: str, offset: int | None = None) -> None:
        seen = self.notes.get(code, 0)
        self.notes[code] = seen + 1
        if seen < NOTES_PER_CODE:
            self.findings.anomaly(code, detail, entry=self.entry, offset=offset)

    def summarize(self) -> None:
        for code, n in self.notes.items():
            if n > NOTES_PER_CODE:
                self.findings.anomaly(code, f"{n - NOTES_PER_CODE} more", entry=self.entry)

    def string(self, index: int, what: str) -> str | None:
        """String ``index`` of the pool (hot path: cached here, one dict lookup per hit)."""
        try:
            return self.strings[index]
        except KeyError:
            pass
        value = None if index == NO_INDEX else self.pool.get_lenient(index)
        if value is None and index != NO_INDEX and index >= self.pool.count:
            self.note("axml_bad_string_index", f"{what} string #{index} of {self.pool.count}")
        self.strings[index] = value  # an in-range unreadable string: the pool said why
        return value

    # -- document --------------------------------------------------------------------

    def run(self) -> XmlElement | None:
        scanner = Scanner(self.buf, self.note)
        if not scanner.open_document():
            return None
        first_node = self.prelude(scanner)
        if first_node is None:
            self.note("axml_truncated", "no XML element chunk in the document")
            return None
        if self.pool.count == 0:
            self.note("axml_no_string_pool", "no usable string pool before the first node")
        for chunk in scanner.chunks(first_node, min_header=NODE_HEADER):
            self.node(chunk)
            if self.stopped:
                break
        self.finish(scanner)
        return self.root

    def prelude(self, scanner: Scanner) -> int | None:
        """Read pool and resource map up to the first XML node, as ResXMLTree::setTo does."""
        pools = maps = 0
        for chunk in scanner.chunks(scanner.body, min_header=ck.CHUNK_HEADER.size):
            t = chunk.type
            if t == ck.RES_STRING_POOL_TYPE:
                pools += 1
                self.pool = StringPool.parse(self.buf, chunk, self.findings)
            elif t == ck.RES_XML_RESOURCE_MAP_TYPE:
                maps += 1
                self.resmap = self.resource_map(chunk)
            elif ck.RES_XML_START_NAMESPACE_TYPE <= t < ck.RES_XML_RESOURCE_MAP_TYPE:
                if pools > 1 or maps > 1:
                    self.note("axml_extra_string_pool", f"{pools} pools, {maps} resource maps")
                return chunk.offset
            else:
                self.note("axml_junk_chunk", f"type 0x{t:04x}, {chunk.size} bytes", chunk.offset)
        return None

    def resource_map(self, chunk: ck.Chunk) -> tuple[int, ...]:
        n = min((chunk.size - chunk.header_size) // 4, MAX_RESOURCE_IDS)
        return struct.unpack_from(f"<{n}I", self.buf, chunk.body)

    def finish(self, scanner: Scanner) -> None:
        if self.stack:
            self.note("axml_unbalanced", f"{len(self.stack)} element(s) never closed")
            while self.stack:
                self.end()
        if self.nameless:
            detail = f"{self.nameless} attributes have empty names; named by resource id"
            self.note("axml_attribute_name_mismatch", detail)
        if scanner.truncated:
            self.note("axml_truncated", "the document ends inside a chunk")
        self.summarize()

    # -- nodes -----------------------------------------------------------------------

    def node(self, chunk: ck.Chunk) -> None:
        t = chunk.type
        if t == ck.RES_XML_START_ELEMENT_TYPE:
            self.start(chunk)
        elif t == ck.RES_XML_END_ELEMENT_TYPE:
            self.end_tag(chunk)
        elif t not in (
            ck.RES_XML_START_NAMESPACE_TYPE,
            ck.RES_XML_END_NAMESPACE_TYPE,
            ck.RES_XML_CDATA_TYPE,
        ):
            self.note("axml_junk_chunk", f"type 0x{t:04x}, {chunk.size} bytes", chunk.offset)

    def start(self, chunk: ck.Chunk) -> None:
        ext = chunk.body
        if ext + ATTR_EXT.size > chunk.end:
            self.note("axml_chunk_overrun", "start element too short for its header", chunk.offset)
            return
        self.count += 1
        if self.count > MAX_ELEMENTS or len(self.stack) >= MAX_DEPTH:
            self.note("axml_too_many_elements", f"{self.count} elements, depth {len(self.stack)}")
            self.stopped = True
            return
        ns, name_idx, a_start, a_size, a_count, *_ = ATTR_EXT.unpack_from(self.buf, ext)
        if (a_start, a_size) != STANDARD_ATTR:
            self.note("axml_odd_attribute_size", f"start {a_start}, size {a_size}", chunk.offset)
        if a_start + a_size * a_count > chunk.size - chunk.header_size:
            self.note(
                "axml_chunk_overrun", f"{a_count} attributes overrun the element", chunk.offset
            )
        name = self.string(name_idx, "element name")
        element = _Open(
            name=name if name is not None else "",
            ns=self.string(ns, "element namespace"),
            attrs=self.attributes(ext + a_start, a_size, a_count),
            offset=chunk.offset,
            name_index=name_idx,
        )
        if not self.stack and self.root is not None:
            self.note("axml_unbalanced", "second root element ignored", chunk.offset)
            element.offset = -1  # still tracked so its end tag balances, never attached
        self.stack.append(element)

    def end_tag(self, chunk: ck.Chunk) -> None:
        if not self.stack:
            self.note("axml_unbalanced", "end tag without start", chunk.offset)
            return
        if chunk.body + END_EXT.size <= chunk.end:
            _ns, name_idx = END_EXT.unpack_from(self.buf, chunk.body)
            if name_idx != self.stack[-1].name_index:
                self.note(
                    "axml_unbalanced", f"end tag closes <{self.stack[-1].name}>", chunk.offset
                )
        self.end()

    def end(self) -> None:
        """Close the innermost element, whatever the end tag said (Android tracks depth only)."""
        done = self.stack.pop()
        if done.offset < 0:
            return
        element = done.close()
        if self.stack:
            if self.stack[-1].offset >= 0:
                self.stack[-1].children.append(element)
        elif self.root is None:
            self.root = element

    # -- attributes ------------------------------------------------------------------

    def attributes(self, pos: int, size: int, count: int) -> tuple[XmlAttribute, ...]:
        """Attributes at ``pos + size * i``: ResXMLParser's own arithmetic, overlaps included."""
        if count > MAX_ATTRIBUTES:
            self.note("axml_too_many_elements", f"{count} attributes, {MAX_ATTRIBUTES} read", pos)
            count = MAX_ATTRIBUTES
        out = []
        limit = len(self.buf) - ATTR.size
        for i in range(count):
            at = pos + size * i
            if at > limit:
                self.note("axml_chunk_overrun", f"attribute {i} of {count} past the end", at)
                break
            out.append(self.attribute(at))
        return tuple(out)

    def attribute(self, pos: int) -> XmlAttribute:
        ns_idx, name_idx, raw_idx, _size, _res0, vtype, data = ATTR.unpack_from(self.buf, pos)
        ns = self.string(ns_idx, "attribute namespace")
        name = self.string(name_idx, "attribute name")
        res_id = self.resmap[name_idx] if name_idx < len(self.resmap) else 0
        pool_name = None
        if res_id:
            canonical = NAMES.get(res_id)
            if canonical is not None and canonical != name:
                self.mismatch(name, canonical, pos)
                name, pool_name = canonical, name
        elif ns == ANDROID_NS:
            self.missing_id(name)
        raw = self.string(raw_idx, "attribute value")
        if vtype == V.TYPE_STRING and (res_id or raw is None):
            typed = self.string(data, "attribute typed value")
            if raw is not None and typed is not None and typed != raw:
                self.note("axml_raw_value_mismatch", f"{name}: {raw!r} vs {typed!r}", pos)
            raw = typed if typed is not None else raw
        return XmlAttribute(ns, name or "", res_id or None, vtype, data, raw, pool_name)

    def mismatch(self, name: str | None, canonical: str, pos: int) -> None:
        if not name:  # stripped names: one summary at the end, not one line per attribute
            self.nameless += 1
            return
        key = (name, canonical)
        if key not in self.mismatches:
            self.mismatches.add(key)
            self.note("axml_attribute_name_mismatch", f"{name!r} has the id of {canonical!r}", pos)

    def missing_id(self, name: str | None) -> None:
        """An android: attribute without an id is invisible to Android (found by id only)."""
        code = "axml_resource_map_short" if self.resmap else "axml_no_resource_map"
        if code not in self.notes:
            self.note(code, f"android:{name or '?'} has no resource id (map of {len(self.resmap)})")


def parse_axml(
    buf: bytes, findings: Findings, *, entry: str = "AndroidManifest.xml"
) -> XmlElement | None:
    """The root element of a binary XML document, or None when nothing could be read.

    Never raises on bad input; every oddity is an anomaly in ``findings``.
    """
    return _Parser(bytes(buf), findings, entry).run()
