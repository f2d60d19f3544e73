"""Code hidden under a harmless name: an asset called ``.jpg`` that is really an APK.

Droppers ship their second stage inside the package under a media or data name, then
copy it out and load or install it at run time; scanners that trust extensions never look
at it. Reading the first bytes of such entries is cheap, and a package, DEX or ELF file
behind a picture's name has no innocent reason to be there.
"""

from __future__ import annotations

from chaincut.extractors.findings import Findings
from chaincut.extractors.zip import ZipArchive, ZipEntry

CODES: dict[str, str] = {
    "disguised_payload": "an entry named like media or data holds a package, DEX or ELF code",
}

DISGUISE_SUFFIXES = (
    ".jpg", ".jpeg", ".png", ".gif", ".bmp", ".webp", ".ico", ".mp3", ".mp4", ".ogg",
    ".wav", ".amr", ".ttf", ".otf", ".txt", ".json", ".xml", ".html", ".db",
)  # fmt: skip
MAGICS: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "ZIP/APK/JAR"),
    (b"dex\n", "DEX"),
    (b"\x7fELF", "ELF"),
)
MIN_SIZE = 64  # shorter entries cannot hold code worth hiding
MAX_CHECKED = 2000  # bounds the cost on packages with huge asset trees


def _suspect(entry: ZipEntry) -> bool:
    name = entry.name.lower()
    return (
        name.endswith(DISGUISE_SUFFIXES)
        and name != "androidmanifest.xml"
        and not (name.startswith("res/") and name.endswith(".xml"))  # compiled binary XML
        and entry.uncompressed_size >= MIN_SIZE
    )


def _head(archive: ZipArchive, entry: ZipEntry) -> bytes:
    try:
        return archive.head(entry, 16)
    except Exception:
        return b""


def find_disguised(archive: ZipArchive, entries: list[ZipEntry], findings: Findings) -> int:
    """Report every disguised code entry; returns how many were found."""
    found = 0
    for entry in [e for e in entries if _suspect(e)][:MAX_CHECKED]:
        head = _head(archive, entry)
        for magic, what in MAGICS:
            if head.startswith(magic):
                detail = f"{what} named {entry.name}"
                findings.anomaly("disguised_payload", detail, entry=entry.name)
                found += 1
                break
    return found
