"""Processes seen through /proc (Linux): who are a driver's workers, and are they gone."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path


def _alive(pid: int) -> bool:
    """Running (a zombie waiting to be reaped has exited)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            state = fh.read().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False
    return state not in ("Z", "X")


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat_line = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat_line.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def wait_for_children(pid: int, count: int, seconds: float = 60) -> list[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        kids = [k for k in children(pid) if _alive(k)]
        if len(kids) >= count:
            return kids
        time.sleep(0.05)
    raise AssertionError(f"driver {pid} never started {count} workers")


def assert_gone(pids: list[int], seconds: float = 10) -> None:
    """Every pid has exited within ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and any(_alive(p) for p in pids):
        time.sleep(0.05)
    left = [p for p in pids if _alive(p)]
    for pid in left:  # do not leave them running when the assertion fails
        os.kill(pid, signal.SIGKILL)
    assert not left, f"workers {left} outlived their driver"
