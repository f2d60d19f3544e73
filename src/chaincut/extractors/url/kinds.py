"""What a link points to, judged from its form alone: package, manifest, profile, store, page.

Fraud pages hand out Android packages (``.apk``), iOS enterprise installs
(``itms-services://?action=download-manifest&url=...``), configuration profiles
(``.mobileconfig``, which can install a root certificate or a web clip), TestFlight
invitations and store listings. Object storage often names the file only in a query
parameter (``?attname=loan.apk``), so query values are looked at too.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, unquote

from chaincut.facts.web import LinkKind
from chaincut.knowledge.platforms import Platform

EXTENSIONS: dict[str, LinkKind] = {
    ".apk": "apk",
    ".xapk": "apk",
    ".apks": "apk",
    ".apkm": "apk",
    ".ipa": "ipa",
    ".mobileconfig": "mobileconfig",
    ".mobileprovision": "mobileconfig",
    ".png": "image",
    ".jpg": "image",
    ".jpeg": "image",
    ".gif": "image",
    ".webp": "image",
    ".bmp": "image",
    ".svg": "image",
    ".ico": "image",
    ".js": "script",
    ".mjs": "script",
}
PAGE_EXTENSIONS = {".html", ".htm", ".php", ".asp", ".aspx", ".jsp", ".shtml", ".do", ".action"}
DOWNLOADS = {"apk", "ipa", "itms_services", "mobileconfig", "testflight"}
STORE_SCHEMES: dict[str, LinkKind] = {
    "itms-apps": "app_store",
    "itms-appss": "app_store",
    "market": "android_market",
    "itms-beta": "testflight",
}


def extension(path: str) -> str:
    """Lower-case extension of the last path segment ('' when none)."""
    last = unquote(path).rsplit("/", 1)[-1].lower()
    dot = last.rfind(".")
    return last[dot:] if dot > 0 else ""


def link_kind(
    scheme: str | None, host: str | None, path: str, query: str, platform: Platform | None
) -> LinkKind:
    """The kind of target, most specific first."""
    if scheme == "itms-services":
        return "itms_services"
    if scheme in STORE_SCHEMES:
        return STORE_SCHEMES[scheme]
    if scheme not in (None, "http", "https", "ftp"):
        return "other"
    by_file = _file_kind(path, query)
    if by_file is not None and by_file in DOWNLOADS:
        return by_file
    if platform is not None:
        if platform.kind == "testflight":
            return "testflight"
        if platform.kind == "app_store":
            if platform.id == "google_play":
                return "play_store"
            return "app_store" if platform.id == "apple_app_store" else "android_market"
    return by_file or "page"


def _file_kind(path: str, query: str) -> LinkKind | None:
    ext = extension(path)
    if ext in EXTENSIONS:
        return EXTENSIONS[ext]
    for _, value in parse_qsl(query[:2048], keep_blank_values=False):
        kind = EXTENSIONS.get(extension(value))
        if kind in DOWNLOADS:
            return kind
    if ext in PAGE_EXTENSIONS or not ext:
        return None
    return "other"


def itms_manifest(query: str) -> str | None:
    """The manifest URL of an ``itms-services://?action=download-manifest&url=...`` link."""
    for key, value in parse_qsl(query, keep_blank_values=False):
        if key.lower() == "url" and value:
            return value.strip()
    return None
