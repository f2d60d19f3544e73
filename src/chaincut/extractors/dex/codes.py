"""Anomaly codes of the DEX reader."""

CODES: dict[str, str] = {
    "dex_bad_magic": "the file does not start with a known dex\\nNNN\\0 magic",
    "dex_unknown_version": "DEX version outside 035-041",
    "dex_truncated": "the file is shorter than a DEX header",
    "dex_size_mismatch": "header file_size differs from the actual size",
    "dex_bad_header_size": "header_size is not 0x70",
    "dex_reverse_endian": "reverse-endian tag (never produced by Android tools)",
    "dex_bad_endian_tag": "endian tag is neither standard nor reversed",
    "dex_link_section": "a link section is present (unused by Android; a hiding place)",
    "dex_bad_map": "the map list is missing or out of bounds",
    "dex_data_after_map": "bytes after the data section and map (appended payload)",
    "dex_bad_checksum": "adler32 checksum does not match",
    "dex_section_out_of_bounds": "a section's offset/size runs past the file; clamped",
    "dex_count_capped": "a table is larger than chaincut reads; the rest is counted only",
    "dex_bad_string": "a string offset or its data is out of bounds",
}
