"""The hot path's raw-deflate inflater, CRC-32 and Adler-32: zlib-ng when installed, else zlib.

zlib-ng (the ``zlib-ng`` package, module ``zlib_ng.zlib_ng``) is a drop-in port of
CPython's ``zlib`` module over the zlib-ng library: same ``decompressobj`` (``max_length``,
``unconsumed_tail``, ``eof``), same ``crc32`` and ``adler32`` values (``adler32`` is the DEX
checksum, about 4x faster), same error messages, and it inflates the corpus's entries
about 1.7x faster. Its ``error`` is its own class, so callers catch
``error`` from here. ``tests/test_zip_fastzlib.py`` compares both on real APK entries.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # zlib-ng ships no type hints; its functions are typed as zlib's
    from zlib import adler32, crc32, decompressobj, error
else:
    try:
        from zlib_ng.zlib_ng import adler32, crc32, decompressobj, error
    except ImportError:  # the package is a dependency; stdlib zlib gives the same results
        from zlib import adler32, crc32, decompressobj, error

__all__ = ["adler32", "crc32", "decompressobj", "error"]
