"""Anomaly codes of the binary XML (AXML) reader."""

CODES: dict[str, str] = {
    "axml_bad_root_chunk": "first chunk or root element is not what Android expects; still parsed",
    "axml_no_string_pool": "no string pool before the first element",
    "axml_extra_string_pool": "several string pools or resource maps; the last wins, as on Android",
    "axml_junk_chunk": "a chunk of unknown type between XML chunks (skipped by size)",
    "axml_chunk_overrun": "a chunk's size field is invalid or runs past the document",
    "axml_misaligned_chunk": "chunk or header size not a multiple of 4 (Android refuses it)",
    "axml_bad_node_header": "an XML node header is shorter than 16 bytes (Android refuses it)",
    "axml_resync": "after an unframeable chunk, reading resumed at the next element chunk",
    "axml_trailing_data": "bytes after the last chunk",
    "axml_odd_attribute_size": "attributeStart/attributeSize differ from the standard 20/20",
    "axml_unbalanced": "end tags do not match start tags",
    "axml_bad_string_index": "an element or attribute names a string the pool does not have",
    "axml_attribute_name_mismatch": "attribute name string disagrees with its resource id",
    "axml_raw_value_mismatch": "raw and typed string values differ (Android reads the typed one)",
    "axml_no_resource_map": "attributes carry no resource ids (names only)",
    "axml_resource_map_short": "the resource map has fewer ids than the pool has attribute names",
    "axml_too_many_elements": "element, depth or attribute cap reached; the rest is not read",
    "axml_truncated": "the document ends inside a chunk or before its elements are closed",
    "axml_empty": "the document is empty or too short for a chunk header",
}
