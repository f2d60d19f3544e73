"""The analysis queue: one row per submitted file or link, in the store's database.

Request handlers only enqueue (the file is already in the spool, kept inert) and read
job rows; the analysis runner (:mod:`chaincut.web.runner`) claims queued jobs in order
and writes the answer back. A job left ``running`` by a server that stopped is queued
again when the next runner starts, so nothing submitted is lost by a restart.
"""

from __future__ import annotations

import secrets
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session

from chaincut.result.models import ScanResult
from chaincut.store.engine import WRITE
from chaincut.store.schema_web import WebJob
from chaincut.store.util import iso, utcnow

MAX_ATTEMPTS = 3  # a job whose runner died this often is failed, not retried forever


class Known(BaseModel):
    """What the store already knows about the artifact, without any case detail."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    linked: bool = True  # False: the store's chains were not built yet, counts unknown
    stored: bool = False  # this very artifact is in the store
    chains: int = 0  # chains it belongs to or shares infrastructure with
    regions: int = 0  # provinces where those chains were reported
    cases: int = 0


class Answer(BaseModel):
    """What the runner wrote for a job: every scan result (a link gives several)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    results: list[ScanResult]
    primary: int = 0  # index of the result the plain-words answer is about
    known: Known = Known()
    labels: list[str | None] = Field(default_factory=list)  # what each calls itself
    ingested: list[str] = Field(default_factory=list)  # sha256 added to the store


class JobView(BaseModel):
    """A job as the API shows it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    status: str  # queued, running, done, failed
    source: str
    created_at: str
    finished_at: str | None = None
    ahead: int = 0  # queued jobs before this one
    error: str | None = None
    answer: Answer | None = None
    has_icon: bool = False


def new_job_id() -> str:
    return secrets.token_urlsafe(16)


def _write(engine: Engine) -> Session:
    return Session(engine.execution_options(**WRITE))


def enqueue(
    engine: Engine,
    job_id: str,
    *,
    source: str,
    url: str | None,
    spool: str | None,
    size: int,
    actor: str | None,
    ingest: bool,
) -> None:
    with _write(engine) as session, session.begin():
        session.add(WebJob(id=job_id, status="queued", source=source[:2000], url=url,
                           spool=spool, size=size, actor=actor, ingest=ingest, attempts=0,
                           created_at=utcnow()))  # fmt: skip


def get_job(engine: Engine, job_id: str) -> JobView | None:
    with Session(engine) as session:
        job = session.get(WebJob, job_id)
        if job is None:
            return None
        ahead = 0
        if job.status == "queued":
            ahead = int(
                session.scalar(
                    select(func.count())
                    .select_from(WebJob)
                    .where(WebJob.status == "queued", WebJob.created_at < job.created_at)
                )
                or 0
            )
        return JobView(
            id=job.id,
            status=job.status,
            source=job.source,
            created_at=iso(job.created_at) or "",
            finished_at=iso(job.finished_at),
            ahead=ahead,
            error=job.error,
            answer=Answer.model_validate(job.answer) if job.answer else None,
            has_icon=job.icon is not None,
        )


def job_icon(engine: Engine, job_id: str) -> str | None:
    with Session(engine) as session:
        job = session.get(WebJob, job_id)
        return job.icon if job is not None else None


def claim(engine: Engine) -> WebJob | None:
    """Take the oldest queued job (running, attempt counted); a detached copy, or None."""
    with _write(engine) as session, session.begin():
        query = select(WebJob).where(WebJob.status == "queued").order_by(WebJob.created_at)
        if engine.dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        job = session.scalars(query.limit(1)).first()
        if job is None:
            return None
        job.status, job.started_at, job.attempts = "running", utcnow(), job.attempts + 1
        session.flush()
        session.expunge(job)
        return job


def finish(
    engine: Engine, job_id: str, answer: dict[str, Any] | None, icon: str | None, error: str | None
) -> None:
    with _write(engine) as session, session.begin():
        job = session.get(WebJob, job_id)
        if job is None:
            return
        job.status = "failed" if answer is None else "done"
        job.answer, job.icon, job.error, job.finished_at = answer, icon, error, utcnow()


def requeue_stale(engine: Engine) -> int:
    """Queue again the jobs a stopped runner left running (failed after MAX_ATTEMPTS)."""
    with _write(engine) as session, session.begin():
        session.execute(
            update(WebJob).where(WebJob.status == "running", WebJob.attempts >= MAX_ATTEMPTS)
            .values(status="failed", error="analysis stopped repeatedly; not retried",
                    finished_at=utcnow())
        )  # fmt: skip
        result = session.execute(
            update(WebJob).where(WebJob.status == "running").values(status="queued")
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]


def queued(engine: Engine) -> int:
    with Session(engine) as session:
        return int(
            session.scalar(
                select(func.count()).select_from(WebJob).where(WebJob.status == "queued")
            )
            or 0
        )
