"""Locate the shared corpora; skip with a clear message when they are absent."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def corpus_dir(name: str) -> Path:
    """``../shared/corpus/<name>`` or skip the test saying what is missing."""
    path = SHARED / "corpus" / name
    if not path.is_dir():
        pytest.skip(f"corpus folder {path} is absent (it ships in ../shared beside the repo)")
    return path


def corpus_files(name: str, pattern: str = "*.apk") -> list[Path]:
    """Sorted files of a corpus folder matching ``pattern``."""
    return sorted(corpus_dir(name).glob(pattern))


def malware_manifest() -> dict[str, object]:
    """The malware corpus MANIFEST.json (families and origins)."""
    data: dict[str, object] = json.loads((corpus_dir("malware") / "MANIFEST.json").read_text())
    return data
