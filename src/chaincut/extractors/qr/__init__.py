"""Barcodes in images: ``read_qr`` for facts, ``classify`` for a payload's kind.

Names are imported on first use (:mod:`chaincut.lazy`): ``image_format`` (magic bytes)
must not load Pillow and zxing, which only decoding needs.
"""

from typing import TYPE_CHECKING

from chaincut.lazy import lazy_exports

if TYPE_CHECKING:
    from chaincut.extractors.qr.extract import qr_indicators, read_qr
    from chaincut.extractors.qr.magic import image_format
    from chaincut.extractors.qr.payload import classify

__all__ = ["classify", "image_format", "qr_indicators", "read_qr"]
__getattr__ = lazy_exports(
    __name__,
    {
        "qr_indicators": "extract",
        "read_qr": "extract",
        "image_format": "magic",
        "classify": "payload",
    },
)
