"""Every file of both corpora yields a document: partial facts, anomalies and errors filled in."""

from __future__ import annotations

from pathlib import Path

import pytest

from chaincut.extractors.budget import Budget, Job, extract_file, run_budgeted
from chaincut.facts.codes import all_codes
from tests.corpus import SHARED, corpus_dir

KNOWN_CODES = all_codes()

pytestmark = pytest.mark.corpus


def _all_files() -> list[Path]:
    root = SHARED / "corpus"
    return sorted(p for p in root.rglob("*") if p.is_file() and p.name != "MANIFEST.json")


ALL_FILES = _all_files()


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: str(p.relative_to(SHARED))[-60:])
def test_document_without_internal_errors(path: Path) -> None:
    doc = extract_file(Job(display=str(path), fspath=str(path)), keep_blobs=False).document
    assert doc.sha256 and doc.size == path.stat().st_size
    assert not [e for e in doc.errors if "internal error" in e], doc.errors
    unknown = {a.code for a in doc.anomalies} - set(KNOWN_CODES)
    assert not unknown, f"unregistered anomaly codes: {unknown}"
    if doc.kind == "apk":
        assert doc.apk is not None


def test_windows_executables_named_apk_are_recognised_by_content() -> None:
    malware = corpus_dir("malware")
    docs = [
        extract_file(Job(display=str(p), fspath=str(p)), keep_blobs=False).document
        for p in sorted(malware.glob("*.apk"))
    ]
    pe = [d for d in docs if d.format == "pe"]
    assert len(pe) == 3
    assert all(d.kind == "other" and d.errors for d in pe)


def test_unterminated_utf16_resource_string_still_gives_facts() -> None:
    """androguard raises on this sample; Android reads the string as null and goes on."""
    path = corpus_dir("malware") / (
        "30d7c91d2f91ddca2965e68936d4c924ea6d1f1edc9873f6d503a4071930b339.apk"
    )
    doc = extract_file(Job(display=str(path), fspath=str(path)), keep_blobs=False).document
    assert doc.apk is not None and doc.apk.package
    assert any(a.code == "stringpool_unterminated" for a in doc.anomalies)
    assert doc.apk.signing.certificates


def test_budgeted_run_over_malware_keeps_order() -> None:
    files = sorted(corpus_dir("malware").glob("*.apk"))[:12]
    jobs = [Job(display=str(p), fspath=str(p)) for p in files]
    docs = [r.document for r in run_budgeted(jobs, Budget(seconds=120), workers=2)]
    assert [d.path for d in docs] == [str(p) for p in files]
