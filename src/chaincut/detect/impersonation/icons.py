"""Perceptual icon hashes that survive what impostors do to a brand's icon.

Impostors re-draw, crop, recolour, badge ("HOT", "VIP"), shrink and re-compress the
genuine icon. Each icon becomes a small set of 64-bit hashes:

* transparent padding trimmed, composited on white;
* three centre crops (100%, 90%, 80%): a cropped copy lines up with one of them;
* per crop, the pHash of the HSV value and saturation channels (a hue shift leaves both
  unchanged, unlike grayscale), once whole and once with each corner masked (a badge
  pasted in a corner disappears under one of the masks).

Two icons are as close as their closest pair (same mask, any crops) of summed value +
saturation Hamming distances; ``icon_score`` turns that distance into a signal score.
Hashes are kept as plain integers (a distance is two XOR popcounts, not numpy work).
Registry icons are hashed once per file version (cache keyed by path, size and mtime),
artifact icons once per content (the same icon ships in an APK, its IPA and its page).
Decoding is bounded: at most ``MAX_ICON_BYTES`` and ``MAX_PIXELS``, never a decompression
bomb, never an exception.
"""

from __future__ import annotations

import functools
import hashlib
import io
import warnings
from dataclasses import dataclass
from pathlib import Path

import imagehash
import numpy as np
from PIL import Image, ImageDraw, ImageStat

MAX_ICON_BYTES = 4 * 1024 * 1024
MAX_PIXELS = 2048 * 2048
CROPS = (1.0, 0.9, 0.8)
MASK = 0.32  # side of the corner square hidden by each mask (badges sit in corners)
WORK_SIZE = 128
FORMATS = ("PNG", "JPEG", "WEBP", "GIF", "BMP", "ICO")
# summed Hamming distance (value + saturation pHash, 128 bits) -> signal score, in order
STEPS = ((8, 0.9), (14, 0.8), (20, 0.55))


CONTENT_CACHE = 1024  # artifact icons remembered by content digest


@dataclass(frozen=True, slots=True)
class IconHashes:
    """(mask index, value pHash, saturation pHash) for every crop and corner mask, the
    64-bit hashes as integers."""

    hashes: tuple[tuple[int, int, int], ...]


def decode(data: bytes) -> Image.Image | None:
    """A bounded, fully loaded RGB image, or None for anything unusable."""
    if not data or len(data) > MAX_ICON_BYTES:
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data), formats=FORMATS)
            if img.width * img.height > MAX_PIXELS or min(img.size) < 8:
                return None
            img.load()
            return _flatten(img)
    except Exception:  # Pillow raises many types on hostile input; a bad icon is no icon
        return None


def _flatten(img: Image.Image) -> Image.Image:
    """Trim transparent padding and composite on white."""
    rgba = img.convert("RGBA")
    box = rgba.getchannel("A").point(lambda a: 255 if a > 16 else 0).getbbox()
    if box is None:
        return Image.new("RGB", rgba.size, "white")
    rgba = rgba.crop(box)
    canvas = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    canvas.alpha_composite(rgba)
    return canvas.convert("RGB")


def _crop(img: Image.Image, keep: float) -> Image.Image:
    if keep >= 1.0:
        return img
    w, h = img.size
    dx, dy = round(w * (1 - keep) / 2), round(h * (1 - keep) / 2)
    return img.crop((dx, dy, w - dx, h - dy))


def _masks() -> list[tuple[int, int, int, int] | None]:
    m, n = round(WORK_SIZE * MASK), WORK_SIZE
    return [None, (n - m, 0, n, m), (0, 0, m, m), (0, n - m, m, n), (n - m, n - m, n, n)]


def _masked(channel: Image.Image, box: tuple[int, int, int, int] | None) -> Image.Image:
    if box is None:
        return channel
    out = channel.copy()
    ImageDraw.Draw(out).rectangle(box, fill=int(ImageStat.Stat(out).median[0]))
    return out


def hashes_of(img: Image.Image) -> IconHashes:
    """The hash set of a decoded icon: value and saturation channels are untouched by a
    hue shift, and each corner mask hides a badge pasted there."""
    out: list[tuple[int, int, int]] = []
    for keep in CROPS:
        work = _crop(img, keep).resize((WORK_SIZE, WORK_SIZE)).convert("HSV")
        _, sat, val = work.split()
        for index, box in enumerate(_masks()):
            out.append((index, _phash(_masked(val, box)), _phash(_masked(sat, box))))
    return IconHashes(tuple(out))


def _phash(channel: Image.Image) -> int:
    """The 64-bit pHash as an integer, bits in row order (as its hex form reads)."""
    bits = imagehash.phash(channel).hash.flatten()
    return int.from_bytes(np.packbits(bits).tobytes(), "big")


_BY_CONTENT: dict[bytes, IconHashes | None] = {}


def icon_hashes(data: bytes) -> IconHashes | None:
    """Hashes of icon bytes, None for anything unusable; remembered by content."""
    key = hashlib.sha256(data).digest()
    if key in _BY_CONTENT:
        return _BY_CONTENT[key]
    img = decode(data)
    found = hashes_of(img) if img is not None else None
    if len(_BY_CONTENT) >= CONTENT_CACHE:
        _BY_CONTENT.clear()
    _BY_CONTENT[key] = found
    return found


def distance(a: IconHashes, b: IconHashes) -> int:
    """Closest summed distance over crop pairs under the same corner mask (0..128)."""
    best = 128
    for mask_a, val_a, sat_a in a.hashes:
        for mask_b, val_b, sat_b in b.hashes:
            if mask_a == mask_b:
                best = min(best, (val_a ^ val_b).bit_count() + (sat_a ^ sat_b).bit_count())
    return best


def icon_score(a: IconHashes, b: IconHashes) -> tuple[float, str]:
    """Signal score and the words saying why (0 and "" for no resemblance)."""
    d = distance(a, b)
    for limit, score in STEPS:
        if d <= limit:
            return score, f"perceptual hash distance {d}/128"
    return 0.0, ""


@functools.lru_cache(maxsize=512)
def _file_hashes(path: str, size: int, mtime_ns: int) -> IconHashes | None:
    del size, mtime_ns  # cache key only: a changed file is hashed again
    try:
        data = Path(path).read_bytes()
    except OSError:
        return None
    return icon_hashes(data)


def registry_icon(path: str) -> IconHashes | None:
    """Hashes of a registry icon file, computed once per file version."""
    try:
        st = Path(path).stat()
    except OSError:
        return None
    if st.st_size > MAX_ICON_BYTES:
        return None
    return _file_hashes(path, st.st_size, st.st_mtime_ns)
