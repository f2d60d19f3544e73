"""Anomaly codes of the hardened property-list reader.

Apple's tools write plists one way; anything else (entities, cycles, absurd nesting,
offsets pointing outside the file) was made by hand or by a tool meant to confuse readers.
"""

from __future__ import annotations

CODES: dict[str, str] = {
    "plist_invalid": "the property list does not parse (XML or binary); facts from it are missing",
    "plist_too_large": "the property list is larger than chaincut reads; it was not parsed",
    "plist_too_deep": "containers nest deeper than chaincut follows; the deeper part is dropped",
    "plist_too_many_objects": "more objects than chaincut reads; the rest are dropped",
    "plist_entity": "the XML declares entities (a DOCTYPE internal subset); refused unparsed",
    "plist_bplist_cycle": "a binary plist container refers back to itself; the loop is cut",
    "plist_bplist_bad_offset": "a binary plist offset or object reference points outside the file",
    "plist_bplist_bad_trailer": "the binary plist trailer is inconsistent (sizes, counts, root)",
    "plist_bplist_unknown_type": "a binary plist object has a type marker Apple never writes",
    "plist_non_string_key": "a dictionary key is not a string; the pair is dropped",
    "plist_duplicate_key": "a dictionary repeats a key; the last value is kept, as Apple does",
    "plist_bad_value": "a value (integer, real, date, data) does not decode; it is kept as text",
}
