"""Ingest runs: counts, status and a cursor, so a killed run resumes where it stopped.

The cursor is the number of inputs (in input order) whose outcome is committed. A new
run over the same inputs (same fingerprint) whose predecessor never finished starts at
that cursor; everything before it is already in the store.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from chaincut.store.records import RunRecord
from chaincut.store.schema import Run
from chaincut.store.util import iso, utcnow


def fingerprint(inputs: Sequence[str]) -> str:
    return hashlib.sha256(json.dumps(list(inputs), ensure_ascii=False).encode()).hexdigest()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def start_run(
    session: Session, actor: str, inputs: Sequence[str], versions: tuple[str, str]
) -> RunRecord:
    """Open a run; resume from an interrupted run over the same inputs."""
    fp = fingerprint(inputs)
    host = socket.gethostname()[:200]
    cursor, resumed = 0, None
    previous = session.scalar(
        select(Run).where(Run.fingerprint == fp).order_by(Run.id.desc()).limit(1)
    )
    if previous is not None and previous.status in ("running", "interrupted"):
        if previous.status == "running" and previous.host == host and _alive(previous.pid):
            previous = None  # another ingest is busy with these inputs; start afresh
        else:
            previous.status = "interrupted"
            cursor, resumed = previous.cursor, previous.id
    run = Run(
        started_at=utcnow(), status="running", actor=actor, fingerprint=fp, inputs=list(inputs),
        total=len(inputs), new=0, existing=0, failed=0, cursor=cursor, resumed_from=resumed,
        pid=os.getpid(), host=host, knowledge_version=versions[0][:200],
        rules_version=versions[1][:200],
    )
    session.add(run)
    session.flush()
    return to_record(run)


RunProgress = tuple[int, int, int, int, int]  # run id, cursor, new, existing, failed


def update_run(
    session: Session, run_id: int, cursor: int, new: int, existing: int, failed: int,
    status: str | None = None,
) -> None:
    run = session.get(Run, run_id)
    if run is None:
        return
    run.cursor, run.new, run.existing, run.failed = cursor, new, existing, failed
    if status is not None:
        run.status = status
        run.finished_at = utcnow()


def to_record(run: Run) -> RunRecord:
    return RunRecord(
        id=run.id, started_at=iso(run.started_at) or "", finished_at=iso(run.finished_at),
        status=run.status,
        actor=run.actor, fingerprint=run.fingerprint, total=run.total, new=run.new,
        existing=run.existing, failed=run.failed, cursor=run.cursor,
        resumed_from=run.resumed_from,
    )


def list_runs(session: Session) -> list[RunRecord]:
    return [to_record(r) for r in session.scalars(select(Run).order_by(Run.id))]
