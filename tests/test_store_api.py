"""The store's public API, run on SQLite and on a real PostgreSQL server alike."""

from __future__ import annotations

import hashlib
import stat
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from chaincut.extractors.budget import Job, extract_file
from chaincut.extractors.dispatch import ExtractionResult
from chaincut.facts.models import Location
from chaincut.facts.web import FetchFacts
from chaincut.result.models import ResultIndicator, ScanResult
from chaincut.store import CaseRow, Store
from chaincut.store.engine import head_revision
from chaincut.store.scanning import fallback_scan
from chaincut.store.writer import prepare
from tests.cli_helpers import FIXTURES
from tests.store_pg import pg_server

APKS = FIXTURES / "apk"


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "sqlite":
        opened = Store.open(f"sqlite:///{tmp_path / 'db' / 'store.sqlite'}", actor="tester")
    else:
        opened = Store.open(pg_server().new_database(), tmp_path / "blobs", actor="tester")
    yield opened
    opened.close()


def extracted(name: str) -> tuple[ExtractionResult, bytes]:
    path = APKS / name
    return extract_file(Job(display=str(path), fspath=str(path))), path.read_bytes()


def scanned(result: ExtractionResult, **update: object) -> ScanResult:
    return fallback_scan(result).model_copy(update=update)


def test_add_result_is_idempotent_and_keeps_every_path(store: Store) -> None:
    result, raw = extracted("v2v3.apk")
    sha = result.document.sha256
    assert not store.has(sha)
    assert store.add_result(result, scanned(result), "/evidence/a/bank.apk", raw) is True
    assert store.add_result(result, scanned(result), "/evidence/b/copy.apk", raw) is False
    assert store.has(sha)
    art = store.artifact(sha)
    assert art is not None
    assert [n.value for n in art.names] == ["/evidence/a/bank.apk", "/evidence/b/copy.apk"]
    assert art.size == len(raw) and art.kind == "apk"
    assert art.facts.sha256 == sha and art.result.sha256 == sha
    assert art.first_seen <= art.last_seen
    assert len(list(store.iter_artifacts())) == 1


def test_a_batch_writes_like_one_artifact_at_a_time(store: Store) -> None:
    """One transaction for many artifacts: a file seen twice in the batch is new once and
    its second sighting's judgement wins, every item has its custody entry in order."""
    a, raw_a = extracted("v1_only.apk")
    b, raw_b = extracted("v2v3.apk")
    first = [ResultIndicator(kind="domain", value="old.example", role="server")]
    second = [ResultIndicator(kind="domain", value="new.example"),
              ResultIndicator(kind="ip", value="203.0.113.9")]
    flags = store.add_prepared([
        (prepare(a, scanned(a, indicators=first)), "one/a.apk", raw_a),
        (prepare(b, scanned(b)), "b.apk", raw_b),
        (prepare(a, scanned(a, indicators=second, verdict="malicious")), "two/a.apk", raw_a),
    ])
    assert flags == [True, True, False]
    art = store.artifact(a.document.sha256)
    assert art is not None and art.result.verdict == "malicious"
    assert [n.value for n in art.names] == ["one/a.apk", "two/a.apk"]
    record = next(r for r in store.iter_artifacts() if r.sha256 == a.document.sha256)
    assert [i.value for i in record.indicators] == ["new.example", "203.0.113.9"]
    log = store.custody()
    assert [(e.subject, e.details["new"]) for e in log] == [
        ("one/a.apk", True), ("b.apk", True), ("two/a.apk", False)]
    assert all(e.artifacts == [e.details["sha256"]] for e in log)
    assert store.blobs.verify(a.document.sha256) and store.blobs.verify(b.document.sha256)


def test_blob_is_content_addressed_read_only_and_intact(store: Store) -> None:
    result, raw = extracted("labels_locales.apk")
    store.add_result(result, scanned(result), "x.apk", raw)
    art = store.artifact(result.document.sha256)
    assert art is not None and art.blob_path is not None
    blob = Path(art.blob_path)
    sha = result.document.sha256
    assert blob.relative_to(store.blobs.root).parts == (sha[:2], sha[2:4], sha)
    assert hashlib.sha256(blob.read_bytes()).hexdigest() == sha
    mode = stat.S_IMODE(blob.stat().st_mode)
    assert mode == 0o444 and not mode & 0o111
    for icon in art.icons:  # icon blobs the extractor returned are kept too
        assert store.blobs.verify(icon)
    assert art.icons == sorted(result.blobs)


