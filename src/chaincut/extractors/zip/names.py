"""Entry-name checks: what libziparchive refuses, and what tricks extractors downstream.

libziparchive (zip_archive.cc, ParseZipArchive -> IsValidEntryName) refuses the WHOLE
archive when any name holds a NUL byte or is not UTF-8 by its own lenient rules (it accepts
overlong forms, surrogates and 5/6-byte sequences, which Python's strict codec rejects), so
the two verdicts are told apart in the anomaly detail.
"""

from __future__ import annotations

from chaincut.extractors.zip.report import Reporter

ANDROID_REFUSES = "libziparchive refuses to open the archive (kInvalidEntryName)"


def android_utf8_ok(raw: bytes) -> bool:
    """libziparchive's IsValidEntryName: NUL-free, structurally UTF-8 (lenient)."""
    i, n = 0, len(raw)
    while i < n:
        byte = raw[i]
        if byte == 0:
            return False
        if byte < 0x80:
            i += 1
            continue
        if (byte & 0xC0) == 0x80 or (byte & 0xFE) == 0xFE:
            return False
        first = (byte & 0x7F) << 1
        while first & 0x80:
            i += 1
            if i >= n or (raw[i] & 0xC0) != 0x80:
                return False
            first = (first & 0x7F) << 1
        i += 1
    return True


def decode_name(raw: bytes, rep: Reporter, offset: int) -> str:
    """The name as Android would compare it (UTF-8, invalid bytes replaced), with anomalies."""
    if raw.isascii():
        name = raw.decode("ascii")
    else:
        try:
            name = raw.decode("utf-8")
        except UnicodeDecodeError:
            name = raw.decode("utf-8", "replace")
            verdict = (
                "libziparchive's lenient check accepts it"
                if android_utf8_ok(raw)
                else ANDROID_REFUSES
            )
            rep.note("invalid_utf8_name", f"{raw!r}: {verdict}", entry=name, offset=offset)
    if not name:
        rep.note(
            "empty_name", "entry with an empty name (unreachable by name lookup)", offset=offset
        )
        return name
    if "\x00" in name:
        rep.note("nul_in_name", f"{raw!r}: {ANDROID_REFUSES}", entry=name, offset=offset)
    reason = traversal(name)
    if reason:
        rep.note(
            "path_traversal_name",
            f"{reason}: escapes the folder of a naive extractor (zip slip)",
            entry=name,
            offset=offset,
        )
    return name


def traversal(name: str) -> str:
    """Why this name could escape an extraction folder, or '' when it cannot."""
    unified = name.replace("\\", "/")
    if ".." in unified and ".." in unified.split("/"):
        return "'..' component"
    if unified.startswith("/"):
        return "absolute path"
    if len(name) > 1 and name[1] == ":" and name[0].isalpha():
        return "drive-letter path"
    if "\\" in name:
        return "backslash separators"
    return ""
