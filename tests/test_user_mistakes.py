"""A user's mistakes get one line, never a traceback, and never a wrong verdict (issue 12).

Missing extras, a report folder that is a file, Ctrl-C, a brand registry with a bad entry,
and a mistyped store URL: each is one clear line on stderr, with nothing made or half-written.
"""

from __future__ import annotations

import os
import select
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from chaincut.knowledge.brands import BrandError, load_registry
from chaincut.store.location import resolve_location, sqlite_blobs
from tests.cli_helpers import FIXTURES, run_cli
from tests.corpus import SHARED

APK = FIXTURES / "apk" / "labels_locales.apk"
CERT = "050842ca111d23019347fd242e3e0b5799da65cd2e678487bfa2a1861ee28320"


def _one_line(proc: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in proc.stderr, proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, proc.stderr
    return lines[0]


def _without(modules: tuple[str, ...], *args: str) -> subprocess.CompletedProcess[str]:
    """The CLI in a process where ``modules`` cannot be imported (as if not installed)."""
    code = (
        "import sys\n"
        f"sys.modules.update(dict.fromkeys({list(modules)!r}))\n"
        f"sys.argv = ['chaincut', *{list(args)!r}]\n"
        "from chaincut.cli.app import main\n"
        "main()\n"
    )
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300
    )


# -- missing extras -----------------------------------------------------------------------


def test_dask_without_dask_names_the_extra(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 's.sqlite'}"
    proc = _without(("dask", "distributed"), "ingest", str(APK), "--db", db, "--dask", "local")
    assert proc.returncode == 2
    assert "chaincut[dask]" in _one_line(proc)


def test_postgresql_without_a_driver_names_the_extra(tmp_path: Path) -> None:
    for command in (
        ["ingest", str(APK), "--blobs", str(tmp_path / "b")],
        ["chains", "--blobs", str(tmp_path / "b")],
    ):
        proc = _without(
            ("psycopg2", "psycopg"), *command, "--db", "postgresql://u@127.0.0.1:9/none"
        )
        assert proc.returncode == 2, proc.stderr
        assert "chaincut[postgres]" in _one_line(proc)
    assert not (tmp_path / "b").exists()


def test_readme_lists_the_extras() -> None:
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    for extra in ("chaincut[dask]", "chaincut[postgres]"):
        assert extra in readme


# -- scan --html ----------------------------------------------------------------------------


def test_scan_html_onto_a_file_is_one_line(tmp_path: Path) -> None:
    existing = tmp_path / "report.html"
    existing.write_text("keep me", encoding="utf-8")
    proc = run_cli("scan", str(APK), "--html", str(existing), "-q")
    assert proc.returncode == 2
    assert str(existing) in _one_line(proc)
    assert existing.read_text(encoding="utf-8") == "keep me"


# -- Ctrl-C ---------------------------------------------------------------------------------


