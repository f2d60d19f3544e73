"""DexFile: the tables of one DEX file, read lazily and bounded.

Only the header and the id tables are unpacked on parse; strings are decoded on
demand. Indicator scans run as byte regexes over the string-data span, so a facts
pass never has to decode tens of thousands of strings it will not show.
"""

from __future__ import annotations

import struct
from array import array

from chaincut.extractors.dex import mutf8
from chaincut.extractors.dex.header import DexHeader, Section, check_map, read_header
from chaincut.extractors.findings import Findings

MAX_IDS = 4_000_000
FRAMEWORK = ("Landroid/", "Ljava/", "Ljavax/", "Ldalvik/", "Lcom/android/", "Lorg/apache/http/")


def _u32_table(buf: bytes, section: Section, stride: int = 4) -> array[int]:
    """The first u32 of every ``stride``-byte item of a section, as an array."""
    table = array("I")
    if section.size == 0:
        return table
    raw = memoryview(buf)[section.offset : section.offset + section.size * stride]
    if stride == 4:
        table.frombytes(raw)
    else:
        table.extend(x[0] for x in struct.iter_unpack(f"<I{stride - 4}x", raw))
    return table


class DexFile:
    """One parsed DEX file."""

    def __init__(self, buf: bytes, findings: Findings, name: str) -> None:
        self.buf = buf
        self.name = name
        self.findings = findings
        self.header: DexHeader | None = read_header(buf, findings, name)
        self._string_offsets = array("I")
        self._type_strings = array("I")
        self._cache: dict[int, str] = {}
        if self.header is not None:
            check_map(buf, self.header, findings, name)
            self._string_offsets = self._capped(_u32_table(buf, self.header.strings), "strings")
            self._type_strings = self._capped(_u32_table(buf, self.header.types), "types")

    @classmethod
    def parse(
        cls, buf: bytes | memoryview, findings: Findings, *, name: str = "classes.dex"
    ) -> DexFile:
        return cls(bytes(buf) if isinstance(buf, memoryview) else buf, findings, name)

    def _capped(self, table: array[int], what: str) -> array[int]:
        if len(table) > MAX_IDS:
            self.findings.anomaly("dex_count_capped", f"{what}: {len(table)}", entry=self.name)
            return table[:MAX_IDS]
        return table

    # -- strings -----------------------------------------------------------------------

    @property
    def string_count(self) -> int:
        return len(self._string_offsets)

    def _raw(self, index: int) -> bytes | None:
        buf = self.buf
        pos = self._string_offsets[index]
        if pos >= len(buf):
            return None
        while pos < len(buf) and buf[pos] & 0x80:  # skip the ULEB128 UTF-16 length
            pos += 1
        pos += 1
        end = buf.find(b"\0", pos)
        return buf[pos : end if end >= 0 else len(buf)]

    def string(self, index: int) -> str | None:
        """String ``index`` (MUTF-8 decoded), or None when out of range."""
        cached = self._cache.get(index)
        if cached is not None:
            return cached
        if not 0 <= index < len(self._string_offsets):
            return None
        raw = self._raw(index)
        if raw is None:
            self.findings.anomaly("dex_bad_string", f"string {index}", entry=self.name)
            return None
        text = mutf8.decode_lenient(raw)
        self._cache[index] = text
        return text

    def strings(self) -> list[str]:
        """Every string, decoded (the slow path: tools that need them all)."""
        out = []
        for i in range(len(self._string_offsets)):
            s = self.string(i)
            out.append("" if s is None else s)
        return out

    def raw_string_data(self) -> memoryview:
        """The byte span holding the string data, for byte-level indicator scans."""
        offsets = [
            o
            for o in (self._string_offsets[:1].tolist() + self._string_offsets[-1:].tolist())
            if o < len(self.buf)
        ]
        if not offsets:
            return memoryview(b"")
        start, last = min(offsets), max(offsets)
        end = self.buf.find(b"\0", last + 1)
        return memoryview(self.buf)[start : end if end >= 0 else len(self.buf)]

    # -- types, classes, methods -------------------------------------------------------

    def type_descriptor(self, type_index: int) -> str | None:
        if not 0 <= type_index < len(self._type_strings):
            return None
        return self.string(self._type_strings[type_index])

    def class_names(self) -> list[str]:
        """Java names of the classes this file defines."""
        if self.header is None:
            return []
        out = []
        for type_index in _u32_table(self.buf, self.header.classes, 32):
            desc = self.type_descriptor(type_index)
            if desc and desc.startswith("L") and desc.endswith(";"):
                out.append(desc[1:-1].replace("/", "."))
        return out

    def packages(self, limit: int = 2000) -> list[str]:
        """Distinct Java packages of defined classes, sorted and bounded."""
        found = {name.rsplit(".", 1)[0] if "." in name else "" for name in self.class_names()}
        return sorted(found)[:limit]

    def method_refs(self) -> list[tuple[str, str]]:
        """(class descriptor, method name) of every method id."""
        if self.header is None:
            return []
        sec = self.header.methods
        raw = memoryview(self.buf)[sec.offset : sec.offset + sec.size * 8]
        return [
            (self.type_descriptor(cls) or "?", self.string(name) or "?")
            for cls, _proto, name in struct.iter_unpack("<HHI", raw)
        ]

    def api_refs(self, limit: int = 5000) -> list[str]:
        """Framework methods referenced, as ``android.telephony.SmsManager.sendTextMessage``."""
        if self.header is None:
            return []
        framework: dict[int, str] = {}
        for type_index in range(len(self._type_strings)):
            desc = self.type_descriptor(type_index)
            if desc and desc.startswith(FRAMEWORK) and desc.endswith(";"):
                framework[type_index] = desc[1:-1].replace("/", ".")
        sec = self.header.methods
        raw = memoryview(self.buf)[sec.offset : sec.offset + sec.size * 8]
        seen: dict[str, None] = {}
        for cls, _proto, name in struct.iter_unpack("<HHI", raw):
            owner = framework.get(cls)
            if owner is None:
                continue
            seen.setdefault(f"{owner}.{self.string(name)}", None)
            if len(seen) >= limit:
                self.findings.anomaly("dex_count_capped", f"api refs over {limit}", entry=self.name)
                break
        return list(seen)
