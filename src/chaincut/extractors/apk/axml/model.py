"""The decoded element tree of a binary XML document (immutable once parsed)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from chaincut.extractors.apk.axml import values as V

# Re-exported for callers that only need the common type tags.
TYPE_NULL = V.TYPE_NULL
TYPE_REFERENCE = V.TYPE_REFERENCE
TYPE_STRING = V.TYPE_STRING
TYPE_INT_DEC = V.TYPE_INT_DEC
TYPE_INT_HEX = V.TYPE_INT_HEX
TYPE_INT_BOOLEAN = V.TYPE_INT_BOOLEAN
ANDROID_NS = "http://schemas.android.com/apk/res/android"
TRUE_TEXTS = ("1", "true", "TRUE")  # XmlUtils.convertValueToBoolean


@dataclass(frozen=True, slots=True)
class XmlAttribute:
    """One attribute with its typed value, as Android's ResXMLParser exposes it.

    ``raw`` is the string Android would use: for a TYPE_STRING value of a framework
    attribute that is the pool string the typed value points at (what TypedArray reads);
    for other attributes it is the raw value string (what getAttributeValue reads).
    """

    namespace_uri: str | None
    name: str
    resource_id: int | None
    value_type: int
    data: int
    raw: str | None
    pool_name: str | None = None  # the name string itself, kept only when the id overrode it

    def is_reference(self) -> bool:
        return self.value_type in V.REFERENCE_TYPES and self.data != 0

    def as_str(self) -> str | None:
        """The value as text, formatted as Android's TypedValue.coerceToString would."""
        return V.format_value(self.value_type, self.data, self.raw)

    def as_int(self) -> int | None:
        """Integer value; text holding a number counts too (Android's lenient getInt)."""
        if V.is_int_type(self.value_type):
            return V.signed32(self.data)
        if self.value_type in (V.TYPE_STRING, V.TYPE_NULL) and self.raw is not None:
            return parse_int(self.raw)
        return None

    def as_bool(self) -> bool | None:
        """Boolean as TypedArray.getBoolean reads it; None when unset or a reference."""
        if V.is_int_type(self.value_type):
            return self.data != 0
        if self.value_type in (V.TYPE_STRING, V.TYPE_NULL) and self.raw is not None:
            return self.raw in TRUE_TEXTS
        return None

    @property
    def qualified_name(self) -> str:
        """``android:name`` style, for display."""
        return f"android:{self.name}" if self.namespace_uri == ANDROID_NS else self.name


def parse_int(text: str) -> int | None:
    """Decimal or 0x-hex integer text (XmlUtils.convertValueToInt), else None."""
    s = text.strip()
    negative = s.startswith("-")
    body = s[1:] if negative else s
    try:
        if body[:2] in ("0x", "0X"):
            value = int(body[2:], 16)
        elif body.startswith("#"):
            value = int(body[1:], 16)
        else:
            value = int(body, 10)
    except ValueError:
        return None
    return -value if negative else value


@dataclass(frozen=True, slots=True)
class XmlElement:
    """An element and its subtree; built bottom-up by the parser, then never changed."""

    name: str
    namespace_uri: str | None
    attributes: tuple[XmlAttribute, ...]
    children: tuple[XmlElement, ...]
    offset: int

    def attr(self, res_id: int, name: str | None = None) -> XmlAttribute | None:
        """The attribute with resource id ``res_id`` as Android finds it (by id only).

        ``name`` is a fallback for documents without a resource map: Android would see no
        attribute there, but the name is still the best evidence of what was meant.
        """
        for a in self.attributes:
            if a.resource_id == res_id:
                return a
        if name is not None:
            for a in self.attributes:
                if a.resource_id is None and a.name == name:
                    return a
        return None

    def attr_named(self, name: str, namespace_uri: str | None = None) -> XmlAttribute | None:
        """Lookup by name string and namespace, as XmlPullParser.getAttributeValue does."""
        for a in self.attributes:
            own = a.name if a.pool_name is None else a.pool_name
            if own == name and a.namespace_uri == namespace_uri:
                return a
        return None

    def iter(self, name: str) -> list[XmlElement]:
        """Direct children called ``name``."""
        return [c for c in self.children if c.name == name]

    def find(self, name: str) -> XmlElement | None:
        """The first direct child called ``name``."""
        return next((c for c in self.children if c.name == name), None)

    def walk(self) -> Iterator[XmlElement]:
        """This element and all below it, document order, without recursion."""
        stack: list[XmlElement] = [self]
        while stack:
            el = stack.pop()
            yield el
            stack.extend(reversed(el.children))
