"""Resolve the launcher icon to its files, as a launcher would pick them.

The manifest names a resource; the table maps it to one file per density. On API 26+
``mipmap-anydpi-v26`` holds an ``<adaptive-icon>`` XML whose foreground drawable is the
picture brand impersonators copy. The best bitmap (highest density PNG/WebP/JPEG) is the
one whose bytes later stages hash and compare with genuine brand icons.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Literal

from chaincut.extractors.apk.arsc import ResourceTable
from chaincut.extractors.apk.axml import parse_axml
from chaincut.extractors.findings import Findings
from chaincut.extractors.zip import ZipArchive, ZipEntryError
from chaincut.facts.models import IconFacts, IconFile

IconKind = Literal["bitmap", "adaptive", "xml", "other"]
BITMAP_SUFFIXES = (".png", ".webp", ".jpg", ".jpeg", ".gif")
MAX_ICON_BYTES = 4 * 1024 * 1024
ANYDPI = 0xFFFE
FOREGROUND_ATTR = 0x01010109  # android:foreground
DRAWABLE_ATTR = 0x01010199  # android:drawable


@dataclass(slots=True)
class IconResult:
    facts: IconFacts
    blobs: dict[str, bytes] = field(default_factory=dict)


def resolve_icon(
    res_id: int | None, table: ResourceTable | None, archive: ZipArchive, findings: Findings
) -> IconResult | None:
    """Icon facts for manifest icon ``res_id`` plus the best bitmap's bytes."""
    if res_id is None or table is None:
        return None
    files: list[IconFile] = []
    foreground: str | None = None
    for config, path, density in table.files_of(res_id):
        if path.lower().endswith(".xml"):
            files.append(IconFile(entry=path, config=config, density=density, kind="adaptive"))
            fg = _adaptive_foreground(path, table, archive, findings)
            if fg is not None and foreground is None:
                foreground = fg[0]
                files.extend(fg[1])
        else:
            files.append(IconFile(entry=path, config=config, density=density, kind=_kind(path)))
    return _pick_best(res_id, table, files, foreground, archive)


def _adaptive_foreground(
    path: str, table: ResourceTable, archive: ZipArchive, findings: Findings
) -> tuple[str, list[IconFile]] | None:
    """(foreground entry, its files) of an <adaptive-icon> XML, if it has one."""
    try:
        data = archive.read(path, max_size=1 << 20)
    except ZipEntryError:
        return None
    root = parse_axml(data, Findings(), entry=path)  # icon XML oddities are not worth a finding
    if root is None or root.name != "adaptive-icon":
        return None
    for child in root.children:
        if child.name != "foreground":
            continue
        for attr in child.attributes:
            if attr.resource_id in (DRAWABLE_ATTR, FOREGROUND_ATTR) and attr.is_reference():
                found = [
                    IconFile(entry=p, config=c, density=d, kind=_kind(p))
                    for c, p, d in table.files_of(attr.data)
                ]
                bitmaps = [f for f in found if f.kind == "bitmap"]
                if bitmaps:
                    return _best_file(bitmaps).entry, found
                if found:
                    return found[0].entry, found
    return None


def _kind(path: str) -> IconKind:
    low = path.lower()
    if low.endswith(BITMAP_SUFFIXES):
        return "bitmap"
    return "xml" if low.endswith(".xml") else "other"


def _best_file(files: list[IconFile]) -> IconFile:
    def rank(f: IconFile) -> int:
        density = f.density or 160
        return -1 if density == ANYDPI else density

    return max(files, key=rank)


def _pick_best(
    res_id: int,
    table: ResourceTable,
    files: list[IconFile],
    foreground: str | None,
    archive: ZipArchive,
) -> IconResult:
    bitmaps = [f for f in files if f.kind == "bitmap"]
    best = _best_file(bitmaps) if bitmaps else None
    blobs: dict[str, bytes] = {}
    best_sha: str | None = None
    hashed: dict[str, tuple[str, int]] = {}
    if best is not None:
        try:
            data = archive.read(best.entry, max_size=MAX_ICON_BYTES)
            best_sha = hashlib.sha256(data).hexdigest()
            blobs[best_sha] = data
            hashed[best.entry] = (best_sha, len(data))
        except ZipEntryError:
            best = None
    final = [
        f.model_copy(update={"sha256": hashed[f.entry][0], "size": hashed[f.entry][1]})
        if f.entry in hashed
        else f
        for f in files
    ]
    return IconResult(
        IconFacts(
            resource=f"0x{res_id:08x}",
            name=table.name_of(res_id),
            files=final,
            best=best.entry if best else None,
            best_sha256=best_sha,
            adaptive_foreground=foreground,
        ),
        blobs,
    )
