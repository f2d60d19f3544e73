"""Anomaly codes of the image / QR reader."""

from __future__ import annotations

CODES: dict[str, str] = {
    "image_too_large": "the image declares more pixels than the reader decodes (a pixel bomb?)",
    "image_unreadable": "the image header or data cannot be decoded",
    "image_truncated": "the image data ends early; what was decoded was scanned",
    "image_animated": "an animated image: only the first frame was scanned",
    "qr_binary_payload": "a barcode holds bytes that are not UTF-8 text (kept as hex)",
    "qr_too_many": "more barcodes than a document keeps; the rest were dropped",
    "qr_decoder_error": "the barcode decoder failed on this image",
}
