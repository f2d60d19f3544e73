"""Anomaly codes of the resources.arsc reader."""

CODES: dict[str, str] = {
    "arsc_bad_header": "the table header is not RES_TABLE_TYPE or its sizes are invalid",
    "arsc_chunk_overrun": "a chunk's size field is invalid or runs past its parent",
    "arsc_junk_chunk": "a chunk of unknown type inside the table (skipped by size)",
    "arsc_no_string_pool": "the table has no global string pool",
    "arsc_extra_string_pool": "more than one global string pool in the table (the first is used)",
    "arsc_package_count_mismatch": "the header's package count differs from the packages found",
    "arsc_duplicate_package": "two package chunks share one id (the first is used)",
    "arsc_too_many_packages": "more package chunks than a table can sensibly hold (rest ignored)",
    "arsc_bad_package": "a package header is too short or its string pools are missing",
    "arsc_bad_type": "a type chunk has an invalid id, header or entry table (chunk skipped)",
    "arsc_bad_config_size": "a configuration's size field is impossible (too small or too big)",
    "arsc_bad_type_spec": "a type spec chunk has an invalid id or entry count",
    "arsc_too_many_types": "more type chunks than the reader keeps (rest ignored)",
    "arsc_entry_count_clamped": "a type chunk claims more entries than it can hold",
    "arsc_entry_out_of_range": "an entry offset or value points outside its type chunk",
    "arsc_string_index_out_of_range": "a string value or key names a string the pool lacks",
    "arsc_bad_library": "a library chunk is truncated or claims too many entries",
    "arsc_bad_staged_alias": "a staged-alias chunk is truncated or claims too many entries",
    "arsc_reference_loop": "a resource reference chain loops or is too deep",
}
