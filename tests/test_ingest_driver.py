"""The ingest driver in-process: rescans, resumption from a cursor, failures, Dask."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from chaincut.extractors.budget import Budget, Job
from chaincut.extractors.dispatch import ExtractionResult, failed_document
from chaincut.store import Store
from chaincut.store.ingest import Ingest, IngestOptions, extraction_failed
from chaincut.store.scanning import IngestScanner, fallback_scan
from chaincut.store.schema import Run
from tests.cli_helpers import FIXTURES

APKS = sorted((FIXTURES / "apk").glob("*.apk"))
SCANNER = IngestScanner(None, "kb:test", "rules:test", "tests use the fallback")


def _jobs(paths: list[Path]) -> list[Job]:
    return [Job(display=str(p), fspath=str(p)) for p in paths]


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(f"sqlite:///{tmp_path / 'store.sqlite'}", actor="tester")


def test_rescan_re_extracts_and_counts_as_existing(store: Store) -> None:
    jobs = _jobs(APKS[:2])
    first = Ingest(store, SCANNER, IngestOptions(workers=1)).run(jobs)
    assert (first.new, first.existing, first.failures) == (2, 0, [])
    plain = Ingest(store, SCANNER, IngestOptions(workers=1)).run(jobs)
    assert (plain.new, plain.existing) == (0, 2)
    rescan = Ingest(store, SCANNER, IngestOptions(workers=1, rescan=True)).run(jobs)
    assert (rescan.new, rescan.existing) == (0, 2)
    rescanned = [e for e in store.custody() if e.details.get("extractor")]
    assert len(rescanned) == 4  # extracted twice each; the plain re-run only noted paths


def test_resumes_from_an_interrupted_runs_cursor(store: Store) -> None:
    jobs = _jobs(APKS[:5])
    inputs = [str(Path(j.fspath).resolve()) for j in jobs]
    dead = store.start_run(inputs, ("kb", "rules"))
    store.update_run(dead.id, 2, 2, 0, 0)
    with Session(store.engine) as session, session.begin():
        row = session.get(Run, dead.id)
        assert row is not None
        row.pid = 2**30  # no such process: the run was killed
    summary = Ingest(store, SCANNER, IngestOptions(workers=1)).run(jobs)
    assert summary.resumed_from == dead.id and summary.resumed_at == 2
    assert summary.new == 3
    shas = {a.sha256 for a in store.iter_artifacts()}
    assert len(shas) == 3  # the two inputs before the cursor were not touched again
    statuses = [(r.status, r.cursor) for r in store.runs()]
    assert statuses == [("interrupted", 2), ("done", 5)]


def test_failed_extractions_are_reported_not_stored(store: Store) -> None:
    jobs = _jobs(APKS[:2])
    tight = IngestOptions(budget=Budget(seconds=1e-6, keep_blobs=True), workers=1)
    summary = Ingest(store, SCANNER, tight).run(jobs)
    assert summary.new == 0 and len(summary.failures) == 2
    assert "time budget" in summary.failures[0].reason
    assert list(store.iter_artifacts()) == []
    retry = Ingest(store, SCANNER, IngestOptions(workers=1)).run(jobs)
    assert retry.new == 2 and retry.failures == []


def test_extraction_failed_tells_placeholders_from_documents() -> None:
    failed = ExtractionResult(failed_document("x.apk", b"abc", "time budget exceeded"))
    assert extraction_failed(failed) == "time budget exceeded"
    unreadable = ExtractionResult(failed_document("x.apk", None, "cannot read"))
    assert extraction_failed(unreadable) == "cannot read"
    ok = failed.document.model_copy(update={"elapsed_ms": 1.0})
    assert extraction_failed(ExtractionResult(ok)) is None
    scan = fallback_scan(ExtractionResult(ok))
    assert scan.verdict == "unknown" and "fallback" in scan.summary


def test_dask_local_cluster_gives_the_same_store(tmp_path: Path) -> None:
    pytest.importorskip("distributed", reason="dask[distributed] is not installed")
    jobs = _jobs(APKS[:3])
    scanner = IngestScanner.load()  # what each Dask worker loads for itself
    with Store.open(f"sqlite:///{tmp_path / 'plain.sqlite'}") as plain:
        Ingest(plain, scanner, IngestOptions(workers=1)).run(jobs)
        expected = [(a.sha256, a.kind, a.indicators) for a in plain.iter_artifacts()]
    with Store.open(f"sqlite:///{tmp_path / 'dask.sqlite'}") as store:
        summary = Ingest(store, scanner, IngestOptions(workers=2, dask="local")).run(jobs)
        assert summary.new == 3 and summary.failures == []
        got = [(a.sha256, a.kind, a.indicators) for a in store.iter_artifacts()]
        order = [e.subject for e in store.custody()]
    assert got == expected
    assert order == [str(Path(j.fspath).resolve()) for j in jobs]  # written in input order


def test_columns_encoded_in_workers_are_stored_as_sqlalchemy_would(store: Store) -> None:
    """Workers encode the facts and result JSON; the writer passes the text through, so
    the stored text is exactly ``json.dumps`` of the documents and reads back as them."""
    import json

    from sqlalchemy import select, text

    from chaincut.store.schema import Artifact
    from chaincut.store.util import json_serializer, json_text

    value = {"a": [1, "é", None], "b": {"c": 2.5}}
    assert json_serializer(json_text(value)) == json.dumps(value) == json_serializer(value)
    summary = Ingest(store, SCANNER, IngestOptions(workers=1)).run(_jobs(APKS[:3]))
    assert summary.new == 3
    with Session(store.engine) as session:
        rows = session.execute(select(Artifact.sha256, Artifact.facts, Artifact.result)).all()
        raw = {s: f for s, f in session.execute(text("SELECT sha256, facts FROM artifacts"))}
        run = session.scalars(select(Run)).one()
    assert len(rows) == 3 and (run.cursor, run.new, run.status) == (3, 3, "done")
    for sha, facts, result in rows:
        assert facts["sha256"] == sha and isinstance(result, dict)
        assert raw[sha] == json.dumps(facts)  # text, not a JSON string of the text
