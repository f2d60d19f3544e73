"""QR codes inside a page's images: ``data:`` URIs and files saved next to the page.

Kits embed the download QR code as a base64 ``data:image/png`` so a screenshot of the
page carries it; "save page as" puts images in a ``*_files`` folder beside the HTML.
Both are handed to the QR reader, bounded in number and size. Local files are read only
inside the page's own folder.
"""

from __future__ import annotations

import base64
import binascii
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from chaincut.extractors.findings import Findings
from chaincut.extractors.qr import image_format, read_qr
from chaincut.facts.web import PageQr, QrCode

MAX_SCANNED = 8  # images handed to the QR reader per page
MAX_IMAGE = 4 * 1024 * 1024  # bytes per image
DATA_URI = re.compile(r"^data:image/[a-z0-9.+-]{1,32}(?:;[^,]{0,100})?,", re.I)
ABSOLUTE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.\-]{0,31}:")


def decode_data_uri(uri: str, findings: Findings) -> bytes | None:
    """The bytes of a ``data:image/...`` URI (base64 or percent-encoded)."""
    m = DATA_URI.match(uri)
    if not m:
        findings.anomaly("page_bad_data_uri", f"not a data:image URI: {uri[:60]!r}")
        return None
    header, body = uri[: m.end()], uri[m.end() :]
    if len(body) > MAX_IMAGE * 4 // 3 + 8:
        findings.anomaly("page_bad_data_uri", f"{len(body)} characters; larger than scanned")
        return None
    if ";base64" not in header.lower():
        return unquote(body).encode("latin-1", "replace")
    cleaned = re.sub(r"\s+", "", unquote(body) if "%" in body else body)
    try:
        return base64.b64decode(cleaned + "=" * (-len(cleaned) % 4), validate=False)
    except (binascii.Error, ValueError) as exc:
        findings.anomaly("page_bad_data_uri", f"base64: {exc}")
        return None


def local_image(src: str, page_path: str) -> bytes | None:
    """A relative image file next to a saved page (never outside its folder)."""
    if ABSOLUTE.match(src) or src.startswith("//"):
        return None
    try:
        folder = Path(page_path).resolve().parent
        rel = unquote(urlsplit(src).path)
        target = (folder / rel.lstrip("/")).resolve()
        if not target.is_relative_to(folder) or not target.is_file():
            return None
        if target.stat().st_size > MAX_IMAGE:
            return None
        return target.read_bytes()
    except (OSError, ValueError):
        return None


def page_qr_codes(
    images: list[tuple[str, int]], page_path: str, is_local: bool, findings: Findings
) -> list[tuple[str, QrCode]]:
    """(image reference, code) for every barcode found in the page's images."""
    found: list[tuple[str, QrCode]] = []
    scanned = 0
    for src, _ in images:
        is_data = src[:5].lower() == "data:"
        if not is_data and not is_local:
            continue
        if scanned >= MAX_SCANNED:
            findings.anomaly("page_images_skipped", f"only the first {MAX_SCANNED} scanned")
            break
        data = decode_data_uri(src, findings) if is_data else local_image(src, page_path)
        if data is None or image_format(data) is None:
            if is_data and data is not None:
                findings.anomaly("page_bad_data_uri", "the data is not a PNG/JPEG/GIF/BMP/WebP")
            continue
        scanned += 1
        sub = Findings()
        facts = read_qr(data, sub)
        findings.extend(sub)
        name = "data:" if is_data else src[:500]
        found += [(name, code) for code in facts.codes]
    return found


def to_page_qr(image: str, code: QrCode) -> PageQr:
    return PageQr(image=image, payload=code.payload, payload_kind=code.payload_kind)
