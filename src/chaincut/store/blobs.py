"""Content-addressed, read-only evidence copies: ``blobs/ab/cd/<sha256>``.

A blob is written to a hidden temp file in its final directory, fsync'd, made read-only
(0o444, never executable) and renamed into place, so a killed writer never leaves a
half-written file under a blob name. The store keeps bytes for custody only: there is
deliberately no API that serves them back raw (see docs/cli.md, "The store").
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

TEMP_PREFIX = ".tmp-"
SHA_RE = re.compile(r"^[0-9a-f]{64}$")
MODE = 0o444
STALE_SECONDS = 3600.0


class BlobStore:
    """The blobs directory of one store."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._unsynced: list[Path] = []

    def relative(self, sha256: str) -> str:
        if not SHA_RE.match(sha256):
            raise ValueError(f"not a sha256: {sha256!r}")
        return f"{sha256[:2]}/{sha256[2:4]}/{sha256}"

    def path(self, sha256: str) -> Path:
        return self.root / self.relative(sha256)

    def has(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def put(self, sha256: str, data: bytes, sync: bool = True, hashed: bool = False) -> str:
        """Store ``data`` under its sha256 (checked, unless the caller has just computed
        it from these very bytes: ``hashed``); return the relative path.

        With ``sync=False`` the file is not fsync'd here: the caller must call
        :meth:`sync` before committing anything that names it (one sync for a batch).
        """
        if not hashed and hashlib.sha256(data).hexdigest() != sha256:
            raise ValueError(f"blob bytes do not hash to {sha256}")
        rel = self.relative(sha256)
        final = self.root / rel
        if final.is_file() and final.stat().st_size == len(data):
            return rel
        final.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=final.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                if sync:
                    os.fsync(fh.fileno())
            os.chmod(tmp, MODE)
            os.replace(tmp, final)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        if sync:
            _fsync_dir(final.parent)
        else:
            self._unsynced.append(final)
        return rel

    def forget_unsynced(self) -> None:
        """Drop the list of blobs written with ``sync=False``: an ingest worker's copy, whose
        blobs the main process adopts and syncs (else it would grow by a path per file)."""
        self._unsynced.clear()

    def adopt(self, sha256s: list[str]) -> None:
        """Blobs another process (an ingest worker) wrote with ``sync=False``: made
        durable by the next :meth:`sync` of this store."""
        self._unsynced.extend(self.path(sha) for sha in sha256s)

    def sync(self) -> None:
        """Make every blob written with ``sync=False`` durable: one ``syncfs`` of the
        blobs' file system on Linux, else an fsync of each file and its directory."""
        if not self._unsynced:
            return
        if not _syncfs(self.root):
            for path in self._unsynced:
                _fsync_file(path)
            for folder in {p.parent for p in self._unsynced}:
                _fsync_dir(folder)
        self._unsynced.clear()

    def verify(self, sha256: str) -> bool:
        """Whether the blob exists and its bytes still hash to its name."""
        path = self.path(sha256)
        if not path.is_file():
            return False
        digest = hashlib.sha256()
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
        return digest.hexdigest() == sha256

    def files(self) -> Iterator[Path]:
        """Every blob file (temp files excluded)."""
        if not self.root.is_dir():
            return
        for path in self.root.glob("*/*/*"):
            if SHA_RE.match(path.name) and path.is_file():
                yield path

    def temp_files(self) -> list[Path]:
        if not self.root.is_dir():
            return []
        return sorted(self.root.glob(f"*/*/{TEMP_PREFIX}*"))

    def sweep(self, older_than: float = STALE_SECONDS) -> int:
        """Remove temp files a killed writer left behind; return how many."""
        removed = 0
        cutoff = time.time() - older_than
        for path in self.temp_files():
            with contextlib.suppress(OSError):
                if path.stat().st_mtime < cutoff:
                    path.unlink()
                    removed += 1
        return removed


def _fsync_dir(path: Path) -> None:
    """Make the rename durable (POSIX); harmless where directories cannot be opened."""
    with contextlib.suppress(OSError):
        _fsync_file(path)


def _fsync_file(path: Path) -> None:
    """fsync a file (or a directory) by path."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _syncfs(root: Path) -> bool:
    """``syncfs(2)`` on the file system holding ``root`` (Linux); False where unavailable."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        fd = os.open(root, os.O_RDONLY)
    except (OSError, AttributeError):
        return False
    try:
        return bool(libc.syncfs(fd) == 0)
    except AttributeError:
        return False
    finally:
        os.close(fd)
