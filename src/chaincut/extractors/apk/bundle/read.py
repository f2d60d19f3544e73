"""Read split and bundle packages (XAPK, APKS, APKM, AAB) into one APK facts document.

The document's kind stays ``apk`` (outside tools see an Android app) and ``format`` names
the container; ``apk.bundle`` lists the base and every split with its own signature.
"""

from __future__ import annotations

import json

from chaincut.extractors.apk.bundle.aab import extract_aab
from chaincut.extractors.apk.bundle.icons import split_icon
from chaincut.extractors.apk.bundle.merge import (
    check_required,
    check_splits,
    choose_base,
    merge,
    split_facts,
)
from chaincut.extractors.apk.bundle.splits import read_parts
from chaincut.extractors.apk.extract import ApkResult
from chaincut.extractors.findings import Findings
from chaincut.extractors.zip import ZipArchive, ZipEntryError
from chaincut.facts.models import ApkFacts, BundleFacts

METADATA = {"xapk": "manifest.json", "apkm": "info.json"}
MAX_METADATA = 1024 * 1024
MAX_METADATA_FIELDS = 64
OBB_PREFIX = "Android/obb/"


def extract_bundle(archive: ZipArchive, fmt: str, path: str, findings: Findings) -> ApkResult:
    """One document for the whole bundle; never raises on hostile input."""
    if fmt == "aab":
        return extract_aab(archive, path, findings)
    metadata = _metadata(archive, fmt, findings)
    obb = [e.name for e in archive.entries if e.name.startswith(OBB_PREFIX)][:64]
    read = read_parts(archive, path, findings)
    encrypted = read.encrypted or (fmt == "apkm" and not read.parts and read.unreadable > 0)
    if encrypted:
        findings.anomaly("bundle_encrypted", f"{fmt.upper()} whose APKs cannot be read")
    base = choose_base(read.parts, findings) if read.parts else None
    if base is None:
        findings.error(f"no readable base APK in this {fmt.upper()}")
        bundle = BundleFacts(format=fmt, metadata=metadata, encrypted=encrypted, obb=obb)
        return ApkResult(ApkFacts(bundle=bundle), [], {}, False)
    others = [p for p in read.parts if p is not base]
    check_splits(base, others, findings)
    check_required(base, others, findings)
    _metadata_agrees(metadata, base.result.facts, findings)
    facts, indicators = merge(base, others)
    bundle = BundleFacts(
        format=fmt,
        splits=[split_facts(base), *(split_facts(p) for p in others)],
        metadata=metadata,
        encrypted=encrypted,
        obb=obb,
    )
    icon, blobs = split_icon(base, others)
    facts = facts.model_copy(update={"bundle": bundle, "icon": icon})
    return ApkResult(facts, indicators, blobs, True)


def _metadata(archive: ZipArchive, fmt: str, findings: Findings) -> dict[str, str]:
    """Scalar fields of manifest.json / info.json (what the packager claims)."""
    name = METADATA.get(fmt)
    entry = archive.get(name) if name else None
    if name is None or entry is None:
        return {}
    try:
        data = json.loads(archive.read(entry, max_size=MAX_METADATA))
    except (ZipEntryError, ValueError, RecursionError) as exc:
        findings.anomaly("bundle_metadata_malformed", str(exc)[:200], entry=name)
        return {}
    if not isinstance(data, dict):
        findings.anomaly("bundle_metadata_malformed", "not a JSON object", entry=name)
        return {}
    out: dict[str, str] = {}
    for key, value in data.items():
        if isinstance(value, str | int | float | bool) and len(out) < MAX_METADATA_FIELDS:
            out[str(key)[:100]] = str(value)[:500]
    return out


def _metadata_agrees(metadata: dict[str, str], base: ApkFacts, findings: Findings) -> None:
    package = metadata.get("package_name") or metadata.get("pname")
    version = metadata.get("version_code") or metadata.get("versioncode")
    if package and base.package and package != base.package:
        findings.anomaly("bundle_metadata_mismatch", f"package {package} vs base {base.package}")
    if version and base.version_code is not None and version != str(base.version_code):
        findings.anomaly(
            "bundle_metadata_mismatch", f"version code {version} vs base {base.version_code}"
        )
