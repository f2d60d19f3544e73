"""Read every APK inside an XAPK/APKS/APKM with the ordinary APK extractor, within a budget.

Each split is a whole APK (its own manifest, resources, DEX, signature), so it goes through
``extract_apk`` like any APK; its findings are kept with the split's name in their
location. Hostile bundles are bounded: at most ``MAX_SPLITS`` APKs, each at most
``MAX_SPLIT_BYTES`` inflated and ``MAX_TOTAL_BYTES`` together (a zip bomb inside a split
stops at the ZIP reader's own per-entry cap); a split that is itself a bundle is listed,
never unpacked.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from chaincut.extractors.apk.axml import XmlElement, parse_axml
from chaincut.extractors.apk.bundle.detect import bundle_format
from chaincut.extractors.apk.bundle.names import classify
from chaincut.extractors.apk.bundle.splitattrs import SplitAttrs, read_split_attrs
from chaincut.extractors.apk.extract import MANIFEST, MAX_MANIFEST, ApkResult, extract_apk
from chaincut.extractors.findings import Findings
from chaincut.extractors.zip import ZipArchive, ZipEntry, ZipEntryError, ZipFormatError

MAX_SPLITS = 64
MAX_SPLIT_BYTES = 512 * 1024 * 1024
MAX_TOTAL_BYTES = 1024 * 1024 * 1024
ENCRYPTED_FLAG = 0x1


@dataclass(slots=True)
class Part:
    """One APK of the bundle as read."""

    entry: str
    sha256: str
    size: int
    result: ApkResult
    attrs: SplitAttrs
    archive: ZipArchive | None = None  # kept for density splits: they hold the icon files


@dataclass(slots=True)
class Parts:
    parts: list[Part]
    encrypted: bool = False
    unreadable: int = 0


def apk_entries(archive: ZipArchive) -> list[ZipEntry]:
    seen: set[str] = set()
    out: list[ZipEntry] = []
    for entry in archive.entries:
        if entry.name.lower().endswith(".apk") and entry.name not in seen:
            seen.add(entry.name)
            out.append(entry)
    return out


def read_parts(archive: ZipArchive, path: str, findings: Findings) -> Parts:
    """Every readable APK inside, in archive order; oddities are anomalies."""
    out = Parts([])
    total = 0
    entries = apk_entries(archive)
    for number, entry in enumerate(entries):
        if entry.flags & ENCRYPTED_FLAG:
            out.encrypted = True
            continue
        if number >= MAX_SPLITS or total + entry.uncompressed_size > MAX_TOTAL_BYTES:
            findings.anomaly(
                "bundle_budget_exceeded",
                f"{len(entries) - number} APKs not read (limits: {MAX_SPLITS} APKs, "
                f"{MAX_TOTAL_BYTES >> 20} MiB)",
                entry=entry.name,
            )
            break
        part = _read_part(archive, entry, path, findings)
        if part is None:
            out.unreadable += 1
            continue
        total += part.size
        out.parts.append(part)
    return out


def _read_part(archive: ZipArchive, entry: ZipEntry, path: str, findings: Findings) -> Part | None:
    try:
        data = archive.read(entry, max_size=MAX_SPLIT_BYTES)
    except ZipEntryError as exc:
        findings.anomaly("bundle_split_unreadable", f"{exc.code}: {exc.detail}", entry=entry.name)
        return None
    sub = Findings()
    try:
        inner = ZipArchive.parse(data, sub)
    except ZipFormatError as exc:
        findings.anomaly("bundle_split_not_apk", f"not a ZIP: {exc}", entry=entry.name)
        return None
    nested = bundle_format(inner.names())
    if nested is not None:
        words = f"an {nested.upper()} inside the bundle"
        findings.anomaly("bundle_nested", words, entry=entry.name)
        return None
    if inner.get(MANIFEST) is None:
        findings.anomaly("bundle_split_not_apk", "no AndroidManifest.xml", entry=entry.name)
        return None
    result = extract_apk(inner, f"{path}!/{entry.name}", sub)
    _adopt(sub, entry.name, findings)
    attrs = read_split_attrs(_manifest_root(inner))
    return Part(
        entry=entry.name,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        result=result,
        attrs=attrs,
        archive=inner if classify(attrs.name)[0] == "density" else None,
    )


def _manifest_root(inner: ZipArchive) -> XmlElement | None:
    """The split's manifest tree again, for the split attributes ManifestFacts does not keep
    (its anomalies were already reported by the extractor, so a scratch collector is used)."""
    try:
        data = inner.read(MANIFEST, max_size=MAX_MANIFEST)
    except ZipEntryError:
        return None
    return parse_axml(data, Findings())


def _adopt(sub: Findings, split: str, findings: Findings) -> None:
    """A split's findings, located inside the bundle as ``split.apk!/entry``."""
    for a in sub.anomalies:
        loc = a.location
        inner = loc.entry if loc is not None else None
        where = f"{split}!/{inner}" if inner else split
        findings.anomaly(a.code, a.detail, entry=where, offset=loc.offset if loc else None)
    for error in sub.errors:
        findings.error(f"{split}: {error}")
    findings.truncated += sub.truncated
