"""Indicators say whether they are a verified fact or an unverified claim.

A certificate whose signature does not verify is kept as evidence and a link key, but
linking weighs it lower; the store keeps that mark so ``chains`` sees what ``scan`` saw.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("artifact_indicators", sa.Column("verified", sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("artifact_indicators") as batch:
        batch.drop_column("verified")
