"""Tell split/bundle packages from plain APKs by their entry names, never by extension.

XAPK: ``manifest.json`` beside base/split APKs (and optional ``Android/obb/`` files);
APKS (bundletool): ``toc.pb`` with ``splits/*.apk``, ``standalones/*.apk`` or a universal
APK; APKM (APKMirror): ``info.json`` beside the APKs; AAB: ``base/manifest/
AndroidManifest.xml`` (protobuf) with ``BundleConfig.pb``, ``base/dex/``, ``base/resources.pb``.
A ZIP with an AndroidManifest.xml at its root is an APK whatever else it carries.
"""

from __future__ import annotations

from collections.abc import Iterable

AAB_MANIFEST = "base/manifest/AndroidManifest.xml"
_MARKERS = (b"toc.pb", b"manifest.json", b"info.json")


def bundle_format(names: Iterable[str]) -> str | None:
    """ "xapk", "apks", "apkm" or "aab" from the archive's entry names; None for anything else."""
    names = set(names)
    if "AndroidManifest.xml" in names:
        return None
    if AAB_MANIFEST in names:
        return "aab"
    apks = [n for n in names if n.lower().endswith(".apk") and not n.endswith("/")]
    if not apks:
        return None
    if "toc.pb" in names:
        return "apks"
    if "manifest.json" in names:
        return "xapk"
    if "info.json" in names:
        return "apkm"
    return None


def looks_like_bundle(central_directory: bytes) -> bool:
    """Cheap pre-check on the raw central directory (the sniffer runs on every file)."""
    if AAB_MANIFEST.encode() in central_directory:
        return True
    return b".apk" in central_directory and any(m in central_directory for m in _MARKERS)
