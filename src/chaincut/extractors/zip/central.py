"""Walk the central directory: one ``unpack_from`` per record, local header read once.

libziparchive (ParseZipArchive) walks exactly ``count`` records and refuses the archive on
a missing signature, a name or extra field past the directory, a record past ``cd_size``,
a local header offset at or after the directory, an invalid name, or a duplicate name.
This walker keeps every record it can read, reports each of those as an anomaly, and
collects the reasons Android would refuse in ``refusals``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from chaincut.extractors.zip.eocd import EndRecord
from chaincut.extractors.zip.local import EXTRA_LIMIT, Central, check_local, read_length
from chaincut.extractors.zip.model import ZipEntry, new_entry
from chaincut.extractors.zip.names import decode_name
from chaincut.extractors.zip.records import (
    CD_SIG,
    CDR,
    DD32,
    DD_SIG,
    DEFLATED,
    FLAG_DATA_DESCRIPTOR,
    FLAG_ENCRYPTED,
    FLAG_STRONG_ENCRYPTION,
    LFH,
    LFH_SIG,
    STORED,
    U32_MAX,
    zip64_extra,
)
from chaincut.extractors.zip.report import Reporter

MAX_ENTRIES = 200_000  # real APKs hold < 50 000; each kept entry costs ~300 bytes
BOMB_RATIO = 1000  # deflate tops out near 1032:1, so only crafted streams come close
BOMB_MIN_SIZE = 1 << 20
FAST_FLAGS_SLOW = FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION


@dataclass(slots=True)
class CentralResult:
    """Entries in CD order, records past the declared count, and layout spans."""

    entries: list[ZipEntry] = field(default_factory=list)
    hidden: list[ZipEntry] = field(default_factory=list)
    spans: list[tuple[int, int, int]] = field(default_factory=list)  # (header, end, index)
    end: int = 0  # where the last record read ends


class Walker:
    """Turns central records into entries, checking each against its local header."""

    def __init__(self, buf: bytes, end: EndRecord, rep: Reporter, refusals: list[str]) -> None:
        self.buf = buf
        self.end = end
        self.rep = rep
        self.refusals = refusals
        self.out = CentralResult()
        self.shift = end.shift
        self.cd_start = end.cd_offset

    def walk(self) -> CentralResult:
        end, rep = self.end, self.rep
        pos, count = end.cd_offset, end.count
        wanted = count
        if count > MAX_ENTRIES:
            rep.note("too_many_entries", f"{count} entries declared; the first {MAX_ENTRIES} kept")
            wanted = MAX_ENTRIES
        index = 0
        buf, limit, unpack = self.buf, end.limit, CDR.unpack_from
        entries, spans = self.out.entries, self.out.spans
        fast, slow = self._fast, self._entry
        while index < wanted:
            f = unpack(buf, pos) if pos + CDR.size <= limit else None
            if f is None or f[0] != CD_SIG:
                self._short(pos, index)
                break
            nxt = pos + CDR.size + f[10] + f[11] + f[12]
            if nxt > limit:
                self._short(pos, index)
                break
            entries.append(fast(f, pos, index) or slow(pos, index, spans))
            pos, index = nxt, index + 1
        if index == count:
            pos = self._hidden(pos)
        self.out.end = pos
        self._sizes(pos)
        return self.out

    def _record_end(self, pos: int) -> int:
        """End of the record at ``pos``, or -1 when it is missing or cut."""
        limit = self.end.limit
        if pos + CDR.size > limit or self.buf[pos : pos + 4] != CD_SIG:
            return -1
        nlen, elen, clen = CDR.unpack_from(self.buf, pos)[10:13]
        nxt = pos + CDR.size + nlen + elen + clen
        return nxt if nxt <= limit else -1

    def _short(self, pos: int, index: int) -> None:
        end = self.end
        declared_end = end.cd_offset + end.cd_size
        code = "entry_count_mismatch" if pos >= declared_end else "central_directory_corrupt"
        self.rep.note(
            code,
            f"{end.count} entries declared, central record #{index} at {pos} is missing or "
            "cut; Android refuses the archive",
            offset=pos,
        )
        self.refusals.append(f"central record #{index} missing or cut")

    def _hidden(self, pos: int) -> int:
        """Records past the declared count but inside ``cd_size``: Android never sees them,
        readers that walk the directory by size (Python's zipfile, some scanners) do."""
        end = self.end
        declared_end = min(end.limit, end.cd_offset + end.cd_size)
        spans: list[tuple[int, int, int]] = []
        self.rep.muted = True
        try:
            while pos < declared_end and len(self.out.hidden) < MAX_ENTRIES:
                nxt = self._record_end(pos)
                if nxt < 0:
                    break
                self.out.hidden.append(self._entry(pos, end.count + len(self.out.hidden), spans))
                pos = nxt
        finally:
            self.rep.muted = False
        if self.out.hidden:
            names = ", ".join(repr(e.name) for e in self.out.hidden[:5])
            self.rep.note(
                "entry_count_mismatch",
                f"{len(self.out.hidden)} central records after the declared {end.count} "
                f"({names}): invisible to Android, listed by readers that walk by size",
                offset=end.cd_offset,
            )
        return pos

    def _sizes(self, pos: int) -> None:
        end, rep = self.end, self.rep
        declared_end = end.cd_offset + end.cd_size
        if pos != declared_end and end.count:
            rep.note(
                "cd_size_mismatch",
                f"central records span {pos - end.cd_offset} bytes, size field says "
                f"{end.cd_size}"
                + ("; Android refuses (bad CD advance)" if pos > declared_end else ""),
                offset=end.cd_offset,
            )
            if pos > declared_end:
                self.refusals.append("central records run past the declared size")
        gap = end.limit - max(pos, declared_end)
        if gap > 0 and end.count:
            rep.note(
                "data_after_central_directory",
                f"{gap} bytes between the central directory and the end record",
                offset=max(pos, declared_end),
            )

    def _fast(self, f: tuple[Any, ...], pos: int, index: int) -> ZipEntry | None:
        """The common case in one pass, or None to take the slow path that explains.

        Anything unusual (non-ASCII or odd names, other methods, flags, ZIP64, big or
        mismatched sizes, a local header that differs) falls through to ``_entry``.
        """
        (_, _, _, flags, method, _, _, crc, csize, usize, nlen, elen, _, _, _, _, lho) = f
        if (
            flags & FAST_FLAGS_SLOW
            or (method != DEFLATED and (method != STORED or csize != usize))
            or usize > BOMB_MIN_SIZE
            or elen > EXTRA_LIMIT
            or not nlen
        ):
            return None
        buf = self.buf
        name_at = pos + CDR.size
        raw = bytes(buf[name_at : name_at + nlen])
        if not raw.isascii():
            return None
        name = raw.decode("ascii")
        if ".." in name or "\\" in name or name[0] == "/" or ":" in name or "\x00" in name:
            return None
        lho += self.shift
        name_at = lho + LFH.size
        name_end = name_at + nlen
        cd_start = self.cd_start
        if lho < 0 or name_end > cd_start:
            return None
        (sig, _, lflags, lmethod, _, _, lcrc, lcsize, lusize, lnlen, lelen) = LFH.unpack_from(
            buf, lho
        )
        if (
            sig != LFH_SIG
            or lflags != flags
            or lmethod != method
            or lnlen != nlen
            or lelen > EXTRA_LIMIT
            or buf[name_at:name_end] != raw
        ):
            return None
        data_offset = name_end + lelen
        if flags & FLAG_DATA_DESCRIPTOR:
            at = data_offset + csize
            if buf[at : at + 4] == DD_SIG:
                at += 4
            if at + DD32.size > cd_start or DD32.unpack_from(buf, at) != (crc, csize, usize):
                return None
            end = at + DD32.size
        elif lcrc != crc or lcsize != csize or lusize != usize:
            return None
        else:
            end = data_offset + csize
        if end > cd_start:
            return None
        self.out.spans.append((lho, end, index))
        return new_entry(name, raw, index, method, flags, crc, csize, usize, lho, data_offset, pos)

    def _entry(self, pos: int, index: int, spans: list[tuple[int, int, int]]) -> ZipEntry:
        buf, rep = self.buf, self.rep
        f = CDR.unpack_from(buf, pos)
        flags, method, crc, csize, usize = f[3], f[4], f[7], f[8], f[9]
        nlen, elen, lho = f[10], f[11], f[16]
        name_at = pos + CDR.size
        raw = bytes(buf[name_at : name_at + nlen])
        name = decode_name(raw, rep, pos)
        if csize == U32_MAX or usize == U32_MAX or lho == U32_MAX:
            usize, csize, lho = self._zip64(pos, name_at + nlen, elen, (usize, csize, lho), name)
        if elen > EXTRA_LIMIT:
            rep.note("oversized_extra_field", f"central extra field of {elen} bytes", entry=name)
        lho += self.end.shift
        cd = Central(name, raw, method, flags, crc, csize, usize, lho)
        data_offset, data_end = check_local(buf, cd, rep)
        self._checks(cd, pos, data_offset)
        if data_offset >= 0:
            spans.append((lho, data_end, index))
        return ZipEntry(name, raw, index, method, flags, crc, csize, usize, lho, data_offset, pos)

    def _zip64(
        self, pos: int, extra_at: int, elen: int, sizes: tuple[int, int, int], name: str
    ) -> tuple[int, int, int]:
        usize, csize, lho = sizes
        z = zip64_extra(bytes(self.buf[extra_at : extra_at + elen]), usize, csize, lho)
        if z is None:
            self.rep.note(
                "zip64",
                "ZIP64 marker without a valid ZIP64 extra field; Android refuses",
                entry=name,
            )
            self.refusals.append(f"invalid ZIP64 extra field for {name!r}")
            return sizes
        self.rep.note("zip64", "ZIP64 extra field in use", entry=name, offset=pos)
        return z[0], z[1], lho if z[2] is None else z[2]

    def _checks(self, cd: Central, pos: int, data_offset: int) -> None:
        """Method, flags, sizes and bounds: the per-entry tricks."""
        rep, name = self.rep, cd.name
        method, csize, usize = cd.method, cd.csize, cd.usize
        if method not in (STORED, DEFLATED):
            rep.note(
                "unsupported_compression_method",
                f"method {method}: Android 9+ resource/asset loading maps the data as stored "
                f"({usize} bytes, the uncompressed size); other tools fail",
                entry=name,
                offset=pos,
            )
        if cd.flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION):
            rep.note(
                "fake_encryption_flag",
                f"flags {cd.flags:#06x}: Android ignores encryption bits and reads the data as "
                "plain; desktop tools ask for a password",
                entry=name,
                offset=pos,
            )
        if method == STORED and csize != usize:
            rep.note(
                "stored_size_mismatch",
                f"stored entry with compressed size {csize} and uncompressed size {usize}; "
                "Android reads the uncompressed size",
                entry=name,
                offset=pos,
            )
        if usize > BOMB_MIN_SIZE and usize > BOMB_RATIO * max(csize, 1):
            rep.note(
                "compression_ratio_extreme",
                f"declared {usize} bytes from {csize} ({usize // max(csize, 1)}:1)",
                entry=name,
                offset=pos,
            )
        self._bounds(cd, data_offset)

    def _bounds(self, cd: Central, data_offset: int) -> None:
        cd_start, n = self.end.cd_offset, len(self.buf)
        where = ""
        if cd.lho >= cd_start:
            where = "local header at or after the central directory; Android refuses the archive"
            self.refusals.append(f"local header of {cd.name!r} is not before the central directory")
        elif data_offset >= 0:
            length = read_length(cd.method, cd.csize, cd.usize)
            stored_end = data_offset + cd.usize if cd.method == STORED else 0
            if data_offset + length > n:
                where = f"data ends at {data_offset + length}, past the end of file ({n})"
            elif max(data_offset + cd.csize, stored_end) > cd_start:
                where = "data runs into the central directory; Android cannot open the entry"
        if where:
            self.rep.note("entry_out_of_bounds", where, entry=cd.name, offset=cd.lho)
