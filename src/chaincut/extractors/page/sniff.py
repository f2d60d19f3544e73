"""Is it HTML, and in which charset? Decided from content, as browsers do.

Saved landing pages come as UTF-8, GBK/GB2312 (old Chinese kits), or UTF-16 with a BOM.
The declared charset (BOM, ``<meta charset>``, ``http-equiv`` content type) wins; without
one, UTF-8 is tried strictly and GB18030 (a superset of GBK) is the fallback.
"""

from __future__ import annotations

import codecs
import re

HEAD = 4096
STARTS = (
    b"<!doctype html",
    b"<html",
    b"<head",
    b"<meta",
    b"<script",
    b"<body",
    b"<title",
    b"<link",
    b"<iframe",
    b"<div",
    b"<style",
    b"<?xml",
)
BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([a-zA-Z0-9_\-:.]{2,40})""", re.I
)
GB_FAMILY = {"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "euc-cn", "hz-gb-2312"}


def _bom(buf: bytes) -> tuple[str | None, int]:
    for bom, name in BOMS:
        if buf.startswith(bom):
            return name, len(bom)
    return None, 0


def is_html(buf: bytes) -> bool:
    """Starts (after BOM, whitespace, comments) like HTML, or has ``<html`` near the start."""
    charset, skip = _bom(buf)
    head = buf[skip : skip + HEAD]
    if charset and charset.startswith("utf-16"):
        head = head.decode(charset, "replace").encode("utf-8", "replace")
    lowered = head.lstrip().lower()
    while lowered.startswith(b"<!--"):
        end = lowered.find(b"-->")
        if end < 0:
            break
        lowered = lowered[end + 3 :].lstrip()
    if lowered.startswith(STARTS):
        return not lowered.startswith(b"<?xml") or b"<html" in lowered
    return b"<html" in head.lower()


def declared_charset(buf: bytes) -> str | None:
    """The charset named by a BOM or a ``<meta>`` in the first 4 KB, normalised."""
    bom, _ = _bom(buf)
    if bom:
        return bom
    m = META_CHARSET.search(buf[:HEAD])
    if not m:
        return None
    name = m.group(1).decode("ascii", "replace").lower()
    if name in GB_FAMILY:
        return "gb18030"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode(buf: bytes) -> tuple[str, str, bool]:
    """(text, charset used, whether bytes had to be replaced)."""
    charset = declared_charset(buf)
    _, skip = _bom(buf)
    body = buf[skip:]
    candidates = [charset] if charset else ["utf-8", "gb18030"]
    for name in candidates:
        try:
            return body.decode(name), name, False
        except UnicodeDecodeError as exc:
            if exc.start >= len(body) - 4 and "end of data" in exc.reason:
                return body[: exc.start].decode(name, "replace"), name, False  # cut mid-char
        except LookupError:
            continue
    name = charset or "utf-8"
    try:
        return body.decode(name, "replace"), name, True
    except LookupError:
        return body.decode("utf-8", "replace"), "utf-8", True
