"""Framework API references: which android./java./... methods a DEX calls.

The format sorts type_ids by descriptor and method_ids by class (ART refuses files
that break either order), so the framework types are a few contiguous index ranges,
found by bisecting a lazily decoded view of the descriptors, and their methods are
contiguous runs of method_ids. Only the descriptors of the classes that own a
referenced method and the distinct method names are ever decoded. Type ids out of
order fall back to decoding every descriptor; method ids out of order to a linear
scan; every owner is re-checked against the prefixes, so a file that lies about its
order can hide a reference but never invent one.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from operator import le

from chaincut.extractors.dex.strings import StringTable

PREFIXES = ("Landroid/", "Lcom/android/", "Ldalvik/", "Ljava/", "Ljavax/")
# under android. but shipped inside the app (support library, architecture components):
# thousands of their own methods would crowd the platform calls out of the capped list
BUNDLED = ("Landroid/support/", "Landroid/arch/")


class DescriptorView:
    """Type descriptors decoded on access, so bisect touches only O(log n) of them."""

    __slots__ = ("_ids", "_strings")

    def __init__(self, type_string_ids: list[int], strings: StringTable) -> None:
        self._ids = type_string_ids
        self._strings = strings

    def __len__(self) -> int:
        return len(self._ids)

    def __getitem__(self, index: int) -> str:
        return self._strings.get(self._ids[index]) or ""


def _increasing(values: list[int]) -> bool:
    return all(map(le, values, values[1:]))


def _runs(indices: list[int]) -> list[tuple[int, int]]:
    """Sorted indices as [lo, hi) runs."""
    runs: list[tuple[int, int]] = []
    for i in indices:
        if runs and runs[-1][1] == i:
            runs[-1] = (runs[-1][0], i + 1)
        else:
            runs.append((i, i + 1))
    return runs


def framework_type_runs(type_string_ids: list[int], strings: StringTable) -> list[tuple[int, int]]:
    """[lo, hi) ranges of type indices whose descriptor is in a framework namespace."""
    view = DescriptorView(type_string_ids, strings)
    if not _increasing(type_string_ids):
        hits = [i for i, d in enumerate(strings.many(type_string_ids)) if d.startswith(PREFIXES)]
        return _runs(hits)
    runs = []
    for prefix in PREFIXES:
        lo = bisect_left(view, prefix)
        hi = bisect_left(view, prefix[:-1] + "0", lo)
        if lo < hi:
            runs.append((lo, hi))
    return runs


def framework_methods(
    runs: list[tuple[int, int]], classes: list[int], names: list[int]
) -> dict[int, set[int]]:
    """Name string indices of the methods of each framework class: {type index: {name}}."""
    out: dict[int, set[int]] = {}
    if not runs:
        return out
    if not _increasing(classes):
        wanted = {i for lo, hi in runs for i in range(lo, hi)}
        for c, n in zip(classes, names, strict=True):
            if c in wanted:
                out.setdefault(c, set()).add(n)
        return out
    for lo, hi in runs:
        m_lo = bisect_left(classes, lo)
        m_hi = bisect_left(classes, hi, m_lo)
        for cls in sorted(set(classes[m_lo:m_hi])):
            c_lo = bisect_left(classes, cls, m_lo, m_hi)
            m_lo = bisect_right(classes, cls, c_lo, m_hi)
            out[cls] = set(names[c_lo:m_lo])
    return out


def api_names(
    by_class: dict[int, set[int]], type_string_ids: list[int], strings: StringTable
) -> list[str]:
    """``android.telephony.SmsManager.sendTextMessage`` for each method, sorted."""
    owner_ids = list(by_class)
    name_ids = sorted(set().union(*by_class.values()))
    descriptors = strings.many([type_string_ids[c] for c in owner_ids])
    text = dict(zip(name_ids, strings.many(name_ids), strict=True))
    refs: list[str] = []
    for cls, desc in zip(owner_ids, descriptors, strict=True):
        if desc.startswith(PREFIXES) and not desc.startswith(BUNDLED) and desc.endswith(";"):
            prefix = desc[1:-1].replace("/", ".") + "."
            refs.extend([prefix + text[n] for n in by_class[cls]])
    refs.sort()
    return refs
