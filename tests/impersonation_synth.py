"""Synthetic brand icons and the variants impostors make of them (for the impersonation tests).

A brand icon is a coloured rounded square with a few random shapes (seeded, so each
seed is one "brand"); variants are what fake apps do to a copied icon: crop, recolour,
badge, shrink, JPEG re-compression.
"""

from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw, ImageEnhance

SIZE = 192


def _colour(rng: random.Random) -> tuple[int, int, int]:
    return (rng.randrange(256), rng.randrange(256), rng.randrange(256))


def brand_icon(seed: int, size: int = SIZE) -> Image.Image:
    """A distinctive icon for brand number ``seed``."""
    rng = random.Random(seed)
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    draw.rounded_rectangle((4, 4, size - 4, size - 4), radius=size // 5, fill=_colour(rng))
    for _ in range(rng.randint(2, 4)):
        x0, y0 = rng.randint(16, size // 2), rng.randint(16, size // 2)
        x1, y1 = rng.randint(x0 + 20, size - 16), rng.randint(y0 + 20, size - 16)
        shape = rng.choice(("ellipse", "rect", "poly", "ring"))
        fill = _colour(rng)
        if shape == "ellipse":
            draw.ellipse((x0, y0, x1, y1), fill=fill)
        elif shape == "rect":
            draw.rectangle((x0, y0, x1, y1), fill=fill)
        elif shape == "ring":
            draw.ellipse((x0, y0, x1, y1), outline=fill, width=rng.randint(6, 14))
        else:
            pts = [(rng.randint(16, size - 16), rng.randint(16, size - 16)) for _ in range(4)]
            draw.polygon(pts, fill=fill)
    return img


def png(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def jpeg(img: Image.Image, quality: int = 40) -> bytes:
    buf = io.BytesIO()
    img.convert("RGB").save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def cropped(img: Image.Image, keep: float = 0.85) -> Image.Image:
    w, h = img.size
    dx, dy = int(w * (1 - keep) / 2), int(h * (1 - keep) / 2)
    return img.crop((dx, dy, w - dx, h - dy))


def hue_shifted(img: Image.Image, shift: int = 60) -> Image.Image:
    alpha = img.getchannel("A") if img.mode == "RGBA" else None
    h, s, v = img.convert("RGB").convert("HSV").split()
    h = h.point(lambda x: (x + shift) % 256)
    out = Image.merge("HSV", (h, s, v)).convert("RGBA")
    if alpha is not None:
        out.putalpha(alpha)
    return out


def badged(img: Image.Image, text: str = "HOT") -> Image.Image:
    out = img.copy()
    draw = ImageDraw.Draw(out)
    w = out.size[0]
    r = w // 7
    draw.ellipse((w - 2 * r - 6, 6, w - 6, 6 + 2 * r), fill=(230, 20, 20, 255))
    draw.text((w - 2 * r + 2, r - 2), text, fill=(255, 255, 255, 255))
    return out


def small(img: Image.Image, size: int = 48) -> Image.Image:
    return img.resize((size, size))


def dimmed(img: Image.Image, factor: float = 0.8) -> Image.Image:
    return ImageEnhance.Brightness(img).enhance(factor)


VARIANTS = {
    "crop85": lambda im: png(cropped(im, 0.85)),
    "hue": lambda im: png(hue_shifted(im)),
    "badge": lambda im: png(badged(im)),
    "small48": lambda im: png(small(im)),
    "jpeg": lambda im: jpeg(im),
    "crop_badge_jpeg": lambda im: jpeg(badged(cropped(im, 0.9))),
    "dim_small": lambda im: png(small(dimmed(im), 64)),
}
