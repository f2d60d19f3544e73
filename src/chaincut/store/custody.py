"""The evidence-custody log: who did what to which artifacts, when, with which versions.

Every write to the store (ingest, case import, edit, export, delete) adds an entry in the
same transaction as the change, so the log and the data never disagree.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from chaincut.store.records import ACTIONS, CustodyEntry
from chaincut.store.schema import CustodyArtifact, CustodyRow
from chaincut.store.util import clean_text, iso, utcnow

ACTOR_ENV = "CHAINCUT_ACTOR"


def current_actor(explicit: str | None = None) -> str:
    """``--actor``, else ``CHAINCUT_ACTOR``, else the OS user name."""
    if explicit:
        return explicit
    if env := os.environ.get(ACTOR_ENV):
        return env
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return f"uid:{os.getuid()}"


def add_entry(
    session: Session,
    actor: str,
    action: str,
    subject: str,
    details: dict[str, Any],
    artifacts: Sequence[str] = (),
) -> int:
    """Append one entry (in the caller's transaction); return its id."""
    if action not in ACTIONS:
        raise ValueError(f"unknown custody action {action!r}; one of {', '.join(ACTIONS)}")
    row = CustodyRow(
        at=utcnow(), actor=clean_text(actor), action=action, subject=clean_text(subject),
        details=details,
    )
    session.add(row)
    session.flush()
    for sha in sorted(set(artifacts)):
        session.add(CustodyArtifact(custody=row.id, sha256=sha))
    return row.id


def read_entries(session: Session, sha256: str | None = None) -> list[CustodyEntry]:
    """The log in order, or only the entries naming one artifact."""
    query = select(CustodyRow).order_by(CustodyRow.id)
    ids = select(CustodyArtifact.custody).where(CustodyArtifact.sha256 == sha256)
    if sha256 is not None:
        query = query.where(CustodyRow.id.in_(ids))
    rows = list(session.scalars(query))
    pairs = select(CustodyArtifact.custody, CustodyArtifact.sha256).order_by(
        CustodyArtifact.custody, CustodyArtifact.sha256
    )
    if sha256 is not None:
        pairs = pairs.where(CustodyArtifact.custody.in_(ids))
    links: dict[int, list[str]] = {}
    for custody_id, sha in session.execute(pairs) if rows else ():
        links.setdefault(custody_id, []).append(sha)
    return [
        CustodyEntry(
            id=r.id, at=iso(r.at) or "", actor=r.actor, action=r.action,
            subject=r.subject, details=r.details, artifacts=links.get(r.id, []),
        )
        for r in rows
    ]
