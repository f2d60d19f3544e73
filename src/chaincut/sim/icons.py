"""Brand icons drawn for the simulated world, and the ways impostors perturb them.

Each brand gets a distinct icon (colour, a shape set and its ASCII token drawn on it) from
a generator seeded by the brand id; fakes copy it and crop it, shift its hue or stamp a
badge on it, as real impostors do, so icon similarity has something real to find.
"""

from __future__ import annotations

import hashlib
import io
import random

from PIL import Image, ImageDraw, ImageFont

ICON = 192


def to_png(img: Image.Image) -> bytes:
    """PNG bytes without timestamps or other metadata (deterministic)."""
    out = io.BytesIO()
    img.save(out, "PNG", optimize=False)
    return out.getvalue()


def _rgb(rng: random.Random) -> tuple[int, int, int]:
    return (rng.randrange(30, 230), rng.randrange(30, 230), rng.randrange(30, 230))


def brand_icon(brand_id: str, token: str) -> Image.Image:
    """The brand's own icon: a coloured tile, two or three shapes, the brand token."""
    rng = random.Random(hashlib.sha256(brand_id.encode()).digest())
    img = Image.new("RGBA", (ICON, ICON), (255, 255, 255, 0))
    pen = ImageDraw.Draw(img)
    pen.rounded_rectangle((6, 6, ICON - 6, ICON - 6), radius=36, fill=_rgb(rng))
    for _ in range(rng.randint(2, 3)):
        box = sorted(rng.sample(range(20, ICON - 20), 2))
        boy = sorted(rng.sample(range(20, ICON - 20), 2))
        rect = (box[0], boy[0], max(box[1], box[0] + 24), max(boy[1], boy[0] + 24))
        colour = _rgb(rng)
        match rng.randrange(3):
            case 0:
                pen.ellipse(rect, fill=colour)
            case 1:
                pen.rectangle(rect, fill=colour)
            case _:
                pen.pieslice(rect, rng.randrange(0, 180), rng.randrange(200, 360), fill=colour)
    font = ImageFont.load_default(size=44)
    pen.text((ICON // 2, ICON // 2), token[:4].upper(), fill=(255, 255, 255), font=font,
             anchor="mm")  # fmt: skip
    return img


def crop(img: Image.Image, keep: float) -> Image.Image:
    """The centre ``keep`` share of the icon, scaled back to full size."""
    margin = int(img.width * (1 - keep) / 2)
    return img.crop((margin, margin, img.width - margin, img.height - margin)).resize(img.size)


def hue(img: Image.Image, shift: int) -> Image.Image:
    """The icon with its hue rotated by ``shift`` (0-255), alpha kept."""
    alpha = img.getchannel("A")
    hsv = img.convert("RGB").convert("HSV")
    channels = list(hsv.split())
    channels[0] = channels[0].point(lambda v: (v + shift) % 256)
    out = Image.merge("HSV", channels).convert("RGBA")
    out.putalpha(alpha)
    return out


def badge(img: Image.Image, text: str) -> Image.Image:
    """A red corner badge ("新", "VIP", "HOT") over the icon."""
    out = img.copy()
    pen = ImageDraw.Draw(out)
    size = img.width // 3
    pen.ellipse((img.width - size - 4, 4, img.width - 4, size + 4), fill=(220, 30, 30, 255))
    font = ImageFont.load_default(size=size // 3)
    pen.text((img.width - size // 2 - 4, size // 2 + 4), text, fill=(255, 255, 255, 255),
             font=font, anchor="mm")  # fmt: skip
    return out


def perturbed(img: Image.Image, rng: random.Random) -> Image.Image:
    """One impostor's copy of a brand icon: one or two perturbations."""
    ops = rng.sample(["crop", "hue", "badge"], rng.randint(1, 2))
    out = img
    for op in ops:
        if op == "crop":
            out = crop(out, rng.uniform(0.82, 0.95))
        elif op == "hue":
            out = hue(out, rng.randrange(8, 24))
        else:
            out = badge(out, rng.choice(["HOT", "VIP", "NEW"]))
    return out


def plain_icon(seed: str) -> Image.Image:
    """An ordinary app's icon: a gradient-free tile with one shape (no brand in it)."""
    rng = random.Random(hashlib.sha256(seed.encode()).digest())
    img = Image.new("RGBA", (ICON, ICON), (0, 0, 0, 0))
    pen = ImageDraw.Draw(img)
    pen.rounded_rectangle((6, 6, ICON - 6, ICON - 6), radius=rng.randrange(10, 60), fill=_rgb(rng))
    r = rng.randrange(30, 70)
    c = ICON // 2
    pen.regular_polygon((c, c, r), rng.randrange(3, 8), fill=_rgb(rng))
    return img
