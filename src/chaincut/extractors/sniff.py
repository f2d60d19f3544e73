"""Content sniffing: the kind of an input comes from its bytes, never its extension.

Three Windows executables in the malware corpus are named ``.apk``; fraud kits rename
files freely. These checks are cheap (a few header reads) because they run on every file.
"""

from __future__ import annotations

import struct

EOCD_SIG = b"PK\x05\x06"
LOCAL_SIG = b"PK\x03\x04"
EOCD_SEARCH = 65535 + 22


def is_zip(buf: bytes) -> bool:
    """A local header at the start or an end-of-central-directory record near the end."""
    return buf.startswith(LOCAL_SIG) or buf.rfind(EOCD_SIG, max(0, len(buf) - EOCD_SEARCH)) >= 0


def central_directory(buf: bytes) -> bytes:
    """The raw central directory bytes (empty when they cannot be located).

    Used only to look for telltale entry names cheaply; the real ZIP reader parses it.
    """
    pos = buf.rfind(EOCD_SIG, max(0, len(buf) - EOCD_SEARCH))
    if pos < 0 or pos + 22 > len(buf):
        return b""
    cd_size, cd_offset = struct.unpack_from("<II", buf, pos + 12)
    if cd_offset + cd_size <= pos and buf.startswith(b"PK\x01\x02", cd_offset):
        return buf[cd_offset : cd_offset + cd_size]
    return buf[max(0, pos - cd_size) : pos]  # prefixed data shifted the offsets


def binary_format(buf: bytes) -> str:
    """A short name for well-known non-ZIP formats, for the document's ``format`` field."""
    head = buf[:8]
    if head.startswith(b"dex\n"):
        return "dex"
    if head.startswith(b"MZ"):
        return "pe"
    if head.startswith(b"\x7fELF"):
        return "elf"
    if head[:4] in (b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe"):
        return "macho"
    if head.startswith(b"\x89PNG"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"bplist"):
        return "bplist"
    if is_zip(buf):
        return "zip"
    if not buf:
        return "empty"
    return "unknown"
