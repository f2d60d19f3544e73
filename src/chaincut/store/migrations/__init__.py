"""Alembic migrations of the chaincut store (run programmatically on every open)."""
