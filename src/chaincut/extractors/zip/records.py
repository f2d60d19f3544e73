"""Byte layouts of the ZIP records (APPNOTE 4.3), as precompiled ``struct.Struct`` objects.

Compiled once so the hot loops (one central record and one local header per entry) cost a
single ``unpack_from`` each; nothing here trusts a length field, callers bound-check first.
"""

from __future__ import annotations

import struct

LFH_SIG = b"PK\x03\x04"
CD_SIG = b"PK\x01\x02"
EOCD_SIG = b"PK\x05\x06"
DD_SIG = b"PK\x07\x08"
ZIP64_EOCD_SIG = b"PK\x06\x06"
ZIP64_LOCATOR_SIG = b"PK\x06\x07"
SIGNING_BLOCK_MAGIC = b"APK Sig Block 42"

# sig, disk, cd_disk, records_on_disk, records_total, cd_size, cd_offset, comment_length
EOCD = struct.Struct("<4sHHHHIIH")
# sig, made_by, needed, flags, method, time, date, crc, csize, usize,
# name_len, extra_len, comment_len, disk_start, internal_attr, external_attr, local_offset
CDR = struct.Struct("<4sHHHHHHIIIHHHHHII")
# sig, needed, flags, method, time, date, crc, csize, usize, name_len, extra_len
LFH = struct.Struct("<4sHHHHHIIIHH")
# sig, cd_disk, zip64_eocd_offset, total_disks
ZIP64_LOCATOR = struct.Struct("<4sIQI")
# sig, record_size, made_by, needed, disk, cd_disk, records_on_disk, records_total, cd_size, cd_off
ZIP64_EOCD = struct.Struct("<4sQHHIIQQQQ")
U16 = struct.Struct("<H")
U32 = struct.Struct("<I")
U64 = struct.Struct("<Q")
DD32 = struct.Struct("<III")  # crc, csize, usize
DD64 = struct.Struct("<IQQ")
EXTRA_HEADER = struct.Struct("<HH")

MAX_COMMENT = 0xFFFF
EOCD_SEARCH = MAX_COMMENT + EOCD.size  # libziparchive kMaxEOCDSearch
U32_MAX = 0xFFFFFFFF
U16_MAX = 0xFFFF
ZIP64_EXTRA_ID = 0x0001

STORED = 0
DEFLATED = 8

FLAG_ENCRYPTED = 0x0001
FLAG_DATA_DESCRIPTOR = 0x0008
FLAG_STRONG_ENCRYPTION = 0x0040
FLAG_UTF8 = 0x0800


def zip64_extra(
    extra: bytes, usize: int, csize: int, offset: int | None
) -> tuple[int, int, int | None] | None:
    """Real (uncompressed, compressed, local offset) from a ZIP64 extra field (ID 0x0001).

    Only the fields whose 32-bit value is 0xFFFFFFFF are present (APPNOTE 4.5.3); golang
    writes all three, which libziparchive accepts, so a 24/28-byte block is read in full.
    None when the block is missing or too short: the caller keeps the 32-bit values.
    """
    pos, end = 0, len(extra)
    while pos + 4 <= end:
        header_id, size = EXTRA_HEADER.unpack_from(extra, pos)
        pos += 4
        if pos + size > end:
            return None
        if header_id != ZIP64_EXTRA_ID:
            pos += size
            continue
        complete = size in (24, 28)
        values: list[int] = []
        wanted = [usize == U32_MAX, csize == U32_MAX, offset is not None and offset == U32_MAX]
        cursor = pos
        for want in wanted:
            if want or complete:
                if cursor + 8 > pos + size:
                    return None
                values.append(U64.unpack_from(extra, cursor)[0])
                cursor += 8
            else:
                values.append(-1)
        u = values[0] if values[0] >= 0 else usize
        c = values[1] if values[1] >= 0 else csize
        o = values[2] if values[2] >= 0 else offset
        return u, c, o
    return None
