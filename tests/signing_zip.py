"""A minimal stand-in for ZipArchive so the signing tests run before/without the real reader.

Only what read_signing needs: EOCD/CD offsets, entries in CD order, read and iter_chunks.
``archive_for`` prefers the real chaincut ZipArchive once it is implemented.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator

from chaincut.extractors.findings import Findings
from chaincut.extractors.zip import ZipArchive, ZipEntry, ZipEntryError, ZipFormatError

EOCD = b"PK\x05\x06"


class MiniArchive:
    def __init__(self, buf: bytes) -> None:
        self.buf = buf
        self.findings = Findings()
        self.eocd_offset = self._find_eocd()
        (_, _, _, total, size, offset, clen) = struct.unpack_from(
            "<HHHHIIH", buf, self.eocd_offset + 4
        )
        self.cd_offset, self.cd_size, self.comment = offset, size, buf[-clen:] if clen else b""
        self.entries = self._read_cd(total)

    def _find_eocd(self) -> int:
        pos = self.buf.rfind(EOCD, max(0, len(self.buf) - 65557))
        while pos != -1:
            (clen,) = struct.unpack_from("<H", self.buf, pos + 20)
            if pos + 22 + clen == len(self.buf):
                return pos
            pos = self.buf.rfind(EOCD, 0, pos)
        raise ZipFormatError("no end record")

    def _read_cd(self, total: int) -> list[ZipEntry]:
        out, pos = [], self.cd_offset
        for index in range(total):
            if self.buf[pos : pos + 4] != b"PK\x01\x02":
                raise ZipFormatError("bad CD")
            (flags, method, _t, _d, crc, csize, usize, nlen, elen, klen) = struct.unpack_from(
                "<HHHHIIIHHH", self.buf, pos + 8
            )
            (lho,) = struct.unpack_from("<I", self.buf, pos + 42)
            raw = self.buf[pos + 46 : pos + 46 + nlen]
            lnlen, lelen = struct.unpack_from("<HH", self.buf, lho + 26)
            out.append(
                ZipEntry(
                    raw.decode("utf-8", "replace"),
                    raw,
                    index,
                    method,
                    flags,
                    crc,
                    csize,
                    usize,
                    lho,
                    lho + 30 + lnlen + lelen,
                    pos,
                )
            )
            pos += 46 + nlen + elen + klen
        return out

    def get(self, name: str) -> ZipEntry | None:
        return next((e for e in self.entries if e.name == name), None)

    def names(self) -> list[str]:
        return list(dict.fromkeys(e.name for e in self.entries))

    def read(self, entry: ZipEntry | str, max_size: int = 1 << 28) -> bytes:
        e = self.get(entry) if isinstance(entry, str) else entry
        if e is None:
            raise ZipEntryError("zip_entry_missing", str(entry))
        data = self.buf[e.data_offset : e.data_offset + e.compressed_size]
        if e.method == 0:
            return data
        if e.method != 0:  # apksig inflates every non-stored method
            try:
                return zlib.decompress(data, -15)
            except zlib.error as exc:
                raise ZipEntryError("zip_inflate_error", str(exc)) from exc
        raise ZipEntryError("zip_unsupported_method", str(e.method))

    def iter_chunks(
        self, entry: ZipEntry, chunk_size: int = 1 << 20, max_size: int = 1 << 28
    ) -> Iterator[bytes]:
        data = self.read(entry)
        for i in range(0, len(data), chunk_size):
            yield data[i : i + chunk_size]


def archive_for(buf: bytes) -> ZipArchive:
    """The real ZipArchive when it exists, else the stand-in."""
    try:
        return ZipArchive.parse(buf, Findings())
    except NotImplementedError:
        return MiniArchive(buf)  # type: ignore[return-value]
