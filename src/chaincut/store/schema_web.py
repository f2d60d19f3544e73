"""The web face's tables: users, sessions, API tokens, the analysis job queue and the
chain sets built for a store generation (shared by every server process and restart).

They live in the store's database (and its Alembic history) so that ``chaincut serve``
needs nothing beside the store, and queued jobs survive a restart. Secrets are never
kept: sessions and tokens are stored as the sha256 of the value handed out, passwords as
argon2 hashes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from chaincut.store.schema import SHA, Base, UtcDateTime


class WebUser(Base):
    __tablename__ = "web_users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))  # admin, analyst, viewer
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)


class WebSession(Base):
    """A signed-in browser: the cookie's sha256, its CSRF token and when it ends."""

    __tablename__ = "web_sessions"

    digest: Mapped[str] = mapped_column(SHA, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("web_users.id", ondelete="CASCADE"), index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class WebToken(Base):
    """An API token for scripts: revocable, optionally expiring, acting as its user."""

    __tablename__ = "web_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    digest: Mapped[str] = mapped_column(SHA, unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("web_users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    last_used: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class WebJob(Base):
    """One queued analysis: an uploaded file (kept inert in the spool) or a pasted link."""

    __tablename__ = "web_jobs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    status: Mapped[str] = mapped_column(String(16), index=True)  # queued/running/done/failed
    source: Mapped[str] = mapped_column(Text)  # file name as uploaded, or the URL
    url: Mapped[str | None] = mapped_column(Text)
    spool: Mapped[str | None] = mapped_column(String(200))  # file name in the spool directory
    size: Mapped[int] = mapped_column(Integer, default=0)
    actor: Mapped[str | None] = mapped_column(String(100))  # None: the anonymous public check
    ingest: Mapped[bool] = mapped_column(Boolean, default=False)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)
    started_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    answer: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # results + store knowledge
    icon: Mapped[str | None] = mapped_column(String(200))  # icon file name in the spool
    error: Mapped[str | None] = mapped_column(Text)


class WebChainSet(Base):
    """The chains linked from the store as of one generation (the id of the last custody
    entry that changed the store), zlib-compressed JSON of a ChainSet. A row without data
    is a build in progress, claimed by ``builder`` since ``started_at``."""

    __tablename__ = "web_chain_sets"

    generation: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    builder: Mapped[str] = mapped_column(String(100))
    started_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    built_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    data: Mapped[bytes | None] = mapped_column(LargeBinary)
