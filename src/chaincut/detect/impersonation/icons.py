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

Speed (the hashes are exactly imagehash's ``phash`` of the Pillow-processed channels;
tests compare them): Python and numpy call overhead, not arithmetic, dominates arrays this
small, so each step is one call for all 30 masked channels of an icon. The trim composites
by pasting through the alpha band onto white (exactly ``alpha_composite`` on white, in one
Pillow pass). The three BICUBIC crop resizes stay Pillow's (a numpy version, banded matrix
products plus Pillow's rounding after each pass, measured no faster, and Pillow 13 picks
which pass runs first by size); Pillow hands their levels over band by band, so the HSV
value and saturation (a lookup table of Pillow's own conversion, no hue) run on contiguous
planes, and each channel's median comes from Pillow's histogram. The LANCZOS reductions
are matrix products with Pillow's own fixed-point coefficients, rounded and clipped as
Pillow does after each pass (exact, as every sum is an integer a double holds), batched so
that each BLAS call stays small enough for OpenBLAS to keep to one thread; a masked image
is the unmasked sums plus the mask's change on just the window it covers and the outputs
that window reaches, the four corner windows being one strided view; the DCTs run once for
all 30 images, the second on the kept rows only.
:class:`IconTable` holds every registry icon's hashes as arrays, so one artifact icon is
compared with all of them in one numpy expression. Registry icons are hashed once per
file version (cache keyed by path, size and mtime), artifact icons once per content (the
same icon ships in an APK, its IPA and its page).
Decoding is bounded: at most ``MAX_ICON_BYTES`` and ``MAX_PIXELS``, never a decompression
bomb, never an exception.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import io
import itertools
import math
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.fftpack
from PIL import Image, ImageChops

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


TRIM_ALPHA = 16  # the trim keeps pixels more opaque than this


def _flatten(img: Image.Image) -> Image.Image:
    """Trim transparent padding and composite on white.

    Pasting through the alpha band onto a white RGB canvas gives exactly what
    ``alpha_composite`` on white then ``convert("RGB")`` give (each output level depends
    on one level and its alpha only, and tests compare all 65536 pairs) in one pass
    instead of three."""
    rgba = img if img.mode == "RGBA" else img.convert("RGBA")
    alpha = rgba.getchannel("A")
    # alpha above TRIM_ALPHA is what stays non-zero after a saturating subtraction (a
    # table lookup with ``point`` spends longer rounding its table in Python)
    box = ImageChops.subtract(alpha, Image.new("L", alpha.size, TRIM_ALPHA)).getbbox()
    if box is None:
        return Image.new("RGB", rgba.size, "white")
    rgba = rgba.crop(box)
    canvas = Image.new("RGB", rgba.size, "white")
    canvas.paste(rgba, (0, 0), rgba)
    return canvas


def _crop(img: Image.Image, keep: float) -> Image.Image:
    if keep >= 1.0:
        return img
    w, h = img.size
    dx, dy = round(w * (1 - keep) / 2), round(h * (1 - keep) / 2)
    return img.crop((dx, dy, w - dx, h - dy))


def _masks() -> list[tuple[int, int, int, int] | None]:
    m, n = round(WORK_SIZE * MASK), WORK_SIZE
    return [None, (n - m, 0, n, m), (0, 0, m, m), (0, n - m, m, n), (n - m, n - m, n, n)]


def _medians(planes: np.ndarray) -> list[int]:
    """``ImageStat.Stat(image).median`` of each 8-bit plane of an (n, h, w) stack: the
    first level whose cumulative count exceeds half the pixels. Pillow's histogram of a
    plane it reads in place costs a fraction of numpy's ``bincount`` (which first widens
    every level to 64 bits)."""
    height, width = planes.shape[1:]
    half = height * width // 2
    out = []
    for plane in np.ascontiguousarray(planes):
        counts = Image.frombuffer("L", (width, height), plane, "raw", "L", 0, 1).histogram()
        out.append(bisect.bisect_right(list(itertools.accumulate(counts)), half))
    return out


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


def _value_saturation(red: np.ndarray, green: np.ndarray,
                      blue: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The V and S channels of Pillow's ``convert("HSV")`` of RGB levels given as planes
    (planes, not interleaved pixels: numpy's maxima and minima run several times faster
    on contiguous levels)."""
    hi = np.maximum(np.maximum(red, green), blue)
    lo = np.minimum(np.minimum(red, green), blue)
    index = (hi.astype(np.uint16) << 8) | lo  # (max, min) as one flat table index
    return hi, _saturation_table().ravel().take(index)


def hashes_of(img: Image.Image) -> IconHashes:
    """The hash set of a decoded icon: value and saturation channels are untouched by a
    hue shift, and each corner mask hides a badge pasted there."""
    work = (WORK_SIZE, WORK_SIZE)
    crops = [_crop(img, keep).resize(work) for keep in CROPS]
    # Pillow packs each band on its own, so the levels arrive as planes, in one buffer
    levels = b"".join(crop.tobytes("raw", band) for crop in crops for band in "RGB")
    rgb = np.frombuffer(levels, np.uint8).reshape(len(CROPS), 3, *work)
    value, saturation = _value_saturation(rgb[:, 0], rgb[:, 1], rgb[:, 2])
    planes = np.stack([value, saturation], axis=1).reshape(-1, *work)  # (crop, channel)
    size = HASH_SIZE * HIGHFREQ
    images = _masked_lanczos(planes, _medians(planes), size)
    bits = _phash_bits(images.reshape(-1, size, size)).reshape(len(planes), 5, -1)
    in_order = bits[:, _mask_plan(size).slots]  # in _masks() order
    ints = np.packbits(in_order, axis=2).view(">u8").reshape(len(CROPS), 2, -1).tolist()
    # images are ordered (crop, channel, mask); the set is (crop, mask) -> (value, saturation)
    return IconHashes(tuple((m, val[m], sat[m]) for val, sat in ints for m in range(len(val))))


PRECISION_BITS = 22  # Pillow's fixed-point resampling: 32 - 8 - 2 bits
LANCZOS_SUPPORT = 3.0
BLAS_ONE_THREAD = 262_144  # OpenBLAS runs a product of m*n*k at most this on one thread


def _lanczos(x: float) -> float:
    """Pillow's ``lanczos_filter`` (a truncated sinc), term for term."""
    if not -LANCZOS_SUPPORT <= x < LANCZOS_SUPPORT:
        return 0.0

    def sinc(t: float) -> float:
        if t == 0.0:
            return 1.0
        t = t * math.pi
        return math.sin(t) / t

    return sinc(x) * sinc(x / 3)


@functools.cache
def _lanczos_matrix(in_size: int, out_size: int) -> np.ndarray:
    """Pillow's fixed-point LANCZOS coefficients for ``in_size`` -> ``out_size`` (the
    ``precompute_coeffs`` and ``normalize_coeffs_8bpc`` of its Resample.c, the same
    double arithmetic in the same order) as a dense (in_size, out_size) float matrix of
    integers: a row pass is then one matrix product, exact in doubles (every sum is an
    integer below 2**53)."""
    scale = filterscale = in_size / out_size
    filterscale = max(filterscale, 1.0)
    support = LANCZOS_SUPPORT * filterscale
    ss = 1.0 / filterscale
    matrix = np.zeros((in_size, out_size), np.float64)
    for xx in range(out_size):
        center = (xx + 0.5) * scale
        xmin = max(int(center - support + 0.5), 0)
        xmax = min(int(center + support + 0.5), in_size) - xmin
        weights = [_lanczos((x + xmin - center + 0.5) * ss) for x in range(xmax)]
        total = 0.0
        for w in weights:
            total += w
        for x, w in enumerate(weights):
            if total != 0.0:
                w /= total
            k = w * (1 << PRECISION_BITS)
            matrix[xmin + x, xx] = int(k - 0.5) if w < 0 else int(k + 0.5)
    return matrix


def _products(rows: np.ndarray, matrix: np.ndarray) -> np.ndarray:
    """``rows @ matrix`` in doubles for a (..., k) array, as one batched product of slices
    small enough that OpenBLAS keeps each to one thread (two threads cost more CPU than
    they save on arrays this small; numpy hands a batch to BLAS one slice at a time)."""
    k, n = matrix.shape
    flat = rows.reshape(-1, k).astype(np.float64, copy=False)
    step = max(1, BLAS_ONE_THREAD // (k * n))
    whole = len(flat) - len(flat) % step
    acc = np.empty((len(flat), n), np.float64)
    if whole:
        np.matmul(flat[:whole].reshape(-1, step, k), matrix,
                  out=acc[:whole].reshape(-1, step, n))
    if whole < len(flat):
        np.matmul(flat[whole:], matrix, out=acc[whole:])
    return acc.reshape(*rows.shape[:-1], n)


def _round8(acc: np.ndarray, scratch: bool = False) -> np.ndarray:
    """Pillow's ``clip8`` of fixed-point sums (rounded, shifted down, clipped to 8 bits),
    kept in doubles for the next product; in place when ``acc`` is ``scratch``."""
    if scratch:
        acc += 1 << (PRECISION_BITS - 1)
    else:
        acc = acc + (1 << (PRECISION_BITS - 1))
    acc *= 1.0 / (1 << PRECISION_BITS)
    np.floor(acc, out=acc)
    np.clip(acc, 0, 255, out=acc)
    return acc


@dataclass(frozen=True, slots=True)
class _MaskPlan:
    """Constants of :func:`_masked_lanczos` for one size. Each corner mask is handled
    through a square window of ``side`` rows and columns in its corner (all four the same
    size, so they form one strided view of the image); the window's row or column that
    the mask leaves visible (a mask may be one pixel narrower than the window) gets zero
    coefficients. A window reaches only the ``reach`` output rows and columns nearest its
    corner, so the masks' changes are computed on just those."""

    side: int
    reach: int
    along: np.ndarray  # (work, size) row-pass coefficients
    down_t: np.ndarray  # (size, work) column-pass coefficients, transposed
    along_at: np.ndarray  # (left/right, side, reach) row-pass ones, hidden columns
    hidden_sum: np.ndarray  # (left/right, 1, reach) their sums (what a fill of 1 adds)
    down_at: np.ndarray  # (top/bottom, 1, reach, side) column-pass ones, hidden rows
    slots: tuple[int, ...]  # image of each of _masks()'s masks: 0 whole, 1 + 2 * tb + lr


@functools.cache
def _mask_plan(size: int) -> _MaskPlan:
    boxes = [b for b in _masks() if b is not None]
    side = max(max(x1 - x0, y1 - y0) + 1 for x0, y0, x1, y1 in boxes)
    lanczos = _lanczos_matrix(WORK_SIZE, size)
    starts = (0, WORK_SIZE - side)
    along_at, down_at = np.zeros((2, side, size)), np.zeros((2, side, size))
    slots = [0]
    for x0, y0, x1, y1 in boxes:
        xi, yi = (starts.index(min(lo, WORK_SIZE - side)) for lo in (x0, y0))
        for block, at, lo, hi in ((along_at, xi, x0, x1), (down_at, yi, y0, y1)):
            cells = np.arange(lo, min(hi + 1, WORK_SIZE))
            block[at, cells - starts[at]] = lanczos[cells]
        slots.append(1 + 2 * yi + xi)
    used = (along_at != 0).any(axis=1) | (down_at != 0).any(axis=1)  # (end, output)
    reach = max(int(np.nonzero(used[0])[0].max()) + 1, size - int(np.nonzero(used[1])[0].min()))
    ends = (slice(0, reach), slice(size - reach, size))  # the outputs nearest each corner
    along_at = np.array([along_at[i][:, ends[i]] for i in range(2)])
    down_at = np.array([down_at[i][:, ends[i]].T for i in range(2)])[:, None]
    return _MaskPlan(side, reach, lanczos, np.ascontiguousarray(lanczos.T), along_at,
                     along_at.sum(axis=1)[:, None, :], down_at, tuple(slots))


def _windows(planes: np.ndarray, side: int, width: int) -> np.ndarray:
    """The first and last ``side`` rows of each (n, h, w) plane, in its first and last
    ``width`` columns, as one view (n, top/bottom, left/right, side, width), no copy."""
    n, h, w = planes.shape
    sn, sy, sx = planes.strides
    return np.lib.stride_tricks.as_strided(
        planes, (n, 2, 2, side, width), (sn, (h - side) * sy, (w - width) * sx, sy, sx),
        writeable=False)


def _corner_blocks(images: np.ndarray, reach: int) -> np.ndarray:
    """The (reach, reach) corner of each window's image in an (n, 5, size, size) stack
    (image 1 + 2 * top/bottom + left/right), as one writable view
    (n, top/bottom, left/right, reach, reach)."""
    n, _, size, _ = images.shape
    sn, si, sy, sx = images.strides
    far = size - reach
    return np.lib.stride_tricks.as_strided(
        images[:, 1:], (n, 2, 2, reach, reach),
        (sn, 2 * si + far * sy, si + far * sx, sy, sx))


def _masked_lanczos(planes: np.ndarray, fills: list[int], size: int) -> np.ndarray:
    """Every (WORK_SIZE, WORK_SIZE) channel of ``planes`` whole and under each corner
    mask painted with its ``fills`` level, reduced to (size, size) exactly as Pillow's
    ``resize(LANCZOS)`` does (a row pass rounded to 8 bits, then a column pass), with
    Pillow's coefficients as a matrix (:func:`_lanczos_matrix`). Returns doubles of
    shape (channel, 5, size, size): the whole image, then the corner windows' images in
    reading order (``_mask_plan(size).slots`` says which is which mask).

    The passes are linear until rounded, so a masked image's fixed-point sums are the
    unmasked ones plus the mask's change times the coefficients of just the columns
    (row pass) or rows (column pass) the mask covers, and only the outputs those reach
    change; every sum is an exact integer, so the rounded results are those of reducing
    the masked image whole. The four corner windows are one strided view, so each step
    is one numpy call for all masks."""
    plan = _mask_plan(size)
    pixels = planes.astype(np.float64)
    whole = _products(pixels, plan.along)  # (channel, row, out column) sums
    rows = _round8(whole)
    # row pass of the masked windows: the fill replaces the hidden pixels' share
    side, reach = plan.side, plan.reach
    fill = np.array(fills, np.float64)[:, None, None, None, None] * plan.hidden_sum
    hidden = _windows(pixels, side, side) @ plan.along_at  # (ch, top/bottom, l/r, y, col)
    masked = _round8(_windows(whole, side, reach) + fill - hidden, scratch=True)
    changed = masked - _windows(rows, side, reach)
    images = np.empty((len(planes), 5, size, size))
    base = np.matmul(plan.down_t, rows, out=images[:, 0])  # (channel, row, column) sums
    images[:, 1:] = base[:, None]
    _corner_blocks(images, reach)[...] += plan.down_at @ changed
    return _round8(images, scratch=True)


def _phash_bits(pixels: np.ndarray) -> np.ndarray:
    """imagehash's ``phash`` bits (row order) of each reduced 8-bit image, at once."""
    # each 1-D transform is computed on its own, so the second pass runs on just the
    # rows the hash keeps (the same numbers as transforming all of them)
    rows = scipy.fftpack.dct(pixels, axis=1)[:, :HASH_SIZE]
    low = scipy.fftpack.dct(rows, axis=2)[:, :, :HASH_SIZE].reshape(len(pixels), -1)
    # np.median's own arithmetic (the mean of the middle two) on a plain sort: the same
    # threshold without its partition and checks
    middle = np.sort(low, axis=1)[:, low.shape[1] // 2 - 1 : low.shape[1] // 2 + 1]
    return np.asarray(low > middle.mean(axis=1, keepdims=True))


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
