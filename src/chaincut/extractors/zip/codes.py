"""Anomaly codes of the ZIP reader (each one names a trick or an accident, and how Android
reacts to it is written in the detail of every occurrence)."""

from __future__ import annotations

CODES: dict[str, str] = {
    # end record and central directory
    "multiple_eocd": "more than one end-of-central-directory record; Android uses the last one",
    "zip64": "ZIP64 end record or extra fields in use (unusual for an APK)",
    "trailing_data": "bytes after the end record and its comment; Android refuses the archive",
    "eocd_comment_length_mismatch": "the end record's comment length runs past the end of file",
    "disk_number_nonzero": "multi-disk fields set in the end record (ignored by Android)",
    "entry_count_mismatch": "the end record's entry count differs from the central records found",
    "cd_size_mismatch": "central directory size field differs from the records it holds",
    "cd_offset_mismatch": "central directory not where the end record says (data prepended)",
    "central_directory_corrupt": "a central record is cut or malformed; later records are lost",
    "data_after_central_directory": "bytes between the central directory and the end record",
    "too_many_entries": "more central records than the reader keeps; the rest are ignored",
    "empty_archive": "the end record declares no entries; Android refuses empty archives",
    # entries
    "local_header_mismatch": "a local header disagrees with its central record",
    "bad_local_header": "a central record points at no valid local header",
    "entry_out_of_bounds": "an entry's header or data lies outside the space Android allows",
    "oversized_extra_field": "an extra field far larger than alignment padding needs",
    "data_descriptor_mismatch": "the data descriptor disagrees with the central record",
    "stored_size_mismatch": "a stored entry whose compressed and uncompressed sizes differ",
    "unsupported_compression_method": "compression method other than stored/deflate",
    "fake_encryption_flag": "encryption flag set on data that Android reads as plain",
    # names
    "duplicate_name": "two central records with the same name; Android refuses the archive",
    "empty_name": "an entry with an empty name",
    "path_traversal_name": "an entry name with '..', an absolute path or backslashes",
    "invalid_utf8_name": "an entry name that is not valid UTF-8",
    "nul_in_name": "an entry name containing a NUL byte; Android refuses the archive",
    # layout
    "data_before_first_entry": "bytes before the first local header; Android refuses the archive",
    "data_between_entries": "unreferenced bytes between two entries (hidden payload room)",
    "data_before_central_directory": "unreferenced bytes after the last entry, not a signing block",
    "overlapping_entries": "entries whose header/data ranges overlap (zip bomb or parser trick)",
    "compression_ratio_extreme": "an entry inflating more than 1000 times (zip bomb)",
    # reading
    "crc_mismatch": "entry data does not match its CRC-32 (Android does not check)",
    "uncompressed_size_mismatch": "inflated size differs from the declared uncompressed size",
    "inflate_error": "the deflate stream is corrupt or cut short",
    "truncated_entry": "entry data runs past the end of the file",
    "entry_too_large": "entry larger than the reader's size limit; not inflated",
    "entry_not_found": "no entry with that name",
    # recovery
    "truncated": "no end record: the file is cut short (Android refuses it)",
    "recovered_from_local_headers": "entries rebuilt by scanning local headers (no usable CD)",
}