def _interrupt(
    args: list[str], ready: Callable[[subprocess.Popen[str]], bool]
) -> subprocess.CompletedProcess[str]:
    """Start the CLI in its own process group and send SIGINT to the whole group, as a
    terminal's Ctrl-C does, once ``ready(proc)`` says the work is under way."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "chaincut", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        # a shell that started the tests in the background leaves SIGINT ignored, and a
        # program rightly keeps an inherited "ignore"; a terminal's Ctrl-C is not ignored
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None and not ready(proc):
        time.sleep(0.05)
    assert proc.poll() is None, "the command finished before it could be interrupted"
    os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def test_ctrl_c_during_scan_is_one_line_and_exit_130() -> None:
    first: list[bytes] = []

    def streaming(proc: subprocess.Popen[str]) -> bool:
        # raw reads: communicate() later reads the descriptor directly, so nothing may be
        # left behind in a text wrapper's buffer
        assert proc.stdout is not None
        if select.select([proc.stdout], [], [], 0)[0]:
            first.append(os.read(proc.stdout.fileno(), 1 << 16))
        return b"\n" in b"".join(first)

    folder = str(FIXTURES)
    proc = _interrupt(["scan", folder, folder, folder, "-f", "jsonl", "-j", "2"], streaming)
    assert proc.returncode == 130, proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if "skipped" not in ln and ln.strip()]
    assert lines == ["chaincut: error: interrupted"], proc.stderr
    assert "Traceback" not in proc.stderr
    for line in (b"".join(first).decode() + proc.stdout).splitlines():
        assert line.startswith("{") and line.rstrip().endswith("}")  # no half-written document


def test_ctrl_c_during_ingest_leaves_a_sound_store(tmp_path: Path) -> None:
    db = tmp_path / "s.sqlite"

    def storing(_proc: subprocess.Popen[str]) -> bool:
        if not db.exists():
            return False
        try:
            with sqlite3.connect(db, timeout=5) as conn:
                return bool(conn.execute("SELECT count(*) FROM artifacts").fetchone()[0])
        except sqlite3.Error:
            return False

    folder = str(FIXTURES)
    proc = _interrupt(["ingest", folder, "--db", f"sqlite:///{db}", "-j", "2", "-q"], storing)
    assert proc.returncode == 130, proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip() and "skipped" not in ln]
    assert lines == ["chaincut: error: interrupted"], proc.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        statuses = {r[0] for r in conn.execute("SELECT status FROM runs")}
    # "interrupted", or "running" when the signal cut the run's own bookkeeping write (the
    # next ingest resumes the run, tests/test_ingest_kill.py); "done" when the last batch
    # had committed and the signal landed in the linking that follows it
    assert statuses and statuses <= {"interrupted", "running", "done"}
    info = run_cli("store", "info", "--db", f"sqlite:///{db}")
    assert info.returncode == 0, info.stderr


# -- brand registry -------------------------------------------------------------------------


def _registry(tmp_path: Path, entry: str) -> Path:
    path = tmp_path / "brands.yaml"
    path.write_text(
        "brands:\n"
        "  - id: good_bank\n"
        "    names: [Good Bank]\n"
        "    category: banking\n" + entry,
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    ("entry", "line", "reason"),
    [
        (f"    certs: ['{CERT[:-2]}']\n", 5, "62 hex digits"),
        (f"    certs: ['{CERT[:-1]}x']\n", 5, "not hexadecimal"),
        ("    icons: [icons/missing.png]\n", 5, "'icons/missing.png' not found"),
        ("    team_ids: [abc]\n", 5, "team id"),
        ("  - id: other\n    names: [O]\n    category: bankin\n", 7, "category 'bankin'"),
    ],
)
def test_a_bad_registry_entry_is_refused_with_its_line(
    tmp_path: Path, entry: str, line: int, reason: str
) -> None:
    path = _registry(tmp_path, entry)
    with pytest.raises(BrandError, match=reason) as caught:
        load_registry([path])
    assert str(caught.value).startswith(f"{path}:{line}: brand ")
    proc = run_cli("scan", str(APK), "--brands", str(path), "-q")
    assert proc.returncode == 2
    assert _one_line(proc).endswith(str(caught.value))


def test_a_good_registry_with_certs_and_icons_loads(tmp_path: Path) -> None:
    (tmp_path / "icons").mkdir()
    (tmp_path / "icons" / "g.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    path = _registry(tmp_path, f"    certs: ['{CERT.upper()}']\n    icons: [icons/g.png]\n")
    brand = load_registry([path], default=False).brands["good_bank"]
    assert brand.certs == [CERT]
    assert brand.icons == [str(tmp_path / "icons" / "g.png")]


def test_unknown_keys_warn_with_the_closest_key_and_load(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _registry(tmp_path, "    sector: government\n    nmaes: [GB]\n")
    brand = load_registry([path], default=False).brands["good_bank"]
    assert brand.names == ["Good Bank"]
    lines = capsys.readouterr().err.splitlines()
    assert lines == [
        f"chaincut: {path}:5: brand 'good_bank': unknown key 'sector' ignored "
        "(did you mean 'category'?)",
        f"chaincut: {path}:6: brand 'good_bank': unknown key 'nmaes' ignored "
        "(did you mean 'names'?)",
    ]
    proc = run_cli("brands", "list", "--brands", str(path))
    assert proc.returncode == 0, proc.stderr
    assert "unknown key 'sector'" in proc.stderr and "Traceback" not in proc.stderr


def test_validation_world_registries_load() -> None:
    worlds = sorted((SHARED / "validation").glob("world-*/brands.yaml"))
    if not worlds:
        pytest.skip(f"no validation worlds under {SHARED / 'validation'}")
    for path in worlds:
        assert load_registry([path]).brands


# -- stores ---------------------------------------------------------------------------------


def test_readers_never_create_a_store(tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such" / "dir" / "x.sqlite"
    db = f"sqlite:///{missing}"
    for command in (
        ["chains"],
        ["chain", "ch-1"],
        ["suppliers"],
        ["cases", "--region", "GD"],
        ["export", "-f", "csv", "-o", str(tmp_path / "out")],
        ["store", "info"],
        ["store", "custody"],
    ):
        proc = run_cli(*command, "--db", db)
        assert proc.returncode == 2, (command, proc.stderr)
        assert str(missing) in _one_line(proc), command
    assert not (tmp_path / "no").exists()
    assert not (tmp_path / "out").exists()


def test_an_empty_store_is_named(tmp_path: Path) -> None:
    from chaincut.store import Store

    db = f"sqlite:///{tmp_path / 'empty.sqlite'}"
    Store.open(db).close()
    proc = run_cli("chains", "--db", db)
    assert proc.returncode == 2
    assert str(tmp_path / "empty.sqlite") in _one_line(proc)


def test_two_stores_in_one_folder_keep_their_own_blobs(tmp_path: Path) -> None:
    for name, path in (("a", APK), ("b", FIXTURES / "web" / "pages" / "loan_landing.html")):
        proc = run_cli("ingest", str(path), "--db", f"sqlite:///{tmp_path / name}.sqlite", "-q")
        assert proc.returncode == 0, proc.stderr
    assert not (tmp_path / "blobs").exists()
    a = {p.name for p in (tmp_path / "a.sqlite.blobs").rglob("*") if p.is_file()}
    b = {p.name for p in (tmp_path / "b.sqlite.blobs").rglob("*") if p.is_file()}
    assert a and b and not a & b


def test_a_store_made_before_keeps_its_shared_blobs(tmp_path: Path) -> None:
    db = tmp_path / "old.sqlite"
    db.write_bytes(b"")
    (tmp_path / "blobs").mkdir()
    assert sqlite_blobs(db) == tmp_path / "blobs"
    assert resolve_location(f"sqlite:///{db}").blobs == tmp_path / "blobs"
    assert sqlite_blobs(tmp_path / "new.sqlite") == tmp_path / "new.sqlite.blobs"


def test_an_interrupt_a_library_wraps_is_still_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Ctrl-C while pydantic serializes a result reaches the CLI as the library's own error
    (its serializer wraps the KeyboardInterrupt): still one line and exit 130."""
    import chaincut.cli.app as cli

    def wrapping_app() -> None:
        handler = signal.getsignal(signal.SIGINT)
        assert callable(handler)
        try:
            handler(signal.SIGINT, None)  # what Ctrl-C does inside the serializer
        except KeyboardInterrupt:
            raise RuntimeError("Error calling function: KeyboardInterrupt") from None

    def failing_app() -> None:
        raise RuntimeError("a real bug")

    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        monkeypatch.setattr(cli, "app", wrapping_app)
        with pytest.raises(SystemExit) as stop:
            cli.main()
        assert stop.value.code == 130
        assert capsys.readouterr().err.strip() == "chaincut: error: interrupted"
        signal.signal(signal.SIGINT, signal.default_int_handler)
        monkeypatch.setattr(cli, "app", failing_app)
        with pytest.raises(RuntimeError, match="a real bug"):  # no Ctrl-C: not hidden
            cli.main()
    finally:
        signal.signal(signal.SIGINT, previous)
