"""Anomaly codes of the HTML landing-page reader."""

from __future__ import annotations

CODES: dict[str, str] = {
    "page_truncated": "the page is larger than the reader parses; only its start was read",
    "page_decode_errors": "bytes that are not valid in the page's charset were replaced",
    "page_parse_error": "the HTML parser stopped on malformed markup; facts are partial",
    "page_too_many_links": "more links than a document keeps; the rest were dropped",
    "page_bad_data_uri": "an embedded data: image that cannot be decoded",
    "page_images_skipped": "more embedded or local images than the reader scans for QR codes",
}
