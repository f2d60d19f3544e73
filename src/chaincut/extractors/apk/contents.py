"""What an APK carries besides code and manifest: native libraries, entries, text assets."""

from __future__ import annotations

import re
from collections.abc import Iterator

from chaincut.extractors.zip import ZipArchive, ZipEntry
from chaincut.facts.models import EntryFacts

DEX_NAME = re.compile(r"^classes\d*\.dex$")
NATIVE_LIB = re.compile(r"^lib/([^/]+)/[^/]+\.so$")
TEXT_SUFFIXES = (
    ".json", ".js", ".html", ".htm", ".xml", ".properties", ".txt", ".conf", ".cfg", ".ini",
    ".yaml", ".yml", ".config", ".plist",
)  # fmt: skip
TEXT_PREFIXES = ("assets/", "res/raw/", "")  # "" = archive root (config files at top level)
MAX_TEXT_ENTRY = 2 * 1024 * 1024
MAX_TEXT_TOTAL = 16 * 1024 * 1024
MAX_ENTRIES_LISTED = 20_000


def unique_entries(archive: ZipArchive) -> list[ZipEntry]:
    """Entries as Android sees them: the first of each name."""
    seen: set[str] = set()
    out: list[ZipEntry] = []
    for e in archive.entries:
        if e.name not in seen:
            seen.add(e.name)
            out.append(e)
    return out


def dex_entries(entries: list[ZipEntry]) -> list[ZipEntry]:
    """classes.dex, classes2.dex, ... in the order Android loads them."""
    found = [e for e in entries if DEX_NAME.match(e.name)]
    return sorted(found, key=lambda e: int(e.name[7:-4] or 1))


def native_libs(entries: list[ZipEntry]) -> tuple[list[str], list[str]]:
    """(library paths, ABIs) for lib/<abi>/*.so entries."""
    libs = [e.name for e in entries if NATIVE_LIB.match(e.name)]
    abis = sorted({m.group(1) for name in libs if (m := NATIVE_LIB.match(name))})
    return libs, abis


def entry_facts(entries: list[ZipEntry]) -> list[EntryFacts]:
    return [
        EntryFacts(
            name=e.name,
            size=e.uncompressed_size,
            compressed_size=e.compressed_size,
            method=e.method,
            crc32=e.crc32,
        )
        for e in entries[:MAX_ENTRIES_LISTED]
    ]


def text_assets(entries: list[ZipEntry]) -> Iterator[ZipEntry]:
    """Text-like entries worth scanning for indicators, within the size caps."""
    total = 0
    for e in entries:
        name = e.name.lower()
        if not name.endswith(TEXT_SUFFIXES) or name == "androidmanifest.xml":
            continue
        if name.startswith("res/") and not name.startswith("res/raw/"):
            continue  # compiled binary XML; its strings live in resources.arsc
        if e.uncompressed_size > MAX_TEXT_ENTRY or total + e.uncompressed_size > MAX_TEXT_TOTAL:
            continue
        total += e.uncompressed_size
        yield e
