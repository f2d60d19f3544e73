"""The shipped Alembic migrations build exactly the ORM schema, on SQLite and PostgreSQL."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from chaincut.store import Store
from chaincut.store.engine import WRITE, alembic_config, current_revision, head_revision
from chaincut.store.schema import Base
from tests.store_pg import pg_server


def _url(backend: str, tmp_path: Path) -> tuple[str, Path | None]:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite'}", None
    return pg_server().new_database(), tmp_path / "blobs"


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_migration_matches_orm_metadata(backend: str, tmp_path: Path) -> None:
    url, blobs = _url(backend, tmp_path)
    with Store.open(url, blobs) as store:
        with store.engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(ctx, Base.metadata) == []
        assert current_revision(store.engine) == head_revision()
        tables = set(inspect(store.engine).get_table_names())
    assert set(Base.metadata.tables) <= tables and "alembic_version" in tables
    with Store.open(url, blobs) as again:  # reopening is a no-op upgrade
        assert current_revision(again.engine) == head_revision()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_downgrade_and_upgrade_round_trip(backend: str, tmp_path: Path) -> None:
    url, blobs = _url(backend, tmp_path)
    with Store.open(url, blobs) as store:
        with store.engine.execution_options(**WRITE).begin() as conn:
            command.downgrade(alembic_config(conn), "base")
        assert set(inspect(store.engine).get_table_names()) <= {"alembic_version"}
    with Store.open(url, blobs) as store:
        assert store.stats().artifacts == 0


def test_sqlite_settings(tmp_path: Path) -> None:
    db = tmp_path / "store.sqlite"
    with Store.open(f"sqlite:///{db}") as store, store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert int(conn.exec_driver_sql("PRAGMA busy_timeout").scalar() or 0) >= 10_000
    with sqlite3.connect(db) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_a_store_from_an_unknown_schema_revision_is_refused_in_one_line(tmp_path: Path) -> None:
    """A store written by a newer (or development) chaincut names its revision instead of
    an Alembic traceback, and is left as it was."""
    db = tmp_path / "newer.sqlite"
    Store.open(f"sqlite:///{db}").close()
    engine = sa.create_engine(f"sqlite:///{db}")
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '9999_future'"))
    engine.dispose()
    proc = subprocess.run([sys.executable, "-m", "chaincut", "chains", "--db", f"sqlite:///{db}"],
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "9999_future" in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr
    engine = sa.create_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        version = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    engine.dispose()
    assert version == "9999_future"
