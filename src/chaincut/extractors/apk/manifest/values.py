"""Reading attribute values the way PackageParser's TypedArray calls read them.

Android looks framework attributes up by resource id and resolves references through
the resource table; where we have no table (resolver None) a reference stays as its
``@0x7f...`` text, which is still evidence and never confused with a literal.
"""

from __future__ import annotations

from dataclasses import dataclass

from chaincut.extractors.apk.axml import XmlAttribute, XmlElement
from chaincut.extractors.apk.axml import values as V
from chaincut.extractors.apk.axml.attrs import NAMES
from chaincut.extractors.apk.axml.model import parse_int
from chaincut.extractors.apk.resolver import ResourceResolver
from chaincut.extractors.findings import Findings

ENTRY = "AndroidManifest.xml"


@dataclass(slots=True)
class Ctx:
    """What every manifest helper needs: where to report and how to resolve."""

    findings: Findings
    resolver: ResourceResolver | None
    package: str | None = None
    by_name: bool = False  # no resource ids anywhere: fall back to attribute names

    def note(self, code: str, detail: str, offset: int | None = None) -> None:
        self.findings.anomaly(code, detail, entry=ENTRY, offset=offset)

    def attr(self, el: XmlElement | None, res_id: int) -> XmlAttribute | None:
        """By id, as Android finds it; by name only in documents that carry no ids at all
        (Android would see nothing there, but the names still say what was meant)."""
        if el is None:
            return None
        return el.attr(res_id, NAMES.get(res_id) if self.by_name else None)

    def resolve(self, a: XmlAttribute) -> str | None:
        """A reference's default-configuration value, or None (noted) when unknown."""
        value = self.resolver.resolve_string(a.data) if self.resolver is not None else None
        if value is None and self.resolver is not None:
            self.note("manifest_unresolved_reference", f"{a.name}=@0x{a.data:08x}")
        return value

    def text(self, el: XmlElement | None, res_id: int) -> str | None:
        """getNonConfigurationString: literal, coerced number, or resolved reference."""
        a = self.attr(el, res_id)
        if a is None:
            return None
        if a.is_reference():
            resolved = self.resolve(a)
            return resolved if resolved is not None else a.as_str()
        return a.as_str()

    def literal(self, el: XmlElement | None, res_id: int) -> str | None:
        """getNonResourceString: only a literal string counts (permission names, ...)."""
        a = self.attr(el, res_id)
        if a is None:
            return None
        if a.value_type == V.TYPE_STRING or (a.value_type == V.TYPE_NULL and a.raw):
            return a.raw
        self.note("manifest_nonliteral_name", f"<{el.name if el else '?'}> {a.name}={a.as_str()}")
        return None

    def integer(self, el: XmlElement | None, res_id: int) -> int | None:
        """getInt: integers as such, references resolved, numeric text parsed."""
        a = self.attr(el, res_id)
        if a is None:
            return None
        if a.is_reference():
            resolved = self.resolve(a)
            return parse_int(resolved) if resolved is not None else None
        return a.as_int()

    def boolean(self, el: XmlElement | None, res_id: int) -> bool | None:
        """getBoolean: None when absent; references resolved like any other value."""
        a = self.attr(el, res_id)
        if a is None:
            return None
        if a.is_reference():
            resolved = self.resolve(a)
            return None if resolved is None else resolved in ("1", "true", "TRUE")
        return a.as_bool()

    def ref(self, el: XmlElement | None, res_id: int) -> int | None:
        a = self.attr(el, res_id)
        return a.data if a is not None and a.is_reference() else None

    def qualify(self, name: str | None) -> str | None:
        """Class name as PackageParser.buildClassName builds it."""
        if not name:
            return name
        pkg = self.package or ""
        if name.startswith("."):
            return pkg + name
        if "." not in name:
            return f"{pkg}.{name}" if pkg else name
        return name
