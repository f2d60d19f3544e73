"""Registers the readers of what victims are sent: links, landing pages and QR images.

Each extractor sniffs with a module that loads nothing heavy (magic bytes, the start of a
page, a scheme separator) and imports its reader when a file of its kind is read: the page
reader brings Pillow and zxing, the URL analyser the platform and brand tables, which an
APK run must not pay for.
"""

from __future__ import annotations

from chaincut.extractors.base import Extracted, Extractor, Sample
from chaincut.extractors.findings import Findings
from chaincut.extractors.page.sniff import is_html
from chaincut.extractors.qr.magic import image_format
from chaincut.plugins.manager import hookimpl


class PageExtractor:
    """HTML pages, recognised by how they start (never by the file name)."""

    name = "page"

    def sniff(self, sample: Sample) -> int:
        return 50 if is_html(sample.buf) else 0

    def extract(self, sample: Sample, findings: Findings) -> Extracted:
        from chaincut.extractors.page.extract import read_page

        facts, indicators = read_page(sample.buf, sample.path, findings)
        return Extracted(kind="page", format="html", facts={"page": facts}, indicators=indicators)


class QrExtractor:
    """PNG, JPEG, GIF, BMP and WebP images, recognised by their magic bytes."""

    name = "qr"

    def sniff(self, sample: Sample) -> int:
        return 70 if image_format(sample.buf) else 0

    def extract(self, sample: Sample, findings: Findings) -> Extracted:
        from chaincut.extractors.qr.extract import qr_indicators, read_qr

        facts = read_qr(sample.buf, findings)
        fmt = (facts.image_format or "image").lower()
        return Extracted(
            kind="qr", format=fmt, facts={"qr": facts}, indicators=qr_indicators(facts.codes)
        )


# Bytes that str.strip() may drop before a URL: ASCII whitespace, and any byte of a
# multi-byte character (U+00A0, U+3000, the UTF-8 BOM). A scheme starts with one of URL_START.
SKIPPABLE = bytes(b for b in range(256) if b >= 0x80 or chr(b).isspace())
URL_START = frozenset(b"hHfFiIwW")  # http(s), ftp, itms-services/itms-apps, ws(s)


def _may_be_a_link(buf: bytes) -> bool:
    """False when ``single_url`` cannot find a URL: no "://" where it looks (it takes only
    short files), or a first kept character no scheme starts with (an APK's "PK"). Spares
    importing the URL package to sniff every APK."""
    if b"://" not in buf[:65536]:
        return False
    head = buf[:64].lstrip(SKIPPABLE)
    return not head or head[0] in URL_START


class UrlFileExtractor:
    """A file whose whole content is one URL is read as that URL."""

    name = "url"

    def sniff(self, sample: Sample) -> int:
        if not _may_be_a_link(sample.buf):
            return 0
        from chaincut.extractors.url.file import single_url

        return 40 if single_url(sample.buf) is not None else 0

    def extract(self, sample: Sample, findings: Findings) -> Extracted:
        from chaincut.extractors.url.document import url_extracted
        from chaincut.extractors.url.file import single_url

        url = single_url(sample.buf)
        if url is None:
            findings.error("the file does not hold a single URL")
            return Extracted(kind="url", format="text")
        return url_extracted(url, findings)


@hookimpl
def chaincut_extractors() -> list[Extractor]:
    return [PageExtractor(), QrExtractor(), UrlFileExtractor()]
