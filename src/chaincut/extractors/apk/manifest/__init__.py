"""Manifest facts from the decoded AndroidManifest.xml tree."""

from chaincut.extractors.apk.manifest.facts import ManifestFacts
from chaincut.extractors.apk.manifest.reader import read_manifest

__all__ = ["ManifestFacts", "read_manifest"]
