"""Web face: chain sets persisted per store generation, so that every server process and
restart reuses one build (``chaincut serve``).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "web_chain_sets",
        sa.Column("generation", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("builder", sa.String(length=100), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("built_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("data", sa.LargeBinary(), nullable=True),
        sa.PrimaryKeyConstraint("generation", name=op.f("pk_web_chain_sets")),
    )


def downgrade() -> None:
    op.drop_table("web_chain_sets")
