"""Registers the readers of what victims are sent: links, landing pages and QR images."""

from __future__ import annotations

from chaincut.extractors.base import Extractor
from chaincut.extractors.page import PageExtractor
from chaincut.extractors.qr import QrExtractor
from chaincut.extractors.url.file import UrlFileExtractor
from chaincut.plugins.manager import hookimpl


@hookimpl
def chaincut_extractors() -> list[Extractor]:
    return [PageExtractor(), QrExtractor(), UrlFileExtractor()]
