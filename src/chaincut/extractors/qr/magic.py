"""Which image format a file holds, from its magic bytes alone (no image library loaded)."""

from __future__ import annotations


def image_format(buf: bytes) -> str | None:
    """PNG, JPEG, GIF, BMP or WEBP from the magic bytes, else None."""
    if buf.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if buf.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if buf.startswith((b"GIF87a", b"GIF89a")):
        return "GIF"
    if buf.startswith(b"BM") and len(buf) >= 26 and buf[14:15] in (b"\x0c", b"(", b"@", b"l", b"|"):
        return "BMP"
    if buf.startswith(b"RIFF") and buf[8:12] == b"WEBP":
        return "WEBP"
    return None
