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

Speed (the hashes are exactly imagehash's ``phash``; tests compare them): the 30 masked
channels of an icon are hashed in one vectorised pass: one median per channel instead of
one per mask, the masks painted with numpy, the 30 LANCZOS reductions done as two calls
of Pillow's own separable resampler on the channels stacked (each call only runs the
pass along rows, which does not mix stacked images), and one batched DCT. A mask's rows
are reduced again only in the output columns its corner reaches (Pillow's ``box`` keeps
every output's kernel), and in the column pass only the columns a mask changed; the HSV
value and saturation come from a lookup table of Pillow's own conversion (no hue).
:class:`IconTable` holds every registry icon's hashes as arrays, so one artifact icon is
compared with all of them in one numpy expression. Registry icons are hashed once per
file version (cache keyed by path, size and mtime), artifact icons once per content (the
same icon ships in an APK, its IPA and its page).
Decoding is bounded: at most ``MAX_ICON_BYTES`` and ``MAX_PIXELS``, never a decompression
bomb, never an exception.
"""

from __future__ import annotations

import functools
import hashlib
import io
import math
import warnings
from dataclasses import dataclass
from pathlib import Path

import imagehash
import numpy as np
import scipy.fftpack
from PIL import Image

MAX_ICON_BYTES = 4 * 1024 * 1024
MAX_PIXELS = 2048 * 2048
CROPS = (1.0, 0.9, 0.8)
MASK = 0.32  # side of the corner square hidden by each mask (badges sit in corners)
WORK_SIZE = 128
HASH_SIZE, HIGHFREQ = 8, 4  # imagehash.phash defaults: 8x8 bits of a 32x32 DCT
FORMATS = ("PNG", "JPEG", "WEBP", "GIF", "BMP", "ICO")
# summed Hamming distance (value + saturation pHash, 128 bits) -> signal score, in order
STEPS = ((8, 0.9), (14, 0.8), (20, 0.55))


CONTENT_CACHE = 1024  # artifact icons remembered by content digest


@dataclass(frozen=True, slots=True)
class IconHashes:
    """(mask index, value pHash, saturation pHash) for every crop and corner mask, the
    64-bit hashes as integers, crop-major (crop 0's masks, then crop 1's, ...)."""

    hashes: tuple[tuple[int, int, int], ...]

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """Value and saturation hashes as uint64 arrays of shape (crops, masks)."""
        val = np.array([v for _, v, _ in self.hashes], dtype=np.uint64)
        sat = np.array([s for _, _, s in self.hashes], dtype=np.uint64)
        shape = (len(self.hashes) // len(_masks()), len(_masks()))
        return val.reshape(shape), sat.reshape(shape)


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


def _median(channel: np.ndarray) -> int:
    """``ImageStat.Stat(image).median`` of an 8-bit channel: the first level whose
    cumulative count exceeds half the pixels."""
    counts = np.cumsum(np.bincount(channel.ravel(), minlength=256))
    return int(np.searchsorted(counts, channel.size // 2, side="right"))


@functools.cache
def _saturation_table() -> np.ndarray:
    """Pillow's HSV saturation for every (max, min) of a pixel's RGB levels, taken from
    Pillow's own conversion: saturation depends on nothing else, so a lookup in this
    256x256 table is exactly ``convert("HSV")``'s S channel without its hue arithmetic."""
    hi = np.repeat(np.arange(256, dtype=np.uint8), 256).reshape(256, 256)
    lo = np.minimum(hi, np.arange(256, dtype=np.uint8)[None, :])
    rgb = np.stack([hi, lo, lo], axis=2)
    sat: np.ndarray = np.asarray(Image.fromarray(rgb, "RGB").convert("HSV"))[:, :, 1].copy()
    return sat


def _value_saturation(rgb: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The V and S channels of Pillow's ``convert("HSV")`` of an (h, w, 3) RGB array."""
    r, g, b = rgb[:, :, 0], rgb[:, :, 1], rgb[:, :, 2]
    hi = np.maximum(np.maximum(r, g), b)
    lo = np.minimum(np.minimum(r, g), b)
    index = (hi.astype(np.uint16) << 8) | lo  # (max, min) as one flat table index
    return hi, _saturation_table().ravel().take(index)


def hashes_of(img: Image.Image) -> IconHashes:
    """The hash set of a decoded icon: value and saturation channels are untouched by a
    hue shift, and each corner mask hides a badge pasted there."""
    channels: list[tuple[np.ndarray, int]] = []
    for keep in CROPS:
        rgb = np.asarray(_crop(img, keep).resize((WORK_SIZE, WORK_SIZE)))
        v, s = _value_saturation(rgb)
        channels += [(v, _median(v)), (s, _median(s))]
    bits = _phash_bits(_masked_lanczos(channels, HASH_SIZE * HIGHFREQ))
    ints = [int.from_bytes(row.tobytes(), "big") for row in np.packbits(bits, axis=1)]
    masks = len(_masks())
    # _masked_lanczos orders (crop, channel, mask); the set is (crop, mask) -> (val, sat)
    order = np.arange(len(ints)).reshape(len(CROPS), 2, masks)
    out = [(m, ints[order[c, 0, m]], ints[order[c, 1, m]])
           for c in range(len(CROPS)) for m in range(masks)]
    return IconHashes(tuple(out))


def _rows(stack: np.ndarray, size: int, reach: tuple[int, int] | None = None) -> np.ndarray:
    """Pillow's LANCZOS row pass: every row of the (rows, w) 8-bit array to ``size``
    columns. A resize that keeps the height runs only this pass, rounded to 8 bits.

    ``reach`` = (first, last) computes only those output columns, through Pillow's own
    ``box``: when ``w`` is a multiple of ``size`` the box keeps the scale and every
    output's centre, so each column is the one the whole pass gives."""
    rows = Image.fromarray(np.ascontiguousarray(stack))
    height, width = stack.shape
    if reach is None or width % size:
        return np.asarray(rows.resize((size, height), Image.Resampling.LANCZOS))
    first, last = reach
    scale = width // size
    box = (first * scale, 0, last * scale, height)
    return np.asarray(rows.resize((last - first, height), Image.Resampling.LANCZOS, box=box))


LANCZOS_SUPPORT = 3.0  # Pillow's LANCZOS filter reaches 3 source pixels per output step


def _reach(x0: int, x1: int, width: int, size: int) -> tuple[int, int]:
    """The output columns [first, last) of a row pass (``width`` -> ``size``) whose
    LANCZOS window can read any of source columns x0..x1 (a column of margin on
    each side; a wider range only costs time)."""
    if width % size:
        return 0, size
    scale = width // size
    support = LANCZOS_SUPPORT * scale
    first = max(0, math.floor((x0 - support) / scale) - 1)
    last = min(size, math.ceil((x1 + 1 + support) / scale) + 1)
    return first, last


def _masked_lanczos(channels: list[tuple[np.ndarray, int]], size: int) -> np.ndarray:
    """Every channel under every corner mask, reduced to (size, size) exactly as Pillow's
    ``resize(LANCZOS)`` does (a row pass rounded to 8 bits, then a column pass).

    The row pass is the costly one and rows are independent, so it runs once on each
    channel's rows and once on just the rows a mask changes, and there only for the
    output columns whose window reaches the mask; a masked image's pass is the unmasked
    one with that block replaced. The column pass is the row pass of the transposed
    intermediates. Returns (channel, mask) images in that order."""
    boxes = [b for b in _masks() if b is not None]
    height, width = channels[0][0].shape
    reaches = [_reach(b[0], min(b[2], width - 1), width, size) for b in boxes]
    groups = sorted(set(reaches))
    pieces: dict[tuple[int, int], list[np.ndarray]] = {g: [] for g in groups}
    for channel, fill in channels:
        for (x0, y0, x1, y1), reach in zip(boxes, reaches, strict=True):
            part = channel[y0 : y1 + 1].copy()
            part[:, x0 : x1 + 1] = fill
            pieces[reach].append(part)
    whole = _rows(np.concatenate([c for c, _ in channels]), size)
    parts = {g: iter(np.split(_rows(np.concatenate(p), size, g),
                              np.cumsum([len(x) for x in p])[:-1]))
             for g, p in pieces.items()}
    images: list[np.ndarray] = []
    bases: list[int] = []  # per image, the index of its channel's unmasked image
    for c in range(len(channels)):
        base = whole[c * height : (c + 1) * height]
        home = len(images)
        bases.append(home)
        images.append(base)
        for (_, y0, _, _), (first, last) in zip(boxes, reaches, strict=True):
            part = next(parts[(first, last)])
            masked = base.copy()
            masked[y0 : y0 + len(part), first:last] = part  # the box may overhang
            bases.append(home)
            images.append(masked)
    return _column_pass(np.stack(images), bases, size)


def _column_pass(stack: np.ndarray, bases: list[int], size: int) -> np.ndarray:
    """The column pass of (n, h, size) row-reduced images, as the row pass of their
    columns. A masked image differs from its unmasked one (``bases``) only in the
    columns its corner reaches (about half), so only those are reduced again; the
    others are the unmasked image's, as Pillow would compute them."""
    picks = [
        np.arange(size) if b == i else np.flatnonzero((stack[i] != stack[b]).any(axis=0))
        for i, b in enumerate(bases)
    ]
    columns = np.concatenate([stack[i][:, p].T for i, p in enumerate(picks)])
    down = _rows(columns, size)  # one reduced column per row
    result = np.empty((len(stack), size, size), np.uint8)
    at = 0
    for i, (b, p) in enumerate(zip(bases, picks, strict=True)):
        if b != i:
            result[i] = result[b]
        result[i][:, p] = down[at : at + len(p)].T
        at += len(p)
    return result


def _phash_bits(pixels: np.ndarray) -> np.ndarray:
    """imagehash's ``phash`` bits (row order) of each reduced 8-bit image, at once."""
    dct = scipy.fftpack.dct(scipy.fftpack.dct(pixels, axis=1), axis=2)
    low = dct[:, :HASH_SIZE, :HASH_SIZE].reshape(len(pixels), -1)
    return np.asarray(low > np.median(low, axis=1, keepdims=True))


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


def clear_cache() -> None:
    """Forget the artifact icons hashed so far (benchmarks measure cold runs)."""
    _BY_CONTENT.clear()


def distance(a: IconHashes, b: IconHashes) -> int:
    """Closest summed distance over crop pairs under the same corner mask (0..128)."""
    best = 128
    for mask_a, val_a, sat_a in a.hashes:
        for mask_b, val_b, sat_b in b.hashes:
            if mask_a == mask_b:
                best = min(best, (val_a ^ val_b).bit_count() + (sat_a ^ sat_b).bit_count())
    return best


def score_of(d: int) -> tuple[float, str]:
    """Signal score of a distance and the words saying why (0 and "" beyond the steps)."""
    for limit, score in STEPS:
        if d <= limit:
            return score, f"perceptual hash distance {d}/128"
    return 0.0, ""


def icon_score(a: IconHashes, b: IconHashes) -> tuple[float, str]:
    """Signal score and the words saying why (0 and "" for no resemblance)."""
    return score_of(distance(a, b))


class IconTable:
    """Many reference icons' hashes as arrays: :meth:`distances` compares one icon with
    all of them at once (the same numbers :func:`distance` gives, one by one)."""

    def __init__(self, icons: list[IconHashes]) -> None:
        pairs = [h.arrays() for h in icons]
        masks = len(_masks())
        self.val = np.stack([v for v, _ in pairs]) if pairs else np.zeros((0, 1, masks),
                                                                          np.uint64)
        self.sat = np.stack([s for _, s in pairs]) if pairs else np.zeros_like(self.val)

    def __len__(self) -> int:
        return int(self.val.shape[0])

    def distances(self, icon: IconHashes) -> np.ndarray:
        """Distance (0..128) from ``icon`` to every reference, in order."""
        val, sat = icon.arrays()
        # (refs, crops of icon, crops of ref, masks): same mask, every pair of crops
        xv = val[None, :, None, :] ^ self.val[:, None, :, :]
        xs = sat[None, :, None, :] ^ self.sat[:, None, :, :]
        summed = np.bitwise_count(xv).astype(np.int16) + np.bitwise_count(xs)
        best: np.ndarray = summed.reshape(len(self), -1).min(axis=1, initial=128)
        return best


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
