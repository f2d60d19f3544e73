"""Killing ingest at any moment loses nothing committed and leaves nothing half-written.

Ingest runs in a subprocess and is SIGKILLed at several points (while the store is being
created, and after some artifacts are committed); none of its extraction workers may
outlive it. After every kill the store must be
consistent: SQLite's integrity check passes, every artifact row has its blob with the
right hash, and no temp file sits under a blob name. A final run resumes (from the
interrupted run's cursor) and ends with the full set.
"""

from __future__ import annotations

import hashlib
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from tests.cli_helpers import FIXTURES
from tests.processes import assert_gone, children

APKS = sorted((FIXTURES / "apk").glob("*.apk"))
SHA_NAME = re.compile(r"^[0-9a-f]{64}$")
COPIES = 2


def _inputs(folder: Path) -> set[str]:
    """Distinct files: each fixture APK with a few different trailing bytes."""
    folder.mkdir()
    shas = set()
    for n in range(COPIES):
        for apk in APKS:
            data = apk.read_bytes() + b"\x00" * n
            (folder / f"{n}_{apk.name}").write_bytes(data)
            shas.add(hashlib.sha256(data).hexdigest())
    return shas


def _start(db: Path, inputs: Path) -> subprocess.Popen[bytes]:
    # one artifact per commit: a fast machine otherwise stores all 34 in one batch, and
    # the kill lands after the run is done instead of inside it
    return subprocess.Popen(
        [sys.executable, "-m", "chaincut", "ingest", "-q", "--jobs", "2", "--db",
         f"sqlite:///{db}", str(inputs)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        env={**os.environ, "CHAINCUT_INGEST_BATCH_ITEMS": "1"},
    )


def _count(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return int(conn.execute("SELECT count(*) FROM artifacts").fetchone()[0])
    except sqlite3.Error:
        return -1  # not created yet


def _kill_when(proc: subprocess.Popen[bytes], db: Path, artifacts: int) -> bool:
    """SIGKILL once ``artifacts`` rows are committed (-1: once the file exists); no
    extraction worker may outlive the killed driver."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if (db.exists() if artifacts < 0 else _count(db) >= artifacts):
            workers = children(proc.pid) if sys.platform.startswith("linux") else []
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            assert_gone(workers)
            return True
        time.sleep(0.01)
    proc.wait()
    return False


def _check_integrity(db: Path) -> set[str]:
    blobs = db.with_name(db.name + ".blobs")  # the store's own blobs folder
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        if "artifacts" not in tables:
            return set()
        rows = conn.execute("SELECT sha256, blob_path FROM artifacts").fetchall()
        logged = {r[0] for r in conn.execute("SELECT sha256 FROM custody_artifacts")}
    for sha, rel in rows:
        data = (blobs / rel).read_bytes()
        assert hashlib.sha256(data).hexdigest() == sha, f"blob of {sha} is damaged"
        assert sha in logged, f"{sha} stored without a custody entry"
    for path in blobs.rglob("*"):
        if path.is_file() and SHA_NAME.match(path.name):
            assert hashlib.sha256(path.read_bytes()).hexdigest() == path.name
        elif path.is_file():
            assert path.name.startswith(".tmp-"), f"unexpected file {path}"
    return {sha for sha, _ in rows}


def test_sigkill_at_any_point_then_resume(tmp_path: Path) -> None:
    expected = _inputs(tmp_path / "in")
    db = tmp_path / "store" / "chaincut.sqlite"
    killed_mid_run = 0
    stored: set[str] = set()
    for target in (-1, 6, 20):
        proc = _start(db, tmp_path / "in")
        killed_mid_run += _kill_when(proc, db, target)
        now = _check_integrity(db)
        assert stored <= now, "a kill lost committed artifacts"
        stored = now
    assert killed_mid_run >= 2, "ingest finished before it could be killed"
    final = subprocess.run(
        [sys.executable, "-m", "chaincut", "ingest", "--jobs", "2", "--db", f"sqlite:///{db}",
         str(tmp_path / "in")], capture_output=True, text=True, timeout=300,
    )
    assert final.returncode == 0, final.stderr
    assert "resumed run" in final.stderr
    assert _check_integrity(db) == expected
    with sqlite3.connect(db) as conn:
        runs = conn.execute("SELECT status, resumed_from, cursor, total FROM runs ORDER BY id")
        statuses = [r[0] for r in runs]
        last = conn.execute("SELECT status, cursor, total FROM runs ORDER BY id DESC").fetchone()
    assert statuses[-1] == "done" and "interrupted" in statuses
    assert last == ("done", len(expected), len(expected))
    assert os.listdir(db.with_name(db.name + ".blobs"))
