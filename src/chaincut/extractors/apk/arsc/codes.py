"""Anomaly codes of the resources.arsc reader."""

CODES: dict[str, str] = {
    "arsc_bad_header": "the table header is not RES_TABLE_TYPE or its sizes are invalid",
    "arsc_chunk_overrun": "a chunk's size field is invalid or runs past its parent",
    "arsc_junk_chunk": "a chunk of unknown type inside the table (skipped by size)",
    "arsc_no_string_pool": "the table has no global string pool",
    "arsc_package_count_mismatch": "the header's package count differs from the packages found",
    "arsc_duplicate_package": "two package chunks share one id (the first is used)",
    "arsc_bad_type": "a type chunk has an invalid id, config size or entry table",
    "arsc_entry_out_of_range": "an entry offset points outside its type chunk",
    "arsc_reference_loop": "a resource reference chain loops or is too deep",
}
