"""Frozen records the store hands out and takes in; no untyped dicts cross its boundary.

Linking reads :class:`chaincut.link.model.ArtifactRecord` and ``CaseRecord``; the CLI
and the web face read the richer :class:`StoredArtifact`, custody entries and stats here.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from chaincut.facts.models import FactsDocument
from chaincut.result.models import ScanResult

Action = Literal["ingest", "case-import", "edit", "export", "delete", "view", "account"]
ACTIONS: tuple[Action, ...] = (
    "ingest", "case-import", "edit", "export", "delete", "view",
    "account",  # the web face's user management: users created, roles, disabling, tokens
)  # fmt: skip


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SeenName(Frozen):
    """A path or URL an artifact arrived under (one artifact may have many)."""

    kind: Literal["path", "url"]
    value: str
    first_seen: str  # ISO 8601 UTC


class StoredArtifact(Frozen):
    """Everything the store keeps about one artifact. Bytes are never handed out."""

    sha256: str
    kind: str
    size: int
    first_seen: str
    last_seen: str
    label: str | None = None
    verdict: str
    score: int = 0
    category: str | None = None
    brand: str | None = None
    parent: str | None = None
    names: list[SeenName] = Field(default_factory=list)
    blob_path: str | None = None  # absolute path of the read-only evidence copy, if kept
    icons: list[str] = Field(default_factory=list)  # sha256 of icon blobs
    knowledge_version: str = ""
    rules_version: str = ""
    extractor: str = ""
    facts: FactsDocument
    result: ScanResult


class CaseRow(Frozen):
    """One validated row of a case-report CSV (interfaces.md section 2)."""

    line: int  # line number in the CSV, for messages
    case_id: str
    region: str
    reported_at: str | None = None  # normalised ISO 8601
    loss_amount: Decimal | None = None
    artifacts: list[str] = Field(default_factory=list)  # raw references, in CSV order
    notes: str = ""


class Unresolved(Frozen):
    case_id: str
    region: str
    ref: str
    reason: str = ""  # why it matched nothing


class CaseImport(Frozen):
    """What a case import did; unresolved references are kept, never dropped."""

    added: int = 0
    updated: int = 0
    unresolved: list[Unresolved] = Field(default_factory=list)
    resolved: list[str] = Field(default_factory=list)  # sha256 of linked artifacts


class CustodyEntry(Frozen):
    """One line of the evidence-custody log."""

    id: int
    at: str  # ISO 8601 UTC
    actor: str
    action: Action
    subject: str
    details: dict[str, Any] = Field(default_factory=dict)
    artifacts: list[str] = Field(default_factory=list)


class RunRecord(Frozen):
    """One ingest run: counts, status and where a resumed run picks up."""

    id: int
    started_at: str
    finished_at: str | None = None
    status: Literal["running", "done", "failed", "interrupted"]
    actor: str
    fingerprint: str
    total: int = 0
    new: int = 0
    existing: int = 0
    failed: int = 0
    cursor: int = 0  # jobs before this index (input order) are settled
    resumed_from: int | None = None


class StoreStats(Frozen):
    """``chaincut store info``: what is stored, where, under which versions."""

    url: str  # password masked
    blobs: str
    schema_revision: str | None
    artifacts: int
    by_kind: dict[str, int] = Field(default_factory=dict)
    by_verdict: dict[str, int] = Field(default_factory=dict)
    indicators: int = 0
    cases: int = 0
    case_artifacts: int = 0
    unresolved: int = 0
    custody_entries: int = 0
    runs: int = 0
    blob_files: int = 0
    knowledge_versions: list[str] = Field(default_factory=list)
    rules_versions: list[str] = Field(default_factory=list)


class Failure(Frozen):
    path: str
    reason: str


class IngestSummary(Frozen):
    """What one ``chaincut ingest`` run did."""

    run_id: int
    resumed_from: int | None = None
    resumed_at: int = 0  # inputs skipped because an interrupted run had settled them
    total: int = 0
    new: int = 0
    existing: int = 0
    failures: list[Failure] = Field(default_factory=list)
    fallback: bool = False  # detection was not available: placeholder verdicts stored
