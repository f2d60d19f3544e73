"""Registers the readers of what victims are sent: links, landing pages and QR images.

Each extractor sniffs with a module that loads nothing heavy (magic bytes, the start of a
page, one line of text) and imports its reader when a file of its kind is read: the page
reader brings Pillow and zxing, which an APK run must not pay for.
"""

from __future__ import annotations

from chaincut.extractors.base import Extracted, Extractor, Sample
from chaincut.extractors.findings import Findings
from chaincut.extractors.page.sniff import is_html
from chaincut.extractors.qr.magic import image_format
from chaincut.extractors.url.file import UrlFileExtractor
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


@hookimpl
def chaincut_extractors() -> list[Extractor]:
    return [PageExtractor(), QrExtractor(), UrlFileExtractor()]
