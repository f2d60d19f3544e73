"""The URL reader for files that hold nothing but one link (a saved .txt of a link)."""

from __future__ import annotations

from chaincut.extractors.base import Extracted, Sample
from chaincut.extractors.findings import Findings
from chaincut.extractors.url.parse import MAX_URL, looks_like_url

MAX_FILE = MAX_URL + 16


def _single_url(buf: bytes) -> str | None:
    if len(buf) > MAX_FILE:
        return None
    try:
        text = buf.decode("utf-8-sig").strip()
    except UnicodeDecodeError:
        return None
    if not text or any(c in text for c in "\r\n\t "):
        return None
    return text if looks_like_url(text) else None


class UrlFileExtractor:
    """A file whose whole content is one URL is read as that URL."""

    name = "url"

    def sniff(self, sample: Sample) -> int:
        return 40 if _single_url(sample.buf) is not None else 0

    def extract(self, sample: Sample, findings: Findings) -> Extracted:
        url = _single_url(sample.buf)
        if url is None:
            findings.error("the file does not hold a single URL")
            return Extracted(kind="url", format="text")
        from chaincut.extractors.url.document import url_extracted  # the analyser: on first use

        return url_extracted(url, findings)
