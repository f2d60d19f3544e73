"""Anomaly codes of the DEX reader.

ART refuses most of these outright, so their presence means the file was made or
edited by something other than the Android build tools: a packer, an obfuscator, or
a hand that hid a payload.
"""

from __future__ import annotations

CODES: dict[str, str] = {
    "dex_bad_magic": "the file does not start with dex\\n; nothing else is read",
    "dex_unknown_version": "DEX version outside 035-041 (or not three digits and a NUL)",
    "dex_truncated": "the file is shorter than a DEX header",
    "dex_size_mismatch": "header file_size differs from the actual size",
    "dex_bad_header_size": "header_size is not 0x70 (0x78 for version 041)",
    "dex_reverse_endian": "reverse-endian tag (never produced by Android tools); read as little",
    "dex_bad_endian_tag": "endian tag is neither standard nor reversed",
    "dex_link_section": "a link section is present (unused by Android; a hiding place)",
    "dex_bad_map": "the map list is missing, out of bounds or disagrees with the header",
    "dex_data_after_map": "bytes after the data section and map (appended payload)",
    "dex_bad_checksum": "adler32 checksum does not match",
    "dex_bad_signature": "the SHA-1 signature in the header does not match the file",
    "dex_section_out_of_bounds": "a section's offset/size runs past the file; clamped",
    "dex_count_capped": "a table is larger than chaincut reads; the rest is counted only",
    "dex_bad_string": "a string offset or its data is out of bounds, or it has no NUL",
    "dex_string_length_mismatch": "a string's bytes run past what its UTF-16 length allows",
    "dex_string_budget": "overlapping strings would make decoding explode; the rest read as ''",
}