def test_changed_bytes_are_refused_and_nothing_is_stored(store: Store) -> None:
    result, raw = extracted("v1_only.apk")
    with pytest.raises(ValueError, match="sha256 differs"):
        store.add_result(result, scanned(result), "x.apk", raw + b"tampered")
    assert not store.has(result.document.sha256)
    assert store.custody() == []


def test_indicators_round_trip_with_role_common_location_and_verified(store: Store) -> None:
    result, raw = extracted("v1_only.apk")
    long_url = "https://pay.example.cn/" + "a" * 5000
    indicators = [
        ResultIndicator(kind="cert_sha256", value="ab" * 32, role="developer", verified=False),
        ResultIndicator(kind="domain", value="cdn.example.com", role="server", common=True,
                        location=Location(entry="assets/index.html", offset=12)),
        ResultIndicator(kind="url", value=long_url, role="payment"),
        ResultIndicator(kind="domain", value="cdn.example.com", role="server",
                        location=Location(entry="classes.dex")),
    ]
    store.add_result(result, scanned(result, indicators=indicators, verdict="suspicious",
                                     score=55, category="banking"), "x.apk", raw)
    (record,) = store.iter_artifacts()
    assert record.indicators == indicators
    assert (record.verdict, record.score, record.category) == ("suspicious", 55, "banking")
    assert record.first_seen is not None and record.first_seen.endswith("+00:00")
    # a second artifact sharing an indicator reuses the indicator row
    other, raw2 = extracted("v2v3.apk")
    store.add_result(other, scanned(other, indicators=indicators[:1]), "y.apk", raw2)
    assert store.stats().indicators == 3


def test_rescan_replaces_the_judgement_not_the_history(store: Store) -> None:
    result, raw = extracted("v1_only.apk")
    first = [ResultIndicator(kind="domain", value="old.example")]
    store.add_result(result, scanned(result, indicators=first), "x.apk", raw)
    second = [ResultIndicator(kind="domain", value="new.example")]
    store.add_result(result, scanned(result, indicators=second, verdict="malicious",
                                     score=90), "x.apk", raw)
    (record,) = store.iter_artifacts()
    assert [i.value for i in record.indicators] == ["new.example"]
    assert record.verdict == "malicious"
    assert len(store.custody(result.document.sha256)) == 2


def test_hostile_text_is_stored_on_every_backend(store: Store) -> None:
    result, raw = extracted("v1_only.apk")
    ind = [ResultIndicator(kind="email", value="a\x00b\udcffc@example.com")]
    store.add_result(result, scanned(result, indicators=ind), "evil\x00name.apk", raw)
    (record,) = store.iter_artifacts()
    assert "\x00" not in record.indicators[0].value


def test_resolve_paths_urls_and_hashes(store: Store, tmp_path: Path) -> None:
    result, raw = extracted("v2v3.apk")
    sha = result.document.sha256
    fetched_doc = result.document.model_copy(update={"fetch": FetchFacts(
        requested="http://dl.example.cn/app", final_url="https://cdn.example.cn/app.apk")})
    fetched = ExtractionResult(fetched_doc, result.blobs)
    store.add_result(fetched, scanned(fetched), "http://dl.example.cn/app", raw)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "copy.apk").write_bytes(raw)
    (tmp_path / "other.bin").write_bytes(b"not stored")
    assert store.resolve("sub/copy.apk", tmp_path) == sha
    assert store.resolve(str(tmp_path / "sub" / "copy.apk"), Path("/")) == sha
    assert store.resolve(sha.upper(), tmp_path) == sha
    assert store.resolve("https://cdn.example.cn/app.apk", tmp_path) == sha
    assert store.resolve("http://dl.example.cn/app/", tmp_path) == sha
    assert store.resolve("other.bin", tmp_path) is None
    assert store.resolve("missing.apk", tmp_path) is None
    assert store.resolve("https://never.example/", tmp_path) is None
    assert store.resolve("0" * 64, tmp_path) is None


