"""Anomaly codes of the binary XML (AXML) reader."""

CODES: dict[str, str] = {
    "axml_bad_root_chunk": "first chunk (or root element) is not what Android expects; still parsed",
    "axml_no_string_pool": "no string pool before the first element",
    "axml_junk_chunk": "a chunk of unknown type between XML chunks (skipped by size)",
    "axml_chunk_overrun": "a chunk's size field is invalid or runs past the document",
    "axml_trailing_data": "bytes after the last chunk",
    "axml_odd_attribute_size": "attributeStart/attributeSize differ from the standard 20/20",
    "axml_unbalanced": "end tags do not match start tags",
    "axml_bad_string_index": "an element or attribute names a string the pool does not have",
    "axml_attribute_name_mismatch": "attribute name string disagrees with its resource id",
    "axml_no_resource_map": "attributes carry no resource ids (names only)",
    "axml_too_many_elements": "element count or depth cap reached; the rest is not read",
    "axml_empty": "the document is empty or too short for a chunk header",
}
