"""What lies between the entries: prefixes, gaps, overlaps, the signing block, stray ends.

Every byte of a clean APK belongs to a local header, entry data, a data descriptor, the
APK Signing Block, the central directory or the end record. Anything else is room for a
hidden payload, and overlapping ranges are how "overlapping zip bombs" and parser
confusion tricks work. libziparchive refuses an archive whose offset 0 does not hold a
local header signature (since Android 8.1, bug 64211847), so a prefix is refused too.
"""

from __future__ import annotations

from bisect import bisect_right

from chaincut.extractors.zip.model import ZipEntry
from chaincut.extractors.zip.records import LFH_SIG, SIGNING_BLOCK_MAGIC, U64
from chaincut.extractors.zip.report import Reporter

EXAMPLES = 5
PAGE = 4096


def signing_block_offset(buf: bytes, cd_offset: int) -> int:
    """Start of the APK Signing Block that ends at the central directory, or -1."""
    magic_at = cd_offset - 16
    if magic_at < 8 or buf[magic_at:cd_offset] != SIGNING_BLOCK_MAGIC:
        return -1
    size: int = U64.unpack_from(buf, magic_at - 8)[0]
    start = cd_offset - size - 8
    if size < 24 or start < 0 or U64.unpack_from(buf, start)[0] != size:
        return -1
    return start


def check_layout(
    buf: bytes,
    entries: list[ZipEntry],
    spans: list[tuple[int, int, int]],
    cd_offset: int,
    signing_at: int,
    rep: Reporter,
    refusals: list[str],
) -> None:
    """Report prefix, gaps, overlaps and the space before the central directory."""
    if not spans:
        return
    ordered = sorted(spans)
    first = ordered[0][0]
    if first > 0:
        hidden = " (an unreferenced local header sits at offset 0)" if buf[:4] == LFH_SIG else ""
        rep.note(
            "data_before_first_entry",
            f"{first} bytes before the first local header{hidden}"
            + ("" if hidden else "; Android refuses (no local header at offset 0)"),
            offset=0,
        )
        if not hidden:
            refusals.append("offset 0 holds no local header")
    last_end = _gaps_and_overlaps(ordered, entries, rep)
    tail_end = signing_at if signing_at >= last_end else cd_offset
    if tail_end > last_end and not _signing_padding(buf, last_end, signing_at):
        rep.note(
            "data_before_central_directory",
            f"{tail_end - last_end} bytes after the last entry that no record covers",
            offset=last_end,
        )


def _signing_padding(buf: bytes, start: int, signing_at: int) -> bool:
    """apksig zero-pads the entries so the signing block starts on a 4 KiB boundary (for
    fs-verity; its test vectors pad further). Zeros before an aligned block hide nothing."""
    gap = signing_at - start
    return signing_at % PAGE == 0 and gap > 0 and buf[start:signing_at].count(0) == gap


def _gaps_and_overlaps(
    ordered: list[tuple[int, int, int]], entries: list[ZipEntry], rep: Reporter
) -> int:
    """One pass over header-sorted spans; returns the furthest end seen."""
    overlaps: list[str] = []
    n_overlaps = gap_count = gap_bytes = 0
    first_gap = -1
    reach, reach_index = ordered[0][1], ordered[0][2]
    for start, end, index in ordered[1:]:
        if start < reach:
            n_overlaps += 1
            if len(overlaps) < EXAMPLES:
                overlaps.append(
                    f"{entries[index].name!r} starts inside {entries[reach_index].name!r}"
                )
        elif start > reach:
            gap_count += 1
            gap_bytes += start - reach
            if first_gap < 0:
                first_gap = reach
        if end > reach:
            reach, reach_index = end, index
    if n_overlaps:
        rep.note(
            "overlapping_entries",
            f"{n_overlaps} entries overlap earlier ones: " + "; ".join(overlaps),
        )
    if gap_count:
        rep.note(
            "data_between_entries",
            f"{gap_bytes} unreferenced bytes in {gap_count} gaps between entries",
            offset=first_gap,
        )
    return reach


def stray_end_records(
    found: list[int], used: int, spans: list[tuple[int, int, int]], entries: list[ZipEntry]
) -> list[int]:
    """End-record signatures other than ``used`` that are not inside some entry's data.

    A stored nested ZIP near the end of an APK carries its own end record; that one is
    inert and not reported. One in a gap, the comment or trailing bytes is a real trick.
    """
    if len(found) < 2:
        return []
    data = sorted((entries[i].data_offset, end) for _, end, i in spans)
    keys = [start for start, _ in data]
    reach: list[int] = []
    furthest = -1
    for _, end in data:
        furthest = max(furthest, end)
        reach.append(furthest)
    stray = []
    for pos in found:
        k = bisect_right(keys, pos) - 1
        if pos != used and (k < 0 or reach[k] <= pos):
            stray.append(pos)
    return stray
