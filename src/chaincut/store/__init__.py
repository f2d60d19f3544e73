"""The evidence store: artifacts, indicators, cases, custody log and ingest runs.

SQLite by default (a file in the user data directory), PostgreSQL for teams; the schema
is migrated with Alembic on open. Linking and the CLI use :class:`Store` only.
"""

from chaincut.store.location import StoreConfigError
from chaincut.store.records import (
    CaseImport,
    CaseRow,
    CustodyEntry,
    RunRecord,
    SeenName,
    StoredArtifact,
    StoreStats,
    Unresolved,
)
from chaincut.store.store import Store

__all__ = [
    "CaseImport",
    "CaseRow",
    "CustodyEntry",
    "RunRecord",
    "SeenName",
    "Store",
    "StoreConfigError",
    "StoreStats",
    "StoredArtifact",
    "Unresolved",
]
