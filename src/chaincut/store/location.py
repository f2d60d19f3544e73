"""Where the store lives: ``--db URL``, ``CHAINCUT_DB``, or a file in the user data dir.

The blobs (evidence copies) of an SQLite store sit in a folder named after its file
(``x.sqlite`` keeps them in ``x.sqlite.blobs/``), so two stores in one folder never mix
their evidence. A store made before that kept them in ``blobs/`` beside the file and goes
on using it. For a server database the blobs go where ``--blobs`` or ``CHAINCUT_BLOBS`` says.

Only writers create a store: readers resolve with ``create=False``, and a store that does
not exist is then a one-line error naming it, with no folder, database or blobs made.
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
BLOBS_SUFFIX = ".blobs"
LEGACY_BLOBS = "blobs"  # shared by every store of a folder before per-store folders


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


def resolve_location(
    url: str | None, blobs: Path | None = None, *, create: bool = True
) -> Location:
    """The database URL and blobs directory to use, from arguments, environment, defaults.

    With ``create`` False (readers) an SQLite file that does not exist is an error and no
    folder is made for it."""
    raw = url or os.environ.get(DB_ENV) or default_url()
    try:
        parsed = make_url(raw)
    except ArgumentError:
        raise StoreConfigError(f"not a database URL: {raw!r} (try sqlite:///path)") from None
    backend = parsed.get_backend_name()
    if backend in ("postgres", "postgresql") and "+" not in parsed.drivername:
        parsed = parsed.set(drivername=f"postgresql+{_pg_driver()}")
        backend = "postgresql"
    if backend == "postgresql":
        _need_driver(parsed.get_driver_name())
    if backend not in ("sqlite", "postgresql"):
        raise StoreConfigError(f"unsupported database {backend!r}: use sqlite:/// or postgresql://")
    blob_dir = blobs or _env_path(BLOBS_ENV)
    if backend == "sqlite":
        parsed, db_file = _sqlite_file(parsed, create)
        blob_dir = blob_dir or sqlite_blobs(db_file)
    elif blob_dir is None:
        raise StoreConfigError(
            "a PostgreSQL store needs a blobs directory: give --blobs DIR or set CHAINCUT_BLOBS"
        )
    return Location(url=parsed, blobs=Path(blob_dir).expanduser().resolve())


def _pg_driver() -> str:
    """psycopg (3) when installed, else psycopg2 (what the ``postgres`` extra installs)."""
    return "psycopg" if importlib.util.find_spec("psycopg") else "psycopg2"


def _need_driver(driver: str) -> None:
    """A PostgreSQL URL without its driver installed is a one-line hint, not a traceback."""
    module = {"psycopg2": "psycopg2", "psycopg": "psycopg", "pg8000": "pg8000"}.get(driver)
    if module is not None and importlib.util.find_spec(module) is None:
        raise StoreConfigError(
            f"PostgreSQL stores need the {driver} driver, which is not installed: "
            "pip install 'chaincut[postgres]'"
        )


def sqlite_blobs(db_file: Path) -> Path:
    """The blobs folder of an SQLite store: its own, or the shared ``blobs/`` of an older one."""
    own = db_file.with_name(db_file.name + BLOBS_SUFFIX)
    legacy = db_file.parent / LEGACY_BLOBS
    if not own.exists() and db_file.is_file() and legacy.is_dir():
        return legacy  # a store made before per-store folders keeps its evidence where it is
    return own


def _env_path(name: str) -> Path | None:
    value = os.environ.get(name)
    return Path(value) if value else None


def _sqlite_file(url: URL, create: bool) -> tuple[URL, Path]:
    database = url.database
    if not database or database == ":memory:":
        raise StoreConfigError("an in-memory SQLite store cannot keep evidence; give a file path")
    path = Path(database).expanduser().resolve()
    if not create:
        if not path.is_file():
            raise StoreConfigError(
                f"no store at {path}: check --db (or CHAINCUT_DB), or fill it with "
                "`chaincut ingest` first"
            )
        return url.set(database=str(path)), path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreConfigError(f"cannot create {path.parent}: {exc.strerror}") from None
    return url.set(database=str(path)), path
