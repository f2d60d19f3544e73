"""XML property lists decoded with expat under hard limits.

Why not ``plistlib`` alone: it follows no depth or object budget, and expat would expand
entities declared in a DOCTYPE internal subset (the "billion laughs" trick). Apple's
own plists carry only the public DOCTYPE, so any entity declaration is refused outright.
"""

from __future__ import annotations

import base64
import binascii
import re
from datetime import UTC, datetime
from xml.parsers import expat

from chaincut.extractors.plist.model import Limits, PlistError, PlistValue

_SCALARS = frozenset({"string", "integer", "real", "date", "data", "key"})
_DATE = re.compile(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)Z?$")


class _Builder:
    """Expat callbacks building the value tree; raises PlistError on a broken limit."""

    def __init__(self, limits: Limits, notes: list[tuple[str, str]]) -> None:
        self.limits = limits
        self.notes = notes
        self.stack: list[list[PlistValue] | dict[str, PlistValue]] = []
        self.keys: list[str | None] = []
        self.root: PlistValue = None
        self.have_root = False
        self.text: list[str] = []
        self.count = 0
        self.skip = 0  # depth inside an over-deep subtree being dropped

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        self.text = []
        if self.skip:
            self.skip += tag in ("dict", "array")
            return
        if tag == "plist":
            return
        self.count += 1
        if self.count > self.limits.max_objects:
            raise PlistError("plist_too_many_objects", f"over {self.limits.max_objects} objects")
        if tag in ("dict", "array"):
            if len(self.stack) >= self.limits.max_depth:
                self.notes.append(("plist_too_deep", f"over {self.limits.max_depth} levels"))
                self.skip = 1
                return
            container: list[PlistValue] | dict[str, PlistValue] = {} if tag == "dict" else []
            self.stack.append(container)
            self.keys.append(None)

    def end(self, tag: str) -> None:
        if self.skip:
            self.skip -= tag in ("dict", "array")
            return
        if tag == "plist":
            return
        if tag in ("dict", "array"):
            if not self.stack:
                raise PlistError("plist_invalid", f"unbalanced </{tag}>")
            value: PlistValue = self.stack.pop()
            self.keys.pop()
            self._add(value)
        elif tag == "key":
            if not self.stack or not isinstance(self.stack[-1], dict):
                raise PlistError("plist_invalid", "<key> outside a dictionary")
            self.keys[-1] = "".join(self.text)
        elif tag in _SCALARS or tag in ("true", "false"):
            self._add(self._scalar(tag, "".join(self.text)))
        else:
            raise PlistError("plist_invalid", f"unknown element <{tag[:40]}>")
        self.text = []

    def chars(self, data: str) -> None:
        self.text.append(data)

    def _add(self, value: PlistValue) -> None:
        if not self.stack:
            if self.have_root:
                raise PlistError("plist_invalid", "more than one root value")
            self.root, self.have_root = value, True
            return
        top = self.stack[-1]
        if isinstance(top, list):
            top.append(value)
            return
        key = self.keys[-1]
        if key is None:
            self.notes.append(("plist_non_string_key", "a value without a <key>"))
            return
        if key in top:
            self.notes.append(("plist_duplicate_key", key[:80]))
        top[key] = value
        self.keys[-1] = None

    def _scalar(self, tag: str, text: str) -> PlistValue:
        if tag == "true" or tag == "false":
            return tag == "true"
        if tag == "string":
            return text
        try:
            return _convert(tag, text.strip())
        except (ValueError, binascii.Error):
            self.notes.append(("plist_bad_value", f"<{tag}> {text.strip()[:40]!r}"))
            return text


def _convert(tag: str, text: str) -> PlistValue:
    if tag == "integer":
        return int(text, 16) if text.lower().startswith(("0x", "-0x")) else int(text)
    if tag == "real":
        return float(text)
    if tag == "data":
        return base64.b64decode("".join(text.split()), validate=True)
    m = _DATE.match(text)
    if not m:
        raise ValueError(text)
    year, month, day, hour, minute, second = (int(g) for g in m.groups())
    when = datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    return when.isoformat().replace("+00:00", "Z")


def _refuse_entities(*_: object) -> None:
    raise PlistError("plist_entity", "the XML declares an entity")


def parse_xml(data: bytes, limits: Limits, notes: list[tuple[str, str]]) -> PlistValue:
    """Decode an XML plist; anomalies that do not stop decoding go to ``notes``."""
    builder = _Builder(limits, notes)
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.EntityDeclHandler = _refuse_entities
    parser.UnparsedEntityDeclHandler = _refuse_entities
    parser.ExternalEntityRefHandler = lambda *_: False
    parser.StartElementHandler = builder.start
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.chars
    parser.buffer_text = True
    try:
        parser.Parse(data, True)
    except (expat.ExpatError, LookupError, ValueError) as exc:  # LookupError: bogus encoding=
        raise PlistError("plist_invalid", f"XML: {exc}") from None
    except RecursionError:
        raise PlistError("plist_too_deep", "XML nesting exhausted the stack") from None
    if not builder.have_root:
        raise PlistError("plist_invalid", "no value in the plist")
    return builder.root
