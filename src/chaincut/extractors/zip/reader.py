"""ZipArchive: a ZIP read the way Android's libziparchive reads it, every trick reported.

Android's view decides what the archive *is*: the last end record, exactly ``count``
central records, the first entry of each name, data offsets from local headers, unknown
methods read as stored, CRCs unchecked. Where Android would refuse the archive outright,
this reader still reads what it can (analysts need the contents of broken malware) and
records why in ``android_refusals`` and in the anomalies.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from chaincut.extractors.findings import Findings
from chaincut.extractors.zip import eocd, layout
from chaincut.extractors.zip.central import Walker
from chaincut.extractors.zip.inflate import iter_entry, read_entry, read_head, reread_entry
from chaincut.extractors.zip.local import read_length
from chaincut.extractors.zip.model import (
    DEFAULT_MAX_ENTRY_SIZE,
    ZipEntry,
    ZipEntryError,
    ZipFormatError,
)
from chaincut.extractors.zip.records import LFH_SIG
from chaincut.extractors.zip.recover import recover
from chaincut.extractors.zip.report import Reporter

__all__ = [
    "DEFAULT_MAX_ENTRY_SIZE",
    "ZipArchive",
    "ZipEntry",
    "ZipEntryError",
    "ZipFormatError",
]

DUPLICATE_VERDICT = (
    "libziparchive refuses the archive (kDuplicateEntry), as it has since the 2013 'Master "
    "Key' fixes (bug 8219321: the Java verifier checked one copy, the native loader used "
    "the other); apksig refuses too; get() returns the first, like the native loader"
)


class ZipArchive:
    """A parsed archive over an in-memory buffer (bytes or mmap).

    Attributes:
        buf: the whole file.
        entries: every central-directory record, in CD order (duplicates kept).
        eocd_offset, cd_offset, cd_size: where the end record and central directory are
            (the APK Signing Block sits right before ``cd_offset``).
        comment: the archive comment bytes.
        findings: anomalies found while parsing (codes in chaincut.extractors.zip.codes).
        signing_block_offset: start of the APK Signing Block ending at ``cd_offset``, or -1.
        hidden_entries: central records past the declared count (Android never sees them).
        eocd_candidates: every end-record signature libziparchive's scan would meet.
        android_refusals: why libziparchive's OpenArchive would fail (empty if it opens).
        recovered: entries were rebuilt from local headers (no usable central directory).
        zip64: a ZIP64 end record was found.
    """

    buf: bytes
    entries: list[ZipEntry]
    eocd_offset: int
    cd_offset: int
    cd_size: int
    comment: bytes
    findings: Findings

    def __init__(self, buf: bytes, findings: Findings) -> None:
        self.buf = buf
        self.findings = findings
        self.entries = []
        self.hidden_entries: list[ZipEntry] = []
        self.eocd_offset = self.cd_offset = len(buf)
        self.cd_size = 0
        self.comment = b""
        self.signing_block_offset = -1
        self.eocd_candidates: list[int] = []
        self.android_refusals: list[str] = []
        self.recovered = False
        self.zip64 = False
        self._rep = Reporter(findings)
        self._by_name: dict[str, ZipEntry] = {}
        self._wanted: set[int] = set()  # id() of entries read whole later (see keep_streamed)
        self._room = 0
        self._kept: dict[int, bytes] = {}

    @classmethod
    def parse(cls, buf: bytes, findings: Findings | None = None) -> ZipArchive:
        """Parse; raises ZipFormatError only when there is no end record/central directory."""
        archive = cls(buf, Findings() if findings is None else findings)
        archive._parse()
        return archive

    def get(self, name: str) -> ZipEntry | None:
        """The entry Android would pick for ``name`` (first occurrence), or None."""
        return self._by_name.get(name)

    def names(self) -> list[str]:
        """Entry names in CD order, without duplicates."""
        return list(self._by_name)

    def read(self, entry: ZipEntry | str, max_size: int = DEFAULT_MAX_ENTRY_SIZE) -> bytes:
        """Entry data, inflated the way Android would; raises ZipEntryError."""
        found = self._resolve(entry)
        kept = self._kept.pop(id(found), None)
        if kept is not None:
            self._room += len(kept)
            return reread_entry(self.buf, found, kept, max_size, self._rep)
        return read_entry(self.buf, found, max_size, self._rep)

    def iter_chunks(
        self, entry: ZipEntry, chunk_size: int = 1 << 20, max_size: int = DEFAULT_MAX_ENTRY_SIZE
    ) -> Iterator[bytes]:
        """Stream the entry's uncompressed data in chunks (for digesting big entries)."""
        found = self._resolve(entry)
        chunks = iter_entry(self.buf, found, chunk_size, max_size, self._rep)
        if self._wants(found):
            return self._keeping(found, chunks)
        return chunks

    def read_whole(self, entry: ZipEntry, limit: int) -> bytes | None:
        """The entry's data in one piece when it is at most ``limit`` bytes; None when it
        is larger or does not read (the caller streams it with ``iter_chunks``, which then
        raises as it always did). What it returns, and the notes it makes, are those of a
        complete ``iter_chunks(entry)`` (kept for ``keep_streamed`` the same way): for the
        many small entries a signature digests, one call instead of a stream."""
        found = self._resolve(entry)
        if (
            found.uncompressed_size > limit
            or found.compressed_size > limit
            or found.uncompressed_size > DEFAULT_MAX_ENTRY_SIZE
        ):
            return None
        try:
            data = read_entry(self.buf, found, limit, self._rep)
        except ZipEntryError:
            return None
        if self._wants(found):
            self._keep(found, data)
        return data

    def head(self, entry: ZipEntry, size: int, max_size: int = DEFAULT_MAX_ENTRY_SIZE) -> bytes:
        """The first ``size`` bytes of the entry's data (what the first chunk of
        ``iter_chunks(entry, chunk_size=size)`` holds); raises ZipEntryError like it."""
        return read_head(self.buf, self._resolve(entry), size, max_size, self._rep)

    def keep_streamed(self, entries: Iterable[ZipEntry], room: int) -> None:
        """Keep the data of ``entries`` when they are streamed whole (signature digests),
        at most ``room`` bytes at a time, so that the ``read`` that follows (the DEX
        reader) does not inflate them a second time. Each kept entry is handed out once."""
        self._wanted = {id(e) for e in entries}
        self._room = room

    def drop_kept(self) -> None:
        """Forget what ``keep_streamed`` kept and stop keeping."""
        self._wanted, self._kept, self._room = set(), {}, 0

    def _keeping(self, entry: ZipEntry, chunks: Iterator[bytes]) -> Iterator[bytes]:
        parts: list[bytes] = []
        for chunk in chunks:
            parts.append(chunk)
            yield chunk
        self._keep(entry, b"".join(parts))  # the stream ended: iter_entry checked it all

    def _wants(self, entry: ZipEntry) -> bool:
        """Whether a complete read of ``entry`` is kept for ``keep_streamed``."""
        return id(entry) in self._wanted and 0 < entry.uncompressed_size <= self._room

    def _keep(self, entry: ZipEntry, data: bytes) -> None:
        if len(data) <= self._room and id(entry) not in self._kept:
            self._kept[id(entry)] = data
            self._room -= len(data)

    def data_span(self, entry: ZipEntry) -> tuple[int, int]:
        """(offset, length) of the raw bytes Android reads for ``entry`` (-1 offset if none)."""
        return entry.data_offset, read_length(
            entry.method, entry.compressed_size, entry.uncompressed_size
        )

    def _resolve(self, entry: ZipEntry | str) -> ZipEntry:
        if isinstance(entry, ZipEntry):
            return entry
        found = self._by_name.get(entry)
        if found is None:
            raise ZipEntryError("entry_not_found", repr(entry))
        return found

    def _parse(self) -> None:
        buf, rep = self.buf, self._rep
        found = eocd.candidates(buf)
        self.eocd_candidates = found
        end = eocd.locate(buf, found, rep) if found else None
        if end is None:
            self._recover(found)
            return
        self.eocd_offset, self.cd_offset, self.cd_size = end.offset, end.cd_offset, end.cd_size
        self.comment, self.zip64 = end.comment, end.zip64
        self.android_refusals.extend(end.refusals)
        if end.count == 0:
            self._empty(end.offset)
            return
        result = Walker(buf, end, rep, self.android_refusals).walk()
        self.entries, self.hidden_entries = result.entries, result.hidden
        self._index()
        self.signing_block_offset = layout.signing_block_offset(buf, self.cd_offset)
        layout.check_layout(
            buf,
            self.entries,
            result.spans,
            self.cd_offset,
            self.signing_block_offset,
            rep,
            self.android_refusals,
        )
        self._stray_ends(end.offset, result.spans)
        rep.flush()

    def _stray_ends(self, used: int, spans: list[tuple[int, int, int]]) -> None:
        found = self.eocd_candidates
        stray = layout.stray_end_records(found, used, spans, self.entries)
        if stray:
            where = "Android uses the last one" if used == found[0] else "the last one is unusable"
            self._rep.note(
                "multiple_eocd",
                f"end records at {sorted([used, *stray])}; read the one at {used}; {where}",
                offset=used,
            )

    def _index(self) -> None:
        """First entry per name (Android's pick); duplicates reported once per name."""
        by_name: dict[str, ZipEntry] = {}
        for e in self.entries:
            by_name.setdefault(e.name, e)
        self._by_name = by_name
        if len(by_name) != len(self.entries):
            self._duplicates()

    def _duplicates(self) -> None:
        by_raw: dict[bytes, list[int]] = {}
        decoded: set[str] = set()
        for e in self.entries:
            seen = by_raw.get(e.raw_name)
            if seen is not None:
                seen.append(e.index)
                continue
            by_raw[e.raw_name] = [e.index]
            if e.name in decoded:
                self._rep.note(
                    "duplicate_name",
                    "two names differ only in invalid UTF-8 bytes; get() returns the first",
                    entry=e.name,
                )
            decoded.add(e.name)
        for raw, indices in by_raw.items():
            if len(indices) > 1:
                name = raw.decode("utf-8", "replace")
                self._rep.note(
                    "duplicate_name",
                    f"{len(indices)} records (CD #{indices[:10]}); {DUPLICATE_VERDICT}",
                    entry=name,
                )
                self.android_refusals.append(f"duplicate entry {name!r}")

    def _empty(self, eocd_at: int) -> None:
        self._rep.note(
            "empty_archive", "end record declares 0 entries; Android refuses (kEmptyArchive)"
        )
        self.android_refusals.append("no entries")
        if self.buf.find(LFH_SIG, 0, eocd_at) >= 0:
            self._recover(self.eocd_candidates, empty=True)
        self._rep.flush()

    def _recover(self, found: list[int], empty: bool = False) -> None:
        rep = self._rep
        entries = recover(self.buf, rep)
        if not entries:
            if empty:
                return
            raise ZipFormatError(
                "no end-of-central-directory record and no local headers"
                if not found
                else f"end record(s) at {found[:5]} lead to no central directory"
            )
        if not found:
            rep.note(
                "truncated",
                "no end-of-central-directory record: the file is cut short; Android refuses it",
            )
            self.android_refusals.append("no end record")
        elif not empty:
            rep.note(
                "central_directory_corrupt",
                f"end record(s) at {found[:5]} lead to no central directory; Android refuses",
            )
            self.android_refusals.append("no usable central directory")
        rep.note(
            "recovered_from_local_headers",
            f"{len(entries)} entries rebuilt from local headers (Android would not open this)",
        )
        for e in entries:
            if e.data_offset + read_length(e.method, e.compressed_size, e.uncompressed_size) > len(
                self.buf
            ):
                rep.note("entry_out_of_bounds", "data runs past the end of file", entry=e.name)
        self.recovered = True
        self.entries = entries
        self._index()
        rep.flush()
