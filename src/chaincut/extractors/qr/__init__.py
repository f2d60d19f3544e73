"""Barcodes in images: ``read_qr`` for facts, ``classify`` for a payload's kind."""

from chaincut.extractors.qr.extract import QrExtractor, qr_indicators, read_qr
from chaincut.extractors.qr.image import image_format
from chaincut.extractors.qr.payload import classify

__all__ = ["QrExtractor", "classify", "image_format", "qr_indicators", "read_qr"]
