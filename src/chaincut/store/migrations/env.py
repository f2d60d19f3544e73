"""Alembic environment: uses the store's connection when given, else the configured URL."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from chaincut.store.schema import Base

target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from chaincut.store.engine import make_engine
    from chaincut.store.location import resolve_location

    url = context.config.get_main_option("sqlalchemy.url")
    engine = make_engine(resolve_location(url).url)
    with engine.begin() as conn:
        _run(conn)


if context.is_offline_mode():
    raise SystemExit("chaincut store migrations run online only")
run_migrations_online()
