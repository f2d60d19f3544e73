"""Small helpers shared by the store modules: time, text cleaning, digests, upserts."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from chaincut.link.model import NAMED_URL

SHA256_RE = re.compile(r"^[0-9A-Fa-f]{64}$")


class JsonText(str):
    """A JSON column's value already encoded (by ``json.dumps``, in an ingest worker):
    :func:`json_serializer` passes it through, so the writer does not encode it again."""


def json_text(value: Any) -> JsonText:
    """``value`` encoded as the store's JSON columns would encode it."""
    return JsonText(json.dumps(value))


def json_serializer(value: Any) -> str:
    """The store engines' JSON encoder: ``json.dumps`` (SQLAlchemy's default), except for
    values encoded beforehand (:class:`JsonText`), which are written as they are."""
    return str(value) if isinstance(value, JsonText) else json.dumps(value)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def iso(value: dt.datetime | None) -> str | None:
    """ISO 8601 with an explicit UTC offset."""
    return value.astimezone(dt.UTC).isoformat() if value is not None else None


def clean_text(value: str) -> str:
    """Text every backend accepts: no NUL (PostgreSQL refuses it), no lone surrogates."""
    if "\x00" in value:
        value = value.replace("\x00", "\ufffd")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        value = value.encode("utf-8", "replace").decode("utf-8")
    return value


def digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()


def looks_like_url(ref: str) -> bool:
    """Whether a name is kept as a URL (``link.model.NAMED_URL``), not as a path."""
    return bool(NAMED_URL.match(ref))


def looks_like_sha256(ref: str) -> bool:
    return bool(SHA256_RE.match(ref))


def insert_ignore(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """INSERT ... ON CONFLICT DO NOTHING on SQLite and PostgreSQL alike."""
    if not rows:
        return
    name = session.get_bind().dialect.name
    module: Any = postgresql if name == "postgresql" else sqlite
    # executemany of one cached statement: a multi-row VALUES is compiled anew per call
    session.execute(module.insert(table).on_conflict_do_nothing(), list(rows))
