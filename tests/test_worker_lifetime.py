"""Workers never outlive their driver, and only regular files are read.

A driver (``run_pool`` in a subprocess, or ``chaincut ingest``/``scan``) is killed with
SIGKILL or SIGTERM while its workers are busy; every worker must be gone within a few
seconds. A named pipe given as input must not hang a run: it gets one failed document /
one clear line, within seconds, whatever ``--timeout`` says.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from chaincut.extractors.budget import Job, extract_file
from chaincut.extractors.regular import NotRegularFile, read_regular
from tests.cli_helpers import FIXTURES, jsonl, run_cli
from tests.processes import assert_gone, wait_for_children

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")

APK = FIXTURES / "apk" / "labels_locales.apk"

DRIVER = textwrap.dedent(
    """
    import sys, time
    from chaincut.extractors.budget import Budget, Job, run_pool

    def work(job):
        time.sleep(120)  # a worker busy with a slow file
        return job.display

    jobs = [Job(display=str(i), fspath="") for i in range(6)]
    for _ in run_pool(jobs, work, lambda job, why: why, Budget(seconds=300), workers=2):
        pass
    """
)


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_pool_workers_exit_with_their_driver(sig: signal.Signals) -> None:
    driver = subprocess.Popen([sys.executable, "-c", DRIVER])
    try:
        workers = wait_for_children(driver.pid, 2)
        driver.send_signal(sig)
        driver.wait(timeout=30)
        assert_gone(workers)
    finally:
        if driver.poll() is None:
            driver.kill()


@pytest.mark.parametrize("command", ["ingest", "scan"])
def test_cli_workers_exit_when_the_command_is_terminated(command: str, tmp_path: Path
                                                         ) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    for n in range(40):
        (inputs / f"{n}.apk").write_bytes(APK.read_bytes() + bytes([n]))
    extra = ["--db", f"sqlite:///{tmp_path / 's.sqlite'}"] if command == "ingest" else []
    driver = subprocess.Popen(
        [sys.executable, "-m", "chaincut", command, "-j", "2", *extra, str(inputs)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        workers = wait_for_children(driver.pid, 2)
        driver.send_signal(signal.SIGTERM)
        driver.wait(timeout=30)
        assert_gone(workers)
    finally:
        if driver.poll() is None:
            driver.kill()


def test_named_pipe_is_refused_not_read(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.apk"
    os.mkfifo(fifo)
    start = time.monotonic()
    with pytest.raises(NotRegularFile, match="named pipe"):
        read_regular(fifo)
    doc = extract_file(Job(display=str(fifo), fspath=str(fifo))).document
    assert any("named pipe" in e for e in doc.errors), doc.errors
    assert time.monotonic() - start < 5


def test_named_pipe_input_gets_one_line_not_a_hang(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.apk"
    os.mkfifo(fifo)
    start = time.monotonic()
    scan = run_cli("scan", "-f", "jsonl", "--timeout", "600", str(fifo), str(APK), timeout=120)
    docs = jsonl(scan.stdout)
    assert len(docs) == 2, scan.stderr
    assert "named pipe" in scan.stdout and "Traceback" not in scan.stderr
    ingest = run_cli("ingest", "--db", f"sqlite:///{tmp_path / 's.sqlite'}", str(fifo),
                     str(APK), timeout=120)
    assert ingest.returncode == 1
    lines = [line for line in ingest.stderr.splitlines() if "named pipe" in line]
    assert len(lines) == 1 and "cannot read" in lines[0], ingest.stderr
    assert "1 new" in ingest.stderr and "Traceback" not in ingest.stderr
    assert time.monotonic() - start < 100


def test_named_pipe_in_a_walked_folder_is_reported_as_skipped(tmp_path: Path) -> None:
    from chaincut.cli.inputs import collect

    (tmp_path / "app.apk").write_bytes(APK.read_bytes())
    os.mkfifo(tmp_path / "pipe.apk")
    found = collect([str(tmp_path)])
    assert [Path(j.fspath).name for j in found.jobs] == ["app.apk"]
    assert [Path(p).name for p in found.skipped] == ["pipe.apk"]
