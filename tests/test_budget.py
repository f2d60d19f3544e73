"""Per-file budgets: a file that hangs or eats memory costs its own document, nothing more."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from chaincut.extractors.base import Extracted, Extractor, Sample
from chaincut.extractors.budget import Budget, Job, run_budgeted
from chaincut.extractors.findings import Findings
from chaincut.plugins import get_plugin_manager, hookimpl


class HostileExtractor:
    """Claims files starting with HOSTILE and misbehaves as told by the next word."""

    name = "hostile"

    def sniff(self, sample: Sample) -> int:
        return 100 if sample.buf.startswith(b"HOSTILE") else 0

    def extract(self, sample: Sample, findings: Findings) -> Extracted:
        if b"SLEEP" in sample.buf:
            time.sleep(60)
        if b"EAT" in sample.buf:
            hog = [bytearray(64 * 1024 * 1024) for _ in range(200)]  # ~12 GB: over any budget
            findings.error(f"allocated {len(hog)}")
        if b"CRASH" in sample.buf:
            raise RuntimeError("reader bug")
        return Extracted(kind="other", format="hostile")


class HostilePlugin:
    @hookimpl
    def chaincut_extractors(self) -> list[Extractor]:
        return [HostileExtractor()]


@pytest.fixture
def hostile() -> Iterator[None]:
    pm = get_plugin_manager()
    plugin = HostilePlugin()
    pm.register(plugin, name="hostile-test")
    try:
        yield
    finally:
        pm.unregister(plugin)


def _files(tmp_path: Path, contents: list[bytes]) -> list[Job]:
    jobs = []
    for i, data in enumerate(contents):
        path = tmp_path / f"f{i}.bin"
        path.write_bytes(data)
        jobs.append(Job(display=str(path), fspath=str(path)))
    return jobs


def test_timeout_yields_a_document_and_the_run_goes_on(tmp_path: Path, hostile: None) -> None:
    jobs = _files(tmp_path, [b"HOSTILE SLEEP", b"HOSTILE fine", b"HOSTILE fine too"])
    started = time.monotonic()
    results = list(run_budgeted(jobs, Budget(seconds=2, memory_mb=2048), workers=2))
    assert time.monotonic() - started < 30
    docs = [r.document for r in results]
    assert [d.path for d in docs] == [j.display for j in jobs]
    assert "time budget" in docs[0].errors[0]
    assert docs[0].sha256 and docs[0].size == len(b"HOSTILE SLEEP")
    assert docs[1].format == "hostile" and not docs[1].errors


def test_memory_budget(tmp_path: Path, hostile: None) -> None:
    jobs = _files(tmp_path, [b"HOSTILE EAT", b"HOSTILE fine"])
    docs = [r.document for r in run_budgeted(jobs, Budget(seconds=60, memory_mb=1024), workers=1)]
    assert len(docs) == 2
    assert any("memory" in e for e in docs[0].errors), docs[0].errors
    assert docs[1].format == "hostile"


def test_reader_bug_is_recorded_not_raised(tmp_path: Path, hostile: None) -> None:
    jobs = _files(tmp_path, [b"HOSTILE CRASH"])
    (result,) = run_budgeted(jobs, Budget(seconds=30), workers=1)
    assert any("internal error RuntimeError: reader bug" in e for e in result.document.errors)


def test_unreadable_file(tmp_path: Path) -> None:
    job = Job(display="gone.apk", fspath=str(tmp_path / "gone.apk"))
    (result,) = run_budgeted([job], Budget(seconds=30), workers=1)
    assert result.document.errors and "cannot read" in result.document.errors[0]
