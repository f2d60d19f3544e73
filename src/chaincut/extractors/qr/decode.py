"""Find barcodes in an image: the image as it is first, fallbacks only when nothing shows.

Photographed codes (tilted, noisy, JPEG-blurred, inside a screenshot) often need a
second look: grayscale with stretched contrast, a smaller copy, a hard black/white
threshold, a quarter turn. Each fallback runs only if everything before it found nothing,
so a clean screenshot costs one decoder pass.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import zxingcpp
from PIL import Image, ImageOps

from chaincut.extractors.findings import Findings
from chaincut.extractors.qr.payload import classify
from chaincut.facts.web import QrCode

MAX_CODES = 32
Variant = Callable[[Image.Image], Image.Image]


def _gray(img: Image.Image) -> Image.Image:
    return ImageOps.autocontrast(img.convert("L"), cutoff=1)


def _smaller(img: Image.Image) -> Image.Image:
    gray = img.convert("L")
    return gray.resize((max(1, gray.width // 2), max(1, gray.height // 2)), Image.Resampling.BOX)


def _binary(img: Image.Image) -> Image.Image:
    gray = _gray(img)
    hist = gray.histogram()
    total, acc, median = sum(hist), 0, 128
    for level, count in enumerate(hist):
        acc += count
        if acc >= total // 2:
            median = level
            break
    return gray.point(lambda v: 255 if v > median else 0)


def _turned(img: Image.Image) -> Image.Image:
    return _gray(img).rotate(90, expand=True)


FALLBACKS: tuple[tuple[Variant, float], ...] = (
    (_gray, 1.0),
    (_smaller, 2.0),
    (_binary, 1.0),
    (_turned, 0.0),  # positions of a turned copy are not mapped back
)


def _attempts(img: Image.Image) -> Iterator[tuple[Image.Image, float]]:
    yield img, 1.0
    for variant, factor in FALLBACKS:
        yield variant(img), factor


def find_codes(img: Image.Image, scale: float, findings: Findings) -> list[QrCode]:
    """Every barcode in ``img``; ``scale`` maps positions back to the original size."""
    for candidate, factor in _attempts(img):
        try:
            found = zxingcpp.read_barcodes(candidate)
        except (ValueError, RuntimeError, MemoryError) as exc:
            findings.anomaly("qr_decoder_error", f"{type(exc).__name__}: {str(exc)[:160]}")
            return []
        if found:
            if len(found) > MAX_CODES:
                findings.anomaly("qr_too_many", f"{len(found)} barcodes; kept {MAX_CODES}")
            return [_code(b, scale * factor, findings) for b in found[:MAX_CODES]]
    return []


def _code(barcode: zxingcpp.Barcode, scale: float, findings: Findings) -> QrCode:
    raw = bytes(barcode.bytes)
    text = barcode.text
    if barcode.content_type == zxingcpp.ContentType.Binary:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            findings.anomaly("qr_binary_payload", f"{len(raw)} bytes")
            return QrCode(
                payload="hex:" + raw[:4096].hex(),
                payload_kind="binary",
                format=str(barcode.format.name),
                position=_position(barcode, scale),
            )
    kind = classify(text)
    return QrCode(
        payload=text[:8192],
        payload_kind=kind.kind,
        scheme=kind.scheme,
        format=str(barcode.format.name),
        position=_position(barcode, scale),
        url=kind.url,
    )


def _position(barcode: zxingcpp.Barcode, scale: float) -> list[int]:
    if scale <= 0:
        return []
    pos = barcode.position
    points = (pos.top_left, pos.top_right, pos.bottom_right, pos.bottom_left)
    return [round(v * scale) for p in points for v in (p.x, p.y)]
