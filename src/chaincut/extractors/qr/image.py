"""Open hostile images safely: sniff by magic, check the declared size before decoding.

A pixel bomb is a tiny file declaring 100,000 x 100,000 pixels; decoding it would take
tens of GB. Pillow's ``Image.open`` reads only the header, so the size is checked there,
before any pixel is decoded, against MAX_PIXELS. Big but acceptable photos are scaled
down before the barcode search, which needs no more than a few megapixels.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from io import BytesIO

from PIL import Image, UnidentifiedImageError

from chaincut.extractors.findings import Findings

MAX_PIXELS = 40_000_000  # decoded at most (40 MP: a large phone photo)
SCAN_SIDE = 2400  # longest side handed to the barcode search


@dataclass(slots=True)
class Opened:
    image: Image.Image | None  # decoded, RGB or L, possibly scaled down
    width: int | None = None  # as declared
    height: int | None = None
    scale: float = 1.0  # declared / scanned


def open_image(buf: bytes, findings: Findings) -> Opened:
    """Decode the first frame, bounded; report why when it cannot be."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(BytesIO(buf))
            width, height = img.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        findings.anomaly("image_too_large", str(exc)[:200])
        return Opened(None)
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError) as exc:
        findings.anomaly("image_unreadable", f"{type(exc).__name__}: {str(exc)[:160]}")
        return Opened(None)
    if width * height > MAX_PIXELS or width <= 0 or height <= 0:
        findings.anomaly("image_too_large", f"{width} x {height} pixels declared")
        return Opened(None, width, height)
    frames = int(getattr(img, "n_frames", 1))
    if frames > 1:
        findings.anomaly("image_animated", f"{frames} frames")
    return _decode(img, width, height, findings)


def _decode(img: Image.Image, width: int, height: int, findings: Findings) -> Opened:
    try:
        if img.format == "JPEG" and max(width, height) > SCAN_SIDE * 2:
            img.draft("L", (width // 2, height // 2))  # JPEG decodes at a lower scale cheaply
        img.load()
    except (OSError, ValueError, SyntaxError, EOFError, Image.DecompressionBombError) as exc:
        detail = f"{type(exc).__name__}: {str(exc)[:160]}"
        truncated = "truncated" in str(exc)
        findings.anomaly("image_truncated" if truncated else "image_unreadable", detail)
        return Opened(None, width, height)
    scanned = _scan_ready(img)
    return Opened(scanned, width, height, width / max(1, scanned.size[0]))


def _scan_ready(img: Image.Image) -> Image.Image:
    """RGB or grayscale, at most SCAN_SIDE on the longest side, transparency on white."""
    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        canvas = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        img = Image.alpha_composite(canvas, rgba).convert("RGB")
    elif img.mode not in ("RGB", "L"):
        img = img.convert("RGB")
    if max(img.size) > SCAN_SIDE:
        img = img.copy()
        img.thumbnail((SCAN_SIDE, SCAN_SIDE), Image.Resampling.BILINEAR)
    return img
