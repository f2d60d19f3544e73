"""aapt2's protobuf XML (an App Bundle's AndroidManifest.xml) as the same element tree the
binary XML parser builds, so one manifest reader serves APKs and bundles alike.

Field numbers are those of aapt2's ``Resources.proto``::

    XmlNode      { XmlElement element = 1; string text = 2; SourcePosition source = 3; }
    XmlElement   { repeated XmlNamespace namespace_declaration = 1; string namespace_uri = 2;
                   string name = 3; repeated XmlAttribute attribute = 4;
                   repeated XmlNode child = 5; }
    XmlAttribute { string namespace_uri = 1; string name = 2; string value = 3;
                   SourcePosition source = 4; uint32 resource_id = 5; Item compiled_item = 6; }
    Item         { Reference ref = 1; String str = 2; RawString raw_str = 3;
                   StyledString styled_str = 4; FileReference file = 5; Id id = 6;
                   Primitive prim = 7; }
    Reference    { Type type = 1; uint32 id = 2; string name = 3; ... }
    String / RawString { string value = 1; }
    Primitive    { NullType null_value = 1; EmptyType empty_value = 2; float float_value = 3;
                   int32 int_decimal_value = 6; uint32 int_hexadecimal_value = 7;
                   bool boolean_value = 8; uint32 color_argb8 = 9; color_rgb8 = 10;
                   color_argb4 = 11; color_rgb4 = 12; uint32 dimension_value = 13;
                   uint32 fraction_value = 14; }

Hostile input: depth and element counts are bounded, and a malformed message ends the
read with an anomaly; the part of the tree read so far is kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from chaincut.extractors.apk.axml import XmlAttribute, XmlElement
from chaincut.extractors.apk.axml import values as V
from chaincut.extractors.apk.bundle.protobuf import ProtoError, fields, message, text
from chaincut.extractors.findings import Findings

MAX_DEPTH = 64
MAX_ELEMENTS = 50_000
MAX_ATTRIBUTES = 200_000

# Primitive field number -> Res_value type
_PRIMITIVE_TYPES = {
    1: V.TYPE_NULL,
    2: V.TYPE_NULL,
    3: V.TYPE_FLOAT,
    6: V.TYPE_INT_DEC,
    7: V.TYPE_INT_HEX,
    8: V.TYPE_INT_BOOLEAN,
    9: V.TYPE_INT_COLOR_ARGB8,
    10: V.TYPE_INT_COLOR_RGB8,
    11: V.TYPE_INT_COLOR_ARGB4,
    12: V.TYPE_INT_COLOR_RGB4,
    13: V.TYPE_DIMENSION,
    14: V.TYPE_FRACTION,
}


class _Budget(Exception):
    """The document exceeds a bound; what was read so far stands."""


@dataclass(slots=True)
class _State:
    elements: int = 0
    attributes: int = 0
    problems: list[str] = field(default_factory=list)


def parse_proto_xml(
    buf: bytes, findings: Findings, *, entry: str = "AndroidManifest.xml"
) -> XmlElement | None:
    """The root element of a proto XmlNode, or None (with an anomaly) when there is none."""
    state = _State()
    try:
        root = _node(memoryview(buf), 0, state)
    except (ProtoError, _Budget) as exc:
        findings.anomaly("bundle_proto_xml_malformed", str(exc), entry=entry)
        return None
    for problem in state.problems[:20]:
        findings.anomaly("bundle_proto_xml_malformed", problem, entry=entry)
    if root is None:
        findings.anomaly("bundle_proto_xml_malformed", "no root element", entry=entry)
    return root


def _node(buf: memoryview, depth: int, state: _State) -> XmlElement | None:
    """An XmlNode's element (text nodes carry nothing a manifest needs)."""
    element: XmlElement | None = None
    for number, _wire, value in fields(buf):
        if number == 1:
            element = _element(message(value), depth, state)
    return element


def _element(buf: memoryview, depth: int, state: _State) -> XmlElement:
    if depth > MAX_DEPTH:
        raise _Budget(f"elements nested deeper than {MAX_DEPTH}")
    state.elements += 1
    if state.elements > MAX_ELEMENTS:
        raise _Budget(f"more than {MAX_ELEMENTS} elements")
    name, namespace = "", None
    attributes: list[XmlAttribute] = []
    children: list[XmlElement] = []
    for number, _wire, value in fields(buf):
        if number == 2:
            namespace = text(value) or None
        elif number == 3:
            name = text(value)
        elif number == 4:
            state.attributes += 1
            if state.attributes > MAX_ATTRIBUTES:
                raise _Budget(f"more than {MAX_ATTRIBUTES} attributes")
            attributes.append(_attribute(message(value), state))
        elif number == 5:
            try:
                child = _node(message(value), depth + 1, state)
            except ProtoError as exc:  # keep the siblings read so far
                state.problems.append(f"<{name}> child: {exc}")
                continue
            if child is not None:
                children.append(child)
    return XmlElement(name, namespace, tuple(attributes), tuple(children), -1)


def _attribute(buf: memoryview, state: _State) -> XmlAttribute:
    namespace: str | None = None
    name = raw = ""
    res_id: int | None = None
    typed: tuple[int, int, str | None] | None = None
    for number, _wire, value in fields(buf):
        if number == 1:
            namespace = text(value) or None
        elif number == 2:
            name = text(value)
        elif number == 3:
            raw = text(value)
        elif number == 5 and isinstance(value, int):
            res_id = value & 0xFFFFFFFF or None
        elif number == 6:
            try:
                typed = _item(message(value))
            except ProtoError as exc:
                state.problems.append(f"attribute {name or '?'}: {exc}")
    if typed is None:
        return XmlAttribute(namespace, name, res_id, V.TYPE_STRING, 0, raw)
    value_type, data, text_value = typed
    return XmlAttribute(namespace, name, res_id, value_type, data, text_value or raw)


def _item(buf: memoryview) -> tuple[int, int, str | None] | None:
    """(Res_value type, data, string) of a compiled Item; None when it holds nothing known."""
    for number, _wire, value in fields(buf):
        if number == 1:
            return V.TYPE_REFERENCE, _reference_id(message(value)), None
        if number in (2, 3, 4):
            return V.TYPE_STRING, 0, _string_value(message(value))
        if number == 7:
            return _primitive(message(value))
    return None


def _reference_id(buf: memoryview) -> int:
    for number, _wire, value in fields(buf):
        if number == 2 and isinstance(value, int):
            return value & 0xFFFFFFFF
    return 0


def _string_value(buf: memoryview) -> str:
    for number, _wire, value in fields(buf):
        if number == 1:
            return text(value)
    return ""


def _primitive(buf: memoryview) -> tuple[int, int, str | None] | None:
    for number, _wire, value in fields(buf):
        value_type = _PRIMITIVE_TYPES.get(number)
        if value_type is None or not isinstance(value, int):
            continue
        if value_type == V.TYPE_INT_BOOLEAN:
            return value_type, 0xFFFFFFFF if value else 0, None
        return value_type, value & 0xFFFFFFFF, None
    return None
