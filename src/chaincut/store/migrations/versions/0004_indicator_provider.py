"""SDK keys and builder app ids are stored bare, with whose key it is in its own column.

Stores written before this held them as ``provider:key`` (``jpush:0123…``,
``dcloud:__UNI__ABCDEF1``); an outside tool looking a key up searches the bare key
(interfaces.md sections 3 and 4). Upgrading splits those values: the key becomes the
indicator's value (its digest recomputed; two providers' rows of one key become one), and
the provider goes to ``artifact_indicators.provider`` on every sighting. Downgrading
writes the prefixed spelling back.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07
"""

from __future__ import annotations

import hashlib
import re

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

KEYED_KINDS = ("sdk_app_key", "builder_app_id")
# an SDK or builder id of the knowledge base, then the key (as 0003 and earlier wrote it)
PREFIXED = re.compile(r"^([a-z][a-z0-9_.-]{0,63}):(.+)$", re.DOTALL)

indicators = sa.table(
    "indicators", sa.column("id", sa.Integer), sa.column("kind", sa.String),
    sa.column("value", sa.Text), sa.column("digest", sa.String),
)
links = sa.table(
    "artifact_indicators", sa.column("indicator_id", sa.Integer),
    sa.column("provider", sa.String),
)


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()


def _rows(conn: sa.Connection) -> list[tuple[int, str, str]]:
    query = sa.select(indicators.c.id, indicators.c.kind, indicators.c.value).where(
        indicators.c.kind.in_(KEYED_KINDS)
    )
    return [(int(i), str(k), str(v)) for i, k, v in conn.execute(query)]


def _rekey(conn: sa.Connection, ind_id: int, kind: str, value: str) -> None:
    """Give row ``ind_id`` the new value; merge it into a row that already holds it."""
    dig = _digest(value)
    other = conn.execute(
        sa.select(indicators.c.id).where(
            (indicators.c.kind == kind) & (indicators.c.digest == dig) & (indicators.c.id != ind_id)
        )
    ).scalar()
    if other is None:
        conn.execute(
            indicators.update().where(indicators.c.id == ind_id).values(value=value, digest=dig)
        )
        return
    conn.execute(links.update().where(links.c.indicator_id == ind_id).values(indicator_id=other))
    conn.execute(indicators.delete().where(indicators.c.id == ind_id))


def upgrade() -> None:
    op.add_column("artifact_indicators", sa.Column("provider", sa.String(64), nullable=True))
    conn = op.get_bind()
    for ind_id, kind, value in _rows(conn):
        m = PREFIXED.match(value)
        if m is None:
            continue
        provider, key = m.group(1), m.group(2)
        conn.execute(
            links.update().where(links.c.indicator_id == ind_id).values(provider=provider)
        )
        _rekey(conn, ind_id, kind, key)


def downgrade() -> None:
    conn = op.get_bind()
    for ind_id, kind, value in _rows(conn):
        providers = conn.execute(
            sa.select(links.c.provider).where(
                (links.c.indicator_id == ind_id) & links.c.provider.is_not(None)
            ).limit(1)
        ).scalar()
        if providers:
            _rekey(conn, ind_id, kind, f"{providers}:{value}")
    with op.batch_alter_table("artifact_indicators") as batch:
        batch.drop_column("provider")
