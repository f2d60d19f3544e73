"""zlib-ng, the hot path's inflater, gives what stdlib zlib gives: same bytes, same CRCs,
same stopping points under ``max_length``, same errors on damaged streams."""

from __future__ import annotations

import random
import zipfile
import zlib

import pytest

from chaincut.extractors import fastzlib
from tests.corpus import corpus_files

zlib_ng = pytest.importorskip("zlib_ng.zlib_ng")


def _deflated(limit: int = 400) -> list[bytes]:
    """Raw deflate streams of real entries of the androguard corpus APKs."""
    out: list[bytes] = []
    for path in corpus_files("androguard"):
        buf = path.read_bytes()
        try:
            infos = zipfile.ZipFile(path).infolist()
        except (zipfile.BadZipFile, OSError, ValueError):
            continue
        for info in infos:
            if info.compress_type != zipfile.ZIP_DEFLATED:
                continue
            at = info.header_offset
            start = at + 30 + int.from_bytes(buf[at + 26 : at + 28], "little")
            start += int.from_bytes(buf[at + 28 : at + 30], "little")
            out.append(buf[start : start + info.compress_size])
            if len(out) >= limit:
                return out
    return out


def _run(module: object, stream: bytes, max_length: int) -> tuple[object, ...]:
    inflater = module.decompressobj(-15)  # type: ignore[attr-defined]
    try:
        data = inflater.decompress(stream, max_length)
    except module.error as exc:  # type: ignore[attr-defined]
        return ("error", str(exc))
    return (data, inflater.eof, bytes(inflater.unconsumed_tail), module.crc32(data))  # type: ignore[attr-defined]


def test_the_hot_path_uses_zlib_ng() -> None:
    assert fastzlib.decompressobj is zlib_ng.decompressobj


def test_same_output_on_real_entries() -> None:
    streams = _deflated()
    assert len(streams) > 100
    for stream in streams:
        assert _run(zlib_ng, stream, 0) == _run(zlib, stream, 0)
        assert _run(zlib_ng, stream, 1000) == _run(zlib, stream, 1000)  # a bomb's cut-off


def test_same_results_on_damaged_streams() -> None:
    rng = random.Random(12)
    for stream in _deflated(120):
        for _ in range(4):
            damaged = bytearray(stream)
            for _ in range(rng.randint(1, 4)):
                if damaged:
                    damaged[rng.randrange(len(damaged))] ^= 1 << rng.randrange(8)
            cut = bytes(damaged[: rng.randint(0, len(damaged))])
            assert _run(zlib_ng, bytes(damaged), 0) == _run(zlib, bytes(damaged), 0)
            assert _run(zlib_ng, cut, 0) == _run(zlib, cut, 0)


def test_same_crc_and_adler() -> None:
    for stream in _deflated(50):
        assert zlib_ng.crc32(stream) == zlib.crc32(stream)
        assert zlib_ng.crc32(stream, 12345) == zlib.crc32(stream, 12345)
        assert zlib_ng.adler32(stream) == zlib.adler32(stream)
        assert zlib_ng.adler32(memoryview(stream)[12:]) == zlib.adler32(memoryview(stream)[12:])
