"""Images that hold barcodes: screenshots and photos of the QR codes victims are sent.

Every URL payload goes through the URL analyser, so a QR code yields the same ``url``,
``domain`` and ``ip`` indicators as the link typed in; payment and chat codes are kept
as ``payment`` and ``chat`` indicators, the money and contact ends of a scam.
"""

from __future__ import annotations

from chaincut.extractors.findings import Findings
from chaincut.extractors.qr.decode import find_codes
from chaincut.extractors.qr.image import open_image
from chaincut.extractors.qr.magic import image_format
from chaincut.extractors.url import analyse, url_indicators
from chaincut.facts.models import Indicator
from chaincut.facts.web import QrCode, QrFacts

CONTACT_KINDS = {"payment", "chat"}


def read_qr(buf: bytes, findings: Findings) -> QrFacts:
    """Barcodes in an image; an unreadable or oversized image gives facts without codes."""
    opened = open_image(buf, findings)
    codes = find_codes(opened.image, opened.scale, findings) if opened.image is not None else []
    return QrFacts(
        image_format=image_format(buf),
        width=opened.width,
        height=opened.height,
        codes=codes,
    )


def qr_indicators(codes: list[QrCode]) -> list[Indicator]:
    """``url``/``domain``/``ip`` of URL payloads, ``payment``/``chat`` of contact codes."""
    out: list[Indicator] = []
    seen: set[tuple[str, str]] = set()
    for code in codes:
        found: list[Indicator] = []
        if code.payload_kind in CONTACT_KINDS:
            found.append(Indicator(kind=code.payload_kind, value=code.payload[:2048]))
        if code.url:
            found += url_indicators(analyse(code.url, Findings()))
        for ind in found:
            if (ind.kind, ind.value) not in seen:
                seen.add((ind.kind, ind.value))
                out.append(ind)
    return out
