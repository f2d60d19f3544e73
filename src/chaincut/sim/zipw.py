"""A small deterministic ZIP writer with zipalign-style alignment of stored entries.

zipfile stamps the clock and cannot align data; Android wants ``resources.arsc`` and native
libraries stored and 4-byte (libraries: 4 KiB) aligned, so the simulator writes ZIPs itself:
fixed DOS time, no data descriptors, every header field known.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

DOS_TIME, DOS_DATE = 0, (2020 - 1980) << 9 | 1 << 5 | 1  # 2020-01-01 00:00
ALIGN_EXTRA_ID = 0xD935  # the extra field zipalign -p / apksigner use for padding


@dataclass(frozen=True)
class ZipItem:
    """One entry: its name, its bytes, and whether to store it (and on what boundary)."""

    name: str
    data: bytes
    stored: bool = False
    align: int = 4


def _deflate(data: bytes) -> bytes:
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    return comp.compress(data) + comp.flush()


def _align_extra(offset: int, name_len: int, align: int) -> bytes:
    """A padding extra field so the entry's data starts on ``align``."""
    start = offset + 30 + name_len + 6
    pad = -start % align
    return struct.pack("<HHH", ALIGN_EXTRA_ID, 2 + pad, align) + b"\0" * pad


def write_zip(items: Sequence[ZipItem], comment: bytes = b"") -> bytes:
    """The archive holding ``items`` in order (names must be unique)."""
    out = bytearray()
    central = bytearray()
    for item in items:
        name = item.name.encode("utf-8")
        crc = zlib.crc32(item.data)
        body = item.data if item.stored else _deflate(item.data)
        method = 0 if item.stored else 8
        extra = _align_extra(len(out), len(name), item.align) if item.stored else b""
        flags = 0x0800 if any(b > 0x7F for b in name) else 0
        fixed = struct.pack(
            "<HHHHHIIIH", 20, flags, method, DOS_TIME, DOS_DATE, crc, len(body),
            len(item.data), len(name),
        )  # fmt: skip
        central += b"PK\x01\x02" + struct.pack("<H", 20) + fixed + struct.pack("<H", 0)
        central += struct.pack("<HHHII", 0, 0, 0, 0, len(out)) + name
        out += b"PK\x03\x04" + fixed + struct.pack("<H", len(extra)) + name + extra + body
    cd_offset = len(out)
    out += central
    out += b"PK\x05\x06" + struct.pack(
        "<HHHHIIH", 0, 0, len(items), len(items), len(central), cd_offset, len(comment)
    )
    return bytes(out + comment)
