"""Default-configuration string resources of an App Bundle's ``resources.pb`` (aapt2 proto).

Only what labels and indicator scans need: for each string entry, its resource id, name and
value in the default configuration. Message layout (aapt2 ``Resources.proto``, checked
against aapt2's own output)::

    ResourceTable { StringPool source_pool = 1; repeated Package package = 2; ... }
    Package       { PackageId package_id = 1 {uint32 id = 1}; string package_name = 2;
                    repeated Type type = 3; }
    Type          { TypeId type_id = 1 {uint32 id = 1}; string name = 2;
                    repeated Entry entry = 3; }
    Entry         { EntryId entry_id = 1 {uint32 id = 1}; string name = 2; ...
                    repeated ConfigValue config_value = 6; }
    ConfigValue   { Configuration config = 1; Value value = 2; }
    Value         { ...; Item item = 4; CompoundValue compound_value = 5; }
    Item          { Reference ref = 1; String str = 2 {string value = 1}; RawString raw_str = 3; }

A default configuration is an empty ``Configuration`` message. Bounded; malformed input
ends the read (the strings found so far stand).
"""

from __future__ import annotations

from chaincut.extractors.apk.bundle.protobuf import ProtoError, fields, message, text
from chaincut.extractors.findings import Findings

MAX_STRINGS = 100_000


def _id(buf: memoryview) -> int:
    for number, _wire, value in fields(buf):
        if number == 1 and isinstance(value, int):
            return value & 0xFFFF
    return 0


def _item_string(value_msg: memoryview) -> str | None:
    for number, _wire, value in fields(value_msg):
        if number != 4:
            continue
        for inner, _w, item in fields(message(value)):
            if inner in (2, 3):
                for n, _w2, s in fields(message(item)):
                    if n == 1:
                        return text(s)
    return None


def _entry(buf: memoryview) -> tuple[int, str, str | None]:
    entry_id, name, found = 0, "", None
    for number, _wire, value in fields(buf):
        if number == 1:
            entry_id = _id(message(value))
        elif number == 2:
            name = text(value)
        elif number == 6 and found is None:
            config = b""
            value_msg: memoryview | None = None
            for n, _w, v in fields(message(value)):
                if n == 1:
                    config = bytes(message(v))
                elif n == 2:
                    value_msg = message(v)
            if not config and value_msg is not None:
                found = _item_string(value_msg)
    return entry_id, name, found


def proto_strings(buf: bytes, findings: Findings, entry: str) -> dict[int, tuple[str, str]]:
    """resource id -> (entry name, default-configuration string)."""
    out: dict[int, tuple[str, str]] = {}
    try:
        for number, _wire, package in fields(buf):
            if number != 2:
                continue
            pkg_id, types = 0, []
            for n, _w, v in fields(message(package)):
                if n == 1:
                    pkg_id = _id(message(v)) & 0xFF
                elif n == 3:
                    types.append(message(v))
            for type_msg in types:
                _type(type_msg, pkg_id, out)
    except ProtoError as exc:
        findings.anomaly("bundle_proto_xml_malformed", f"resources.pb: {exc}", entry=entry)
    return out


def _type(buf: memoryview, pkg_id: int, out: dict[int, tuple[str, str]]) -> None:
    type_id, name, entries = 0, "", []
    for number, _wire, value in fields(buf):
        if number == 1:
            type_id = _id(message(value)) & 0xFF
        elif number == 2:
            name = text(value)
        elif number == 3:
            entries.append(message(value))
    if name != "string":
        return
    for entry_msg in entries:
        if len(out) >= MAX_STRINGS:
            return
        entry_id, entry_name, found = _entry(entry_msg)
        if found is not None:
            out[pkg_id << 24 | type_id << 16 | entry_id] = (entry_name, found)
