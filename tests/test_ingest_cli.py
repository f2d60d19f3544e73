"""``chaincut ingest`` and ``chaincut store`` as a user runs them (subprocess, real CLI)."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

from typer.testing import CliRunner

from chaincut.cli.app import app
from tests.cli_helpers import FIXTURES, jsonl, run_cli

APKS = sorted((FIXTURES / "apk").glob("*.apk"))


def _db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'store' / 'chaincut.sqlite'}"


def _count(tmp_path: Path, table: str) -> int:
    with sqlite3.connect(tmp_path / "store" / "chaincut.sqlite") as conn:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_ingest_twice_is_idempotent_and_records_paths(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    for apk in APKS[:4]:
        (inputs / apk.name).write_bytes(apk.read_bytes())
    (inputs / "copy.apk").write_bytes(APKS[0].read_bytes())
    first = run_cli("ingest", "--db", _db(tmp_path), "--actor", "analyst-7", str(inputs))
    assert first.returncode == 0, first.stderr
    assert "ingest: 4 new, 1 already stored, 0 failed, 0 cases, 0 unresolved" in first.stderr
    again = run_cli("ingest", "--db", _db(tmp_path), str(inputs))
    assert again.returncode == 0
    assert "ingest: 0 new, 5 already stored, 0 failed" in again.stderr
    assert _count(tmp_path, "artifacts") == 4
    assert _count(tmp_path, "artifact_names") == 5  # the copy's path is kept
    info = run_cli("store", "info", "--db", _db(tmp_path), "--format", "json")
    stats = json.loads(info.stdout)
    # ten ingest entries, and one for the chain members linking re-judged the first time
    # (the second run re-judges nothing: the chains are the same)
    assert stats["artifacts"] == 4 and stats["runs"] == 2 and stats["custody_entries"] == 11
    assert stats["url"] == _db(tmp_path) and stats["schema_revision"]
    unknown = run_cli("store", "custody", "0" * 64, "--db", _db(tmp_path))
    assert unknown.returncode == 1 and "no custody entries" in unknown.stderr
    log = run_cli("store", "custody", _sha(APKS[0]), "--db", _db(tmp_path), "--format", "jsonl")
    entries = [e for e in jsonl(log.stdout) if e["action"] == "ingest"]
    assert [e["actor"] for e in entries][:2] == ["analyst-7", "analyst-7"]
    assert {e["subject"] for e in entries} == {str(inputs / APKS[0].name), str(inputs / "copy.apk")}
    assert {e["action"] for e in jsonl(log.stdout)} <= {"ingest", "edit"}


def test_cases_csv_ingests_named_files_and_reports_unresolved(tmp_path: Path) -> None:
    evidence = tmp_path / "case1"
    evidence.mkdir()
    (evidence / "from_victim.apk").write_bytes(APKS[1].read_bytes())
    stored_sha = _sha(APKS[0])
    csv = evidence / "cases.csv"
    csv.write_bytes(
        b"\xef\xbb\xbf" + (
            "case_id,region,reported_at,loss_amount,artifacts,notes\n"
            f"GD-1,广东,2024-05-01,5000,from_victim.apk;{stored_sha},\n"
            "GD-2,广东,2024-05-02,,https://unknown.example/app;lost.apk,note\n"
        ).encode()
    )
    proc = run_cli("ingest", "--db", _db(tmp_path), str(APKS[0]), "--cases", str(csv))
    assert proc.returncode == 0, proc.stderr
    # a reported link that nothing stored matches becomes a url artifact of its own
    assert "unresolved artifact 'https://unknown.example/app'" not in proc.stderr
    assert "unresolved artifact 'lost.apk': file not found" in proc.stderr
    assert "2 new, 0 already stored, 0 failed, 2 cases, 1 unresolved" in proc.stderr
    url_sha = hashlib.sha256(b"https://unknown.example/app").hexdigest()
    with sqlite3.connect(tmp_path / "store" / "chaincut.sqlite") as conn:
        refs = conn.execute(
            "SELECT c.case_id, a.reference, a.sha256 FROM case_artifacts a "
            "JOIN cases c ON c.id = a.case_pk ORDER BY c.case_id, a.ordinal"
        ).fetchall()
    assert refs == [
        ("GD-1", "from_victim.apk", _sha(APKS[1])),
        ("GD-1", stored_sha, stored_sha),
        ("GD-2", "https://unknown.example/app", url_sha),
        ("GD-2", "lost.apk", None),
    ]


def test_bad_csv_writes_nothing_and_exits_2(tmp_path: Path) -> None:
    csv = tmp_path / "cases.csv"
    csv.write_text(
        "case_id,region,reported_at,loss_amount,artifacts,notes\n"
        f"GD-1,广东,2024-05-01,5000,{APKS[0]},\n"
        "GD-2,广东,last tuesday,1,x.apk,\n"
        "GD-3,广东,2024-05-01,lots,x.apk,\n"
    )
    proc = run_cli("ingest", "--db", _db(tmp_path), str(APKS[1]), "--cases", str(csv))
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    errors = [ln for ln in proc.stderr.splitlines() if "error:" in ln]
    assert len(errors) == 2
    assert "line 3: bad reported_at" in errors[0] and "line 4: bad loss_amount" in errors[1]
    assert not (tmp_path / "store").exists()


def test_early_usage_errors_are_one_line(tmp_path: Path) -> None:
    """Errors found before any work (checked in-process: they never reach the store)."""
    runner = CliRunner()
    csv = tmp_path / "cases.csv"
    csv.write_text("case_id,notes\nX,y\n")
    cases = runner.invoke(app, ["ingest", "--db", _db(tmp_path), "--cases", str(csv)])
    assert cases.exit_code == 2
    assert "missing column(s): region, reported_at, artifacts" in cases.output
    nothing = runner.invoke(app, ["ingest", "--db", _db(tmp_path)])
    assert nothing.exit_code == 2 and "nothing to ingest" in nothing.output
    bad_db = runner.invoke(app, ["ingest", "--db", "mysql://x/y", str(APKS[0])])
    assert bad_db.exit_code == 2 and "unsupported database" in bad_db.output
    pg = runner.invoke(app, ["store", "info", "--db", "postgresql://u@127.0.0.1:1/x"])
    assert pg.exit_code == 2 and "--blobs" in pg.output
    assert not (tmp_path / "store").exists()


def test_missing_path_is_reported_and_the_rest_ingested(tmp_path: Path) -> None:
    missing = run_cli("ingest", "--db", _db(tmp_path), str(tmp_path / "nope.apk"), str(APKS[0]))
    assert missing.returncode == 1 and "path not found" in missing.stderr
    assert "Traceback" not in missing.stderr
    assert _count(tmp_path, "artifacts") == 1
