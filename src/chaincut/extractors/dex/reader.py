"""DexFile: the tables of one DEX file, read lazily and bounded.

Parsing checks the header and map and unpacks the string offsets; everything else
(strings, type descriptors, classes, method references) is decoded on first use and
cached. A facts pass decodes only the type descriptors and the names of framework
methods; indicator scans run over the raw string bytes, so nothing decodes tens of
thousands of strings it will not show.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator

from chaincut.extractors.dex.header import DexHeader, read_header
from chaincut.extractors.dex.maplist import check_map
from chaincut.extractors.dex.strings import StringTable, u32_column
from chaincut.extractors.dex.tables import (
    FRAMEWORK,
    NO_INDEX,
    ClassDef,
    class_def_rows,
    class_type_indices,
    framework_methods,
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

    def raw_string_data(self) -> memoryview:
        """The byte span of the string data, for byte-level scans without decoding."""
        return self._strings.span()

    def scan_bytes(self) -> bytes:
        """The string data with length bytes set to NUL: each string alone, for regexes."""
        return self._strings.scan_bytes()

    # -- types and classes -------------------------------------------------------------

    def types(self) -> list[str]:
        """Every type descriptor (``Lcom/example/Foo;``, ``[I``...), in type id order."""
        if self._types is None:
            if self.header is None:
                self._types = []
            else:
                indices = u32_column(self.buf, self.header.types).tolist()
                self._types = self._strings.many(indices)
        return self._types

    def type_descriptor(self, type_index: int) -> str | None:
        types = self.types()
        return types[type_index] if 0 <= type_index < len(types) else None

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

    def class_names(self) -> list[str]:
        """Java names (``com.example.Foo``) of the classes this file defines."""
        if self.header is None:
            return []
        types = self.types()
        count = len(types)
        out = []
        for index in class_type_indices(self.buf, self.header.classes):
            name = java_name(types[index]) if index < count else None
            if name is not None:
                out.append(name)
        return out

    def packages(self, limit: int = MAX_PACKAGES) -> list[str]:
        """Distinct Java packages of defined classes, sorted; the default package is left out."""
        found = {name.rpartition(".")[0] for name in self.class_names()}
        found.discard("")
        if len(found) > limit:
            self.findings.anomaly(
                "dex_count_capped", f"packages: {len(found)}, kept {limit}", entry=self.name
            )
        return sorted(found)[:limit]

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
        which ships inside the app). Sorted; at most ``limit``.
        """
        if self.header is None:
            return []
        owners = {
            i: d[1:-1].replace("/", ".")
            for i, d in enumerate(self.types())
            if d.startswith(FRAMEWORK) and d.endswith(";")
        }
        if not owners:
            return []
        classes, names = method_columns(self.buf, self.header.methods)
        by_owner = framework_methods(owners, classes, names)
        name_ids = sorted(set().union(*by_owner.values()))
        text = dict(zip(name_ids, self._strings.many(name_ids), strict=True))
        refs: list[str] = []
        for cls, ids in by_owner.items():
            prefix = owners[cls] + "."
            refs.extend([prefix + text[name] for name in ids])
        refs.sort()
        if len(refs) > limit:
            self.findings.anomaly(
                "dex_count_capped", f"api refs: {len(refs)}, kept {limit}", entry=self.name
            )
        return refs[:limit]