def test_url_artifact_resolves_by_the_hash_of_its_string(store: Store) -> None:
    result, _raw = extracted("v1_only.apk")
    url = "https://fake-bank.example/download"
    url_sha = hashlib.sha256(url.encode()).hexdigest()
    doc = result.document.model_copy(update={"sha256": url_sha, "path": url})
    store.add_result(ExtractionResult(doc), scanned(ExtractionResult(doc)), url, None)
    assert store.resolve(url, Path(".")) == url_sha
    art = store.artifact(url_sha)
    assert art is not None and art.blob_path is None  # a URL has no bytes to keep
    assert [(n.kind, n.value) for n in art.names] == [("url", url)]


def _row(line: int, case_id: str, refs: list[str], **kw: object) -> CaseRow:
    return CaseRow(line=line, case_id=case_id, region=str(kw.get("region", "广东")),
                   reported_at="2024-05-01", loss_amount=Decimal("1200.50"), artifacts=refs)


def test_cases_import_update_and_unresolved_are_kept(store: Store, tmp_path: Path) -> None:
    result, raw = extracted("v2v3.apk")
    sha = result.document.sha256
    store.add_result(result, scanned(result), "x.apk", raw)
    rows = [_row(2, "GD-1", [sha, "nope.apk"]), _row(3, "GD-1", ["https://x.example/"],
                                                          region="Beijing")]
    first = store.add_cases(rows, str(tmp_path / "cases.csv"))
    assert (first.added, first.updated) == (2, 0)
    assert [(u.case_id, u.region, u.ref) for u in first.unresolved] == [
        ("GD-1", "广东", "nope.apk"), ("GD-1", "Beijing", "https://x.example/")]
    cases = {(c.region, c.case_id): c for c in store.iter_cases()}
    gd = cases[("广东", "GD-1")]
    assert gd.artifacts == [sha] and gd.unresolved == ["nope.apk"]
    assert gd.loss_amount == 1200.5 and gd.reported_at == "2024-05-01"
    again = store.add_cases([_row(2, "GD-1", [sha])], str(tmp_path / "cases.csv"))
    assert (again.added, again.updated, again.unresolved) == (0, 1, [])
    gd = {(c.region, c.case_id): c for c in store.iter_cases()}[("广东", "GD-1")]
    assert gd.unresolved == []
    entry = [e for e in store.custody() if e.action == "case-import"][-1]
    assert entry.artifacts == [sha] and entry.actor == "tester"


def test_custody_log_filters_by_artifact_and_checks_actions(store: Store) -> None:
    a, raw_a = extracted("v1_only.apk")
    b, raw_b = extracted("v2v3.apk")
    store.add_result(a, scanned(a), "a.apk", raw_a)
    store.add_result(b, scanned(b), "b.apk", raw_b)
    store.log("export", "chains.json", {"format": "json"}, [a.document.sha256])
    with pytest.raises(ValueError, match="unknown custody action"):
        store.log("launder", "x", {})
    entries = store.custody(a.document.sha256)
    assert [e.action for e in entries] == ["ingest", "export"]
    ingest = entries[0]
    assert ingest.details["sha256"] == a.document.sha256
    assert ingest.details["knowledge_version"] and ingest.details["rules_version"]
    assert ingest.at.endswith("+00:00") and ingest.actor == "tester"
    assert len(store.custody()) == 3


def test_stats_and_runs(store: Store) -> None:
    a, raw = extracted("v1_only.apk")
    store.add_result(a, scanned(a), "a.apk", raw)
    run = store.start_run(["/a.apk"], ("kb:1", "rules:1"))
    store.update_run(run.id, 1, 1, 0, 0, "done")
    stats = store.stats()
    assert stats.artifacts == 1 and stats.by_kind == {"apk": 1}
    assert stats.by_verdict == {"unknown": 1} and stats.runs == 1
    assert stats.schema_revision == head_revision() and stats.blob_files >= 1
    (done,) = store.runs()
    assert (done.status, done.cursor, done.new) == ("done", 1, 1)
