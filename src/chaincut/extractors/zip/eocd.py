"""Find the end of central directory record the way libziparchive does, but keep going.

libziparchive (FindCentralDirectoryInfo) reads the last 65535+22 bytes, scans BACKWARDS
for the signature and takes the first hit, i.e. the LAST record in the file; it then
refuses the archive unless that record plus its comment end exactly at end of file, and
unless ``cd_offset + cd_size`` fits before the record. Here every candidate is kept: the
Android one is tried first, the others only when it points at no central directory, and
each rule Android would enforce becomes an anomaly plus an entry in ``refusals``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from chaincut.extractors.zip.records import (
    CD_SIG,
    EOCD,
    EOCD_SEARCH,
    EOCD_SIG,
    U16_MAX,
    U32_MAX,
    ZIP64_EOCD,
    ZIP64_EOCD_SIG,
    ZIP64_LOCATOR,
    ZIP64_LOCATOR_SIG,
)
from chaincut.extractors.zip.report import Reporter

MAX_CANDIDATES = 64  # a comment packed with signatures must not cost more than this


@dataclass(slots=True)
class EndRecord:
    """Where the central directory is, as far as one end record tells."""

    offset: int  # of the end record itself
    cd_offset: int  # where the central directory really starts in the buffer
    cd_size: int  # as declared
    count: int  # declared number of entries (the total, as Android reads it)
    comment: bytes
    shift: int = 0  # added to each local header offset (bytes prepended, offsets not fixed)
    limit: int = 0  # the central directory must end by here (end record or ZIP64 record)
    zip64: bool = False
    notes: list[tuple[str, str]] = field(default_factory=list)
    refusals: list[str] = field(default_factory=list)


def candidates(buf: bytes) -> list[int]:
    """End-record signatures where libziparchive's scan would see them, last first."""
    n = len(buf)
    lo = max(0, n - EOCD_SEARCH)
    out: list[int] = []
    pos = buf.rfind(EOCD_SIG, lo, n)
    while pos >= 0 and len(out) < MAX_CANDIDATES:
        if pos + EOCD.size <= n:
            out.append(pos)
        pos = buf.rfind(EOCD_SIG, lo, pos)
    return out


def locate(buf: bytes, found: list[int], rep: Reporter) -> EndRecord | None:
    """The first usable record in Android's order; its anomalies are reported."""
    for pos in found:
        record = read_end(buf, pos)
        if record is None:
            continue
        for code, detail in record.notes:
            rep.note(code, detail, offset=pos)
        if pos != found[0]:
            record.refusals.append(f"the last end record (at {found[0]}) is unusable")
        return record
    return None


def read_end(buf: bytes, pos: int) -> EndRecord | None:
    """Parse one candidate; None when it leads to no central directory at all."""
    n = len(buf)
    _, disk, cd_disk, on_disk, total, cd_size, cd_off, clen = EOCD.unpack_from(buf, pos)
    end = pos + EOCD.size + clen
    rec = EndRecord(pos, cd_off, cd_size, total, bytes(buf[pos + EOCD.size : min(end, n)]))
    rec.limit = pos
    if disk or cd_disk:
        rec.notes.append(("disk_number_nonzero", f"disk {disk}, CD disk {cd_disk}; ignored"))
    if on_disk != total:
        rec.notes.append(
            ("entry_count_mismatch", f"{on_disk} entries on this disk, {total} in all")
        )
    if end > n:
        rec.notes.append(
            (
                "eocd_comment_length_mismatch",
                f"comment declared {clen} bytes, {n - pos - EOCD.size} present; Android refuses",
            )
        )
        rec.refusals.append("end record comment runs past end of file")
    elif end < n:
        rec.notes.append(
            ("trailing_data", f"{n - end} bytes after the end record and comment; Android refuses")
        )
        rec.refusals.append(f"{n - end} extraneous bytes after the end record")
    _zip64(buf, rec)
    return rec if _place_cd(buf, rec) else None


def _zip64(buf: bytes, rec: EndRecord) -> None:
    """Read the ZIP64 end record right before this one (libziparchive's only place for it)."""
    needed = rec.cd_size == U32_MAX or rec.cd_offset == U32_MAX
    loc = rec.offset - ZIP64_LOCATOR.size
    found = None
    if loc >= 0 and buf[loc : loc + 4] == ZIP64_LOCATOR_SIG:
        record_at = ZIP64_LOCATOR.unpack_from(buf, loc)[2]
        if record_at + ZIP64_EOCD.size <= loc:
            fields = ZIP64_EOCD.unpack_from(buf, record_at)
            if fields[0] == ZIP64_EOCD_SIG:
                found = (record_at, fields[7], fields[8], fields[9])
    if found is None:
        if needed:
            rec.notes.append(("zip64", "32-bit fields say ZIP64 but no ZIP64 end record"))
            rec.refusals.append("ZIP64 end record missing")
        return
    record_at, total, size, offset = found
    rec.zip64 = True
    rec.limit = record_at
    if needed or rec.count == U16_MAX:
        rec.count, rec.cd_size, rec.cd_offset = total, size, offset
        rec.notes.append(("zip64", f"ZIP64 end record at {record_at} used: {total} entries"))
    else:
        rec.notes.append(
            ("zip64", f"ZIP64 end record at {record_at} present but unneeded; Android ignores it")
        )


def _place_cd(buf: bytes, rec: EndRecord) -> bool:
    """Find the central directory; fall back to where prepended data pushed it."""
    off, size, limit = rec.cd_offset, rec.cd_size, rec.limit
    if rec.count == 0:
        rec.cd_offset = min(off, limit)
        return True
    if off + size <= limit and buf[off : off + 4] == CD_SIG:
        return True
    alt = limit - size
    if size and alt >= 0 and alt != off and buf[alt : alt + 4] == CD_SIG:
        rec.shift = alt - off
        rec.cd_offset = alt
        rec.notes.append(
            (
                "cd_offset_mismatch",
                f"central directory declared at {off} but found at {alt}: {alt - off} bytes "
                "shifted without fixing offsets; Android refuses (missed a central dir sig)",
            )
        )
        rec.refusals.append("central directory is not at its declared offset")
        return True
    if off < limit and buf[off : off + 4] == CD_SIG:
        rec.notes.append(
            (
                "cd_size_mismatch",
                f"central directory at {off} declared {size} bytes, past the end record at "
                f"{limit}; Android refuses (bad offsets)",
            )
        )
        rec.refusals.append("central directory size runs past the end record")
        return True
    return False
