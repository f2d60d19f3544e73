"""Whole-APK content digests that v2/v3 signers commit to.

The file is cut in three sections: everything before the signing block, the central
directory, and the end record with its CD-offset field pointed at the signing block (so
the block itself, which holds the signatures, is excluded). CHUNKED_SHA256/512 hash each
1 MiB chunk (0xa5 || le32 len || data) then the list (0x5a || le32 count || digests);
VERITY_CHUNKED_SHA256 is the fs-verity Merkle root over 4 KiB blocks (salt 8 zero bytes).
Chunks are hashed straight from a memoryview of the file; large files use a few threads
because hashlib releases the GIL.
"""

from __future__ import annotations

import hashlib
import os
import struct
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor

CHUNK = 1 << 20
VERITY_CHUNK = 4096
VERITY_SALT = bytes(8)
PARALLEL_MIN = 8 * CHUNK  # below this, threads cost more than they save
_HASH = {"CHUNKED_SHA256": "sha256", "CHUNKED_SHA512": "sha512"}
_pool: ThreadPoolExecutor | None = None


class Sections:
    """The three digested sections of one APK, as views into the file."""

    __slots__ = ("before", "cd", "eocd")

    def __init__(self, buf: bytes, block_offset: int, cd_offset: int, eocd_offset: int) -> None:
        view = memoryview(buf)
        self.before = view[:block_offset]
        self.cd = view[cd_offset:eocd_offset]
        eocd = bytearray(view[eocd_offset:])
        if len(eocd) >= 20:
            struct.pack_into("<I", eocd, 16, block_offset & 0xFFFFFFFF)
        self.eocd = memoryview(bytes(eocd))

    def parts(self) -> tuple[memoryview, memoryview, memoryview]:
        return self.before, self.cd, self.eocd


def _executor() -> ThreadPoolExecutor:
    global _pool
    if _pool is None:
        _pool = ThreadPoolExecutor(max_workers=max(2, min(8, os.cpu_count() or 2)))
    return _pool


def _chunk_digest(name: str, chunk: memoryview) -> bytes:
    h = hashlib.new(name, b"\xa5" + struct.pack("<I", len(chunk)))
    h.update(chunk)
    return h.digest()


def _chunks(sections: Iterable[memoryview]) -> list[memoryview]:
    out: list[memoryview] = []
    for part in sections:
        out.extend(part[i : i + CHUNK] for i in range(0, len(part), CHUNK))
    return out


def chunked(sections: Sections, algorithm: str) -> bytes:
    """CHUNKED_SHA256 / CHUNKED_SHA512 over the three sections."""
    name = _HASH[algorithm]
    chunks = _chunks(sections.parts())
    total = sum(len(c) for c in chunks)
    if total >= PARALLEL_MIN:
        digests = list(_executor().map(lambda c: _chunk_digest(name, c), chunks))
    else:
        digests = [_chunk_digest(name, c) for c in chunks]
    top = hashlib.new(name, b"\x5a" + struct.pack("<I", len(digests)))
    top.update(b"".join(digests))
    return top.digest()


def _verity_digests(data: memoryview | bytes) -> bytes:
    """Salted SHA-256 of each 4 KiB block (the last one zero padded), concatenated."""
    view = memoryview(data)
    out = []
    for i in range(0, len(view), VERITY_CHUNK):
        block = view[i : i + VERITY_CHUNK]
        h = hashlib.sha256(VERITY_SALT)
        h.update(block)
        if len(block) < VERITY_CHUNK:
            h.update(bytes(VERITY_CHUNK - len(block)))
        out.append(h.digest())
    return b"".join(out)


def _pad(data: bytes) -> bytes:
    rem = len(data) % VERITY_CHUNK
    return data + bytes(VERITY_CHUNK - rem) if rem else data


def verity(sections: Sections) -> bytes | None:
    """VERITY_CHUNKED_SHA256 (root hash || le64 size), or None when the block is unaligned."""
    if len(sections.before) % VERITY_CHUNK:
        return None
    tail = bytes(sections.cd) + bytes(sections.eocd)  # small: CD and end record only
    level = _verity_digests(sections.before) + _verity_digests(tail)
    while len(level) > VERITY_CHUNK:
        level = _verity_digests(_pad(level))
    root = hashlib.sha256(VERITY_SALT + _pad(level).ljust(VERITY_CHUNK, b"\0")).digest()
    size = len(sections.before) + len(sections.cd) + len(sections.eocd)
    return root + struct.pack("<Q", size)


def compute(sections: Sections, algorithms: Iterable[str]) -> dict[str, bytes | None]:
    """The requested content digests; a verity digest is None when it cannot be computed."""
    out: dict[str, bytes | None] = {}
    for alg in algorithms:
        out[alg] = verity(sections) if alg == "VERITY_CHUNKED_SHA256" else chunked(sections, alg)
    return out
