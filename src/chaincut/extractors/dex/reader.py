"""DexFile: the tables of one DEX file, read lazily and bounded.

Parsing checks the header and map and unpacks the string offsets; everything else
(strings, type descriptors, classes, method references) is decoded on first use and
cached. A facts pass decodes only the descriptors of defined classes, of framework
classes whose methods are called, and those methods' names; indicator scans run over
the raw string bytes (:meth:`DexFile.scan_bytes`), so nothing decodes tens of
thousands of strings it will not show.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator

from chaincut.extractors.dex.api import api_names, framework_methods, framework_type_runs
from chaincut.extractors.dex.header import DexHeader, read_header
from chaincut.extractors.dex.maplist import check_map
from chaincut.extractors.dex.strings import StringTable, u32_column
from chaincut.extractors.dex.tables import (
    NO_INDEX,
    ClassDef,
    class_def_rows,
    class_type_indices,
    java_name,
    method_columns,
)
from chaincut.extractors.findings import Findings

MAX_PACKAGES = 2000
MAX_API_REFS = 5000


class DexFile:
    """One parsed DEX file. Build it with :meth:`parse`, which never raises on bad input."""

    def __init__(
        self, buf: bytes, findings: Findings, name: str, *, verify_signature: bool = True
    ) -> None:
        self.buf = buf
        self.name = name
        self.findings = findings
        self.header: DexHeader | None = read_header(
            buf, findings, name, verify_signature=verify_signature
        )
        offsets = array("I")
        if self.header is not None:
            check_map(buf, self.header, findings, name)
            offsets = u32_column(buf, self.header.strings)
        self._strings = StringTable(buf, offsets, findings, name)
        self._types: list[str] | None = None
        self._type_string_ids: list[int] | None = None

    @classmethod
    def parse(
        cls,
        buf: bytes | bytearray | memoryview,
        findings: Findings,
        *,
        name: str = "classes.dex",
        verify_signature: bool = True,
    ) -> DexFile:
        """Read ``buf`` as a DEX; oddities become anomalies in ``findings``."""
        data = buf if isinstance(buf, bytes) else bytes(buf)
        return cls(data, findings, name, verify_signature=verify_signature)

    # -- strings -----------------------------------------------------------------------

    @property
    def string_count(self) -> int:
        return len(self._strings)

    def strings(self) -> list[str]:
        """Every string, MUTF-8 decoded, in id order (decoded once, then cached)."""
        return self._strings.all()

    def string(self, index: int) -> str | None:
        """String ``index``, or None when it is out of range."""
        return self._strings.get(index)

    def string_offsets(self) -> list[int]:
        """File offset of each string's data item (its ULEB128 length), in id order."""
        return self._strings.offsets.tolist()

    def raw_string_data(self) -> memoryview:
        """The byte span of the string data, for byte-level scans without decoding."""
        return self._strings.span()

    def scan_bytes(self, limit: int | None = None) -> bytes:
        """The string data with length bytes set to NUL: each string alone, for regexes."""
        return self._strings.scan_bytes(limit)

    # -- types and classes -------------------------------------------------------------

    def _type_ids(self) -> list[int]:
        """String index of each type descriptor (cached)."""
        if self._type_string_ids is None:
            header = self.header
            self._type_string_ids = (
                [] if header is None else u32_column(self.buf, header.types).tolist()
            )
        return self._type_string_ids

    def types(self) -> list[str]:
        """Every type descriptor (``Lcom/example/Foo;``, ``[I``...), in type id order."""
        if self._types is None:
            self._types = self._strings.many(self._type_ids())
        return self._types

    def type_descriptor(self, type_index: int) -> str | None:
        ids = self._type_ids()
        if not 0 <= type_index < len(ids):
            return None
        if self._types is not None:
            return self._types[type_index]
        return self._strings.get(ids[type_index])

    def _descriptors(self, type_indices: list[int]) -> list[str]:
        """Descriptors of some types in one decoding pass ('' for a bad index)."""
        ids = self._type_ids()
        count = len(ids)
        return self._strings.many([ids[t] if t < count else -1 for t in type_indices])

    def class_defs(self) -> list[ClassDef]:
        """Every class definition with its superclass, flags and source file name."""
        if self.header is None:
            return []
        out = []
        for row in class_def_rows(self.buf, self.header.classes):
            cls, flags, sup, _ifaces, source = row[:5]
            out.append(
                ClassDef(
                    descriptor=self.type_descriptor(cls) or "",
                    superclass=None if sup == NO_INDEX else self.type_descriptor(sup),
                    access_flags=flags,
                    source_file=None if source == NO_INDEX else self.string(source),
                )
            )
        return out

    def _class_descriptors(self) -> list[str]:
        if self.header is None:
            return []
        return self._descriptors(class_type_indices(self.buf, self.header.classes).tolist())

    def class_names(self) -> list[str]:
        """Java names (``com.example.Foo``) of the classes this file defines."""
        names = map(java_name, self._class_descriptors())
        return [n for n in names if n is not None]

    def packages(self, limit: int = MAX_PACKAGES) -> list[str]:
        """Distinct Java packages of defined classes, sorted; the default package is left out."""
        found = {
            d[1 : d.rfind("/")] for d in self._class_descriptors() if d[:1] == "L" and "/" in d
        }
        found.discard("")
        if len(found) > limit:
            self.findings.anomaly(
                "dex_count_capped", f"packages: {len(found)}, kept {limit}", entry=self.name
            )
        return sorted(p.replace("/", ".") for p in found)[:limit]

    # -- method references -------------------------------------------------------------

    def method_refs(self) -> Iterator[tuple[str, str]]:
        """(class descriptor, method name) of every method id, in id order."""
        if self.header is None:
            return
        types, strings = self.types(), self.strings()
        nt, ns = len(types), len(strings)
        for cls, name in zip(*method_columns(self.buf, self.header.methods), strict=True):
            yield (types[cls] if cls < nt else ""), (strings[name] if name < ns else "")

    def api_refs(self, limit: int = MAX_API_REFS) -> list[str]:
        """Framework methods referenced, as ``android.telephony.SmsManager.sendTextMessage``.

        Framework means android., java., javax., dalvik. and com.android. (not androidx,
        which ships inside the app). Sorted; at most ``limit``. See ``api.py``.
        """
        if self.header is None:
            return []
        ids = self._type_ids()
        runs = framework_type_runs(ids, self._strings)
        by_class = framework_methods(runs, *method_columns(self.buf, self.header.methods))
        refs = api_names(by_class, ids, self._strings)
        if len(refs) > limit:
            self.findings.anomaly(
                "dex_count_capped", f"api refs: {len(refs)}, kept {limit}", entry=self.name
            )
        return refs[:limit]
