"""The URL reader for files that hold nothing but one link (a saved .txt of a link)."""

from __future__ import annotations

from chaincut.extractors.url.parse import MAX_URL, looks_like_url

MAX_FILE = MAX_URL + 16


def single_url(buf: bytes) -> str | None:
    """The URL a file holds and nothing else (one line, no spaces), or None."""
    if len(buf) > MAX_FILE:
        return None
    try:
        text = buf.decode("utf-8-sig").strip()
    except UnicodeDecodeError:
        return None
    if not text or any(c in text for c in "\r\n\t "):
        return None
    return text if looks_like_url(text) else None
