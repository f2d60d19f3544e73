"""Where the store lives: ``--db URL``, ``CHAINCUT_DB``, or a file in the user data dir.

The blobs (evidence copies) sit in ``blobs/`` next to an SQLite file; for a server
database they go where ``--blobs`` or ``CHAINCUT_BLOBS`` says.
"""

from __future__ import annotations

import importlib.util
import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

DB_ENV = "CHAINCUT_DB"
BLOBS_ENV = "CHAINCUT_BLOBS"
DEFAULT_NAME = "chaincut.sqlite"


class StoreConfigError(Exception):
    """A store URL or blobs location that cannot be used; the CLI prints it as one line."""


@dataclass(frozen=True, slots=True)
class Location:
    url: URL
    blobs: Path

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    @property
    def display(self) -> str:
        return self.url.render_as_string(hide_password=True)


def default_url() -> str:
    path = Path(platformdirs.user_data_dir("chaincut")) / DEFAULT_NAME
    return f"sqlite:///{path}"


def resolve_location(url: str | None, blobs: Path | None = None) -> Location:
    """The database URL and blobs directory to use, from arguments, environment, defaults."""
    raw = url or os.environ.get(DB_ENV) or default_url()
    try:
        parsed = make_url(raw)
    except ArgumentError:
        raise StoreConfigError(f"not a database URL: {raw!r} (try sqlite:///path)") from None
    backend = parsed.get_backend_name()
    if backend in ("postgres", "postgresql") and "+" not in parsed.drivername:
        parsed = parsed.set(drivername=f"postgresql+{_pg_driver()}")
        backend = "postgresql"
    if backend not in ("sqlite", "postgresql"):
        raise StoreConfigError(f"unsupported database {backend!r}: use sqlite:/// or postgresql://")
    blob_dir = blobs or _env_path(BLOBS_ENV)
    if backend == "sqlite":
        parsed, db_file = _sqlite_file(parsed)
        blob_dir = blob_dir or db_file.parent / "blobs"
    elif blob_dir is None:
        raise StoreConfigError(
            "a PostgreSQL store needs a blobs directory: give --blobs DIR or set CHAINCUT_BLOBS"
        )
    return Location(url=parsed, blobs=Path(blob_dir).expanduser().resolve())


def _pg_driver() -> str:
    """psycopg (3) when installed, else psycopg2 (what the ``postgres`` extra installs)."""
    return "psycopg" if importlib.util.find_spec("psycopg") else "psycopg2"


def _env_path(name: str) -> Path | None:
    value = os.environ.get(name)
    return Path(value) if value else None


def _sqlite_file(url: URL) -> tuple[URL, Path]:
    database = url.database
    if not database or database == ":memory:":
        raise StoreConfigError("an in-memory SQLite store cannot keep evidence; give a file path")
    path = Path(database).expanduser().resolve()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreConfigError(f"cannot create {path.parent}: {exc.strerror}") from None
    return url.set(database=str(path)), path
