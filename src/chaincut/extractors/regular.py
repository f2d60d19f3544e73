"""Reading input files: regular files only, never a named pipe, device or socket.

Opening a FIFO for reading blocks until a writer appears, and reading a character device
may never end; neither is bounded by the per-file time budget when the open happens in
the driver (hashing before extraction). Every input is therefore opened non-blocking and
checked with ``fstat`` before a byte is read: anything but a regular file is refused with
an ``OSError`` whose ``strerror`` names what it is, so callers print their usual one line
("cannot read: ...") or record a failed document.
"""

from __future__ import annotations

import errno
import os
import stat
from typing import BinaryIO

_KINDS = (
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a directory"),
)


class NotRegularFile(OSError):
    """The path names something other than a regular file."""


def what_is(mode: int) -> str:
    """Words for a file type that is not a regular file."""
    for test, words in _KINDS:
        if test(mode):
            return words
    return "a special file"


def open_regular(path: str | os.PathLike[str]) -> BinaryIO:
    """Open ``path`` for reading when it is a regular file; never blocks on a FIFO."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    fd = os.open(path, flags)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = what_is(mode)
            raise NotRegularFile(errno.EINVAL, f"{kind}, not a regular file", str(path))
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_regular(path: str | os.PathLike[str]) -> bytes:
    """The bytes of a regular file (see :func:`open_regular`)."""
    with open_regular(path) as fh:
        return fh.read()
