"""The store's tables (SQLAlchemy 2.0 ORM). Alembic migrations must match this metadata.

Artifacts are keyed by the sha256 of their bytes, so the same file ingested twice is one
row; every path or URL it arrived under is kept beside it. Indicators are shared rows
linked to artifacts with the role they play there. Times are timezone-aware UTC.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[dt.datetime]):
    """Aware UTC datetimes on every backend (SQLite keeps them naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store")
        return value.astimezone(dt.UTC)

    def process_result_value(
        self, value: dt.datetime | None, dialect: Dialect
    ) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


SHA = String(64)


class Artifact(Base):
    __tablename__ = "artifacts"

    sha256: Mapped[str] = mapped_column(SHA, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), index=True)
    size: Mapped[int] = mapped_column(BigInteger)
    first_seen: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    last_seen: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    label: Mapped[str | None] = mapped_column(Text)
    verdict: Mapped[str] = mapped_column(String(16), index=True)
    score: Mapped[int] = mapped_column(Integer)
    category: Mapped[str | None] = mapped_column(String(32))
    brand: Mapped[str | None] = mapped_column(String(128), index=True)
    parent: Mapped[str | None] = mapped_column(SHA, index=True)
    facts: Mapped[dict[str, Any]] = mapped_column(JSON)
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    blob_path: Mapped[str | None] = mapped_column(String(200))
    knowledge_version: Mapped[str] = mapped_column(String(200))
    rules_version: Mapped[str] = mapped_column(String(200))
    extractor: Mapped[str] = mapped_column(String(100))


class ArtifactName(Base):
    """A path (as given to ingest) or URL (fetch chain) the artifact arrived under."""

    __tablename__ = "artifact_names"
    __table_args__ = (UniqueConstraint("sha256", "kind", "digest"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    sha256: Mapped[str] = mapped_column(
        SHA, ForeignKey("artifacts.sha256", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(8))
    value: Mapped[str] = mapped_column(Text)
    digest: Mapped[str] = mapped_column(SHA, index=True)  # sha256 of value: indexable
    first_seen: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class ArtifactBlob(Base):
    """Extra blobs an artifact references (its icon), stored content-addressed."""

    __tablename__ = "artifact_blobs"

    sha256: Mapped[str] = mapped_column(
        SHA, ForeignKey("artifacts.sha256", ondelete="CASCADE"), primary_key=True
    )
    blob: Mapped[str] = mapped_column(SHA, primary_key=True)
    role: Mapped[str] = mapped_column(String(16))


class IndicatorRow(Base):
    __tablename__ = "indicators"
    __table_args__ = (
        UniqueConstraint("kind", "digest"),
        Index("ix_indicators_digest", "digest"),  # lookups by value alone (0003)
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(64))
    value: Mapped[str] = mapped_column(Text)
    digest: Mapped[str] = mapped_column(SHA)  # sha256 of value: long URLs stay indexable


class ArtifactIndicator(Base):
    __tablename__ = "artifact_indicators"
    __table_args__ = (Index("ix_artifact_indicators_indicator", "indicator_id"),)

    sha256: Mapped[str] = mapped_column(
        SHA, ForeignKey("artifacts.sha256", ondelete="CASCADE"), primary_key=True
    )
    ordinal: Mapped[int] = mapped_column(Integer, primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id", ondelete="CASCADE"))
    role: Mapped[str | None] = mapped_column(String(16))
    common: Mapped[bool] = mapped_column(Boolean)
    location: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    verified: Mapped[bool | None] = mapped_column(Boolean)  # False: an unverified claim
    # whose key an sdk_app_key / builder_app_id is ("jpush", "dcloud"); the value is bare
    provider: Mapped[str | None] = mapped_column(String(64))


class Case(Base):
    __tablename__ = "cases"
    __table_args__ = (UniqueConstraint("region", "case_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(String(200))
    region: Mapped[str] = mapped_column(String(200))
    reported_at: Mapped[str | None] = mapped_column(String(40))  # ISO 8601 as normalised
    loss_amount: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    notes: Mapped[str] = mapped_column(Text)
    source_file: Mapped[str] = mapped_column(Text)
    imported_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class CaseArtifact(Base):
    """One reference of a case: resolved to an artifact, or kept as text when unresolved."""

    __tablename__ = "case_artifacts"

    case_pk: Mapped[int] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )
    ordinal: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str | None] = mapped_column(
        SHA, ForeignKey("artifacts.sha256", ondelete="SET NULL"), index=True
    )


class CustodyRow(Base):
    """Evidence custody: who did what to which artifacts, when, under which versions."""

    __tablename__ = "custody"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(16))
    subject: Mapped[str] = mapped_column(Text)
    details: Mapped[dict[str, Any]] = mapped_column(JSON)


class CustodyArtifact(Base):
    """Which artifacts a custody entry concerns (no foreign key: deletions stay logged)."""

    __tablename__ = "custody_artifacts"

    custody: Mapped[int] = mapped_column(
        ForeignKey("custody.id", ondelete="CASCADE"), primary_key=True
    )
    sha256: Mapped[str] = mapped_column(SHA, primary_key=True, index=True)


class Run(Base):
    __tablename__ = "runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    started_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str] = mapped_column(String(200))
    fingerprint: Mapped[str] = mapped_column(SHA, index=True)
    inputs: Mapped[list[str]] = mapped_column(JSON)
    total: Mapped[int] = mapped_column(Integer)
    new: Mapped[int] = mapped_column(Integer)
    existing: Mapped[int] = mapped_column(Integer)
    failed: Mapped[int] = mapped_column(Integer)
    cursor: Mapped[int] = mapped_column(Integer)
    resumed_from: Mapped[int | None] = mapped_column(Integer)
    pid: Mapped[int] = mapped_column(Integer)
    host: Mapped[str] = mapped_column(String(200))
    knowledge_version: Mapped[str] = mapped_column(String(200))
    rules_version: Mapped[str] = mapped_column(String(200))


# The web face's tables share this metadata, so migrations and checks see them too.
from chaincut.store import schema_web  # noqa: E402, F401
