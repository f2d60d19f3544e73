"""Engines for the store: SQLite tuned for a concurrent, crash-safe evidence store, and
PostgreSQL; the schema is brought to the newest Alembic revision on every open.

SQLite runs in WAL mode with foreign keys on and a busy timeout. Python's sqlite3 module
is put in autocommit mode and the store emits ``BEGIN`` itself, so that writers take the
write lock up front (``BEGIN IMMEDIATE``) and wait for it instead of failing half-way.
"""

from __future__ import annotations

from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import URL

from chaincut.store.util import json_serializer

SCRIPT_LOCATION = "chaincut.store:migrations"
BUSY_TIMEOUT_MS = 60_000
WRITE = {"sqlite_begin": "IMMEDIATE"}
PG_MIGRATION_LOCK = 0x63686169  # "chai": serialises concurrent first opens


def make_engine(url: URL) -> Engine:
    """An engine for ``url`` with the store's connection settings."""
    if url.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000},
                               json_serializer=json_serializer)
        _tune_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, json_serializer=json_serializer)


def _tune_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # the store emits BEGIN itself (see begin below)
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA synchronous=FULL")  # custody entries survive power loss too
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic configuration pointing at the migrations shipped in the package."""
    cfg = Config()
    cfg.set_main_option("script_location", SCRIPT_LOCATION)
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def known_revisions() -> frozenset[str]:
    """Every schema revision this version ships a migration for."""
    scripts = ScriptDirectory.from_config(alembic_config())
    return frozenset(s.revision for s in scripts.walk_revisions())


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, found: str | None = None) -> None:
    """Run ``alembic upgrade head`` unless the schema is already there (``found``: the
    revision the caller just read, to spare a second query)."""
    head = head_revision()
    if (found if found is not None else current_revision(engine)) == head:
        return
    with engine.execution_options(**WRITE).begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": PG_MIGRATION_LOCK})
        command.upgrade(alembic_config(conn), "head")
