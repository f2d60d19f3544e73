"""Initial schema: artifacts, names, blobs, indicators, cases, custody, runs.

Revision ID: 0001
Revises:
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

SHA = sa.String(length=64)
UTC = sa.DateTime(timezone=True)


def _fk(col: str, table: str, ref: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [col], [f"{ref}"], name=op.f(f"fk_{table}_{col}_{ref.split('.')[0]}"), ondelete=ondelete
    )


def _index(table: str, *cols: str, name: str | None = None) -> None:
    op.create_index(name or op.f(f"ix_{table}_{cols[0]}"), table, list(cols), unique=False)


def upgrade() -> None:
    op.create_table(
        "artifacts",
        sa.Column("sha256", SHA, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("first_seen", UTC, nullable=False),
        sa.Column("last_seen", UTC, nullable=False),
        sa.Column("label", sa.Text(), nullable=True),
        sa.Column("verdict", sa.String(length=16), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=True),
        sa.Column("brand", sa.String(length=128), nullable=True),
        sa.Column("parent", SHA, nullable=True),
        sa.Column("facts", sa.JSON(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("blob_path", sa.String(length=200), nullable=True),
        sa.Column("knowledge_version", sa.String(length=200), nullable=False),
        sa.Column("rules_version", sa.String(length=200), nullable=False),
        sa.Column("extractor", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_artifacts")),
    )
    for col in ("brand", "kind", "parent", "verdict"):
        _index("artifacts", col)

    op.create_table(
        "cases",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.String(length=200), nullable=False),
        sa.Column("region", sa.String(length=200), nullable=False),
        sa.Column("reported_at", sa.String(length=40), nullable=True),
        sa.Column("loss_amount", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("source_file", sa.Text(), nullable=False),
        sa.Column("imported_at", UTC, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases")),
        sa.UniqueConstraint("region", "case_id", name=op.f("uq_cases_region")),
    )
    op.create_table(
        "custody",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", UTC, nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_custody")),
    )
    _index("custody", "at")

    op.create_table(
        "indicators",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("digest", SHA, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicators")),
        sa.UniqueConstraint("kind", "digest", name=op.f("uq_indicators_kind")),
    )
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("started_at", UTC, nullable=False),
        sa.Column("finished_at", UTC, nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("fingerprint", SHA, nullable=False),
        sa.Column("inputs", sa.JSON(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("new", sa.Integer(), nullable=False),
        sa.Column("existing", sa.Integer(), nullable=False),
        sa.Column("failed", sa.Integer(), nullable=False),
        sa.Column("cursor", sa.Integer(), nullable=False),
        sa.Column("resumed_from", sa.Integer(), nullable=True),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("host", sa.String(length=200), nullable=False),
        sa.Column("knowledge_version", sa.String(length=200), nullable=False),
        sa.Column("rules_version", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_runs")),
    )
    _index("runs", "fingerprint")

    op.create_table(
        "artifact_blobs",
        sa.Column("sha256", SHA, nullable=False),
        sa.Column("blob", SHA, nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        _fk("sha256", "artifact_blobs", "artifacts.sha256", "CASCADE"),
        sa.PrimaryKeyConstraint("sha256", "blob", name=op.f("pk_artifact_blobs")),
    )
    op.create_table(
        "artifact_indicators",
        sa.Column("sha256", SHA, nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=True),
        sa.Column("common", sa.Boolean(), nullable=False),
        sa.Column("location", sa.JSON(), nullable=True),
        _fk("indicator_id", "artifact_indicators", "indicators.id", "CASCADE"),
        _fk("sha256", "artifact_indicators", "artifacts.sha256", "CASCADE"),
        sa.PrimaryKeyConstraint("sha256", "ordinal", name=op.f("pk_artifact_indicators")),
    )
    _index("artifact_indicators", "indicator_id", name="ix_artifact_indicators_indicator")

    op.create_table(
        "artifact_names",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("sha256", SHA, nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("digest", SHA, nullable=False),
        sa.Column("first_seen", UTC, nullable=False),
        _fk("sha256", "artifact_names", "artifacts.sha256", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_artifact_names")),
        sa.UniqueConstraint(
            "sha256", "kind", "digest", name=op.f("uq_artifact_names_sha256")
        ),
    )
    _index("artifact_names", "digest")
    _index("artifact_names", "sha256")

    op.create_table(
        "case_artifacts",
        sa.Column("case_pk", sa.Integer(), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("reference", sa.Text(), nullable=False),
        sa.Column("sha256", SHA, nullable=True),
        _fk("case_pk", "case_artifacts", "cases.id", "CASCADE"),
        _fk("sha256", "case_artifacts", "artifacts.sha256", "SET NULL"),
        sa.PrimaryKeyConstraint("case_pk", "ordinal", name=op.f("pk_case_artifacts")),
    )
    _index("case_artifacts", "sha256")

    op.create_table(
        "custody_artifacts",
        sa.Column("custody", sa.Integer(), nullable=False),
        sa.Column("sha256", SHA, nullable=False),
        _fk("custody", "custody_artifacts", "custody.id", "CASCADE"),
        sa.PrimaryKeyConstraint("custody", "sha256", name=op.f("pk_custody_artifacts")),
    )
    _index("custody_artifacts", "sha256")


def downgrade() -> None:
    for table in (
        "custody_artifacts",
        "case_artifacts",
        "artifact_names",
        "artifact_indicators",
        "artifact_blobs",
        "runs",
        "indicators",
        "custody",
        "cases",
        "artifacts",
    ):
        op.drop_table(table)
