"""ZIP read the way Android's libziparchive reads it, with every trick reported."""

from chaincut.extractors.zip.reader import ZipArchive, ZipEntry, ZipEntryError, ZipFormatError

__all__ = ["ZipArchive", "ZipEntry", "ZipEntryError", "ZipFormatError"]
