"""What linking reads: artifacts with their indicators, and case reports.

The store produces these records; linking never touches the database, so it can be
tested, benchmarked and run on Dask from plain records.
"""

from __future__ import annotations

import re
from pathlib import PurePath

from pydantic import BaseModel, ConfigDict, Field

from chaincut.result.models import ResultIndicator

# a scheme before anything else: the store records such a name as a URL, not a path
NAMED_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]{1,30}:(//|[^\\/])")


def file_name(path: str) -> str:
    """The last part of a path an artifact was ingested or scanned under, with either
    slash: what ``ArtifactRecord.files`` holds, whichever system wrote the path."""
    return PurePath(path.replace("\\", "/")).name


def ingested_file(name: str) -> str | None:
    """The file name a name an artifact arrived under gives ``ArtifactRecord.files``:
    None for a URL (the store keeps those as URLs), the path's last part otherwise."""
    if NAMED_URL.match(name):
        return None
    return file_name(name) or None


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ArtifactRecord(Frozen):
    """One stored artifact as linking sees it."""

    sha256: str
    kind: str
    verdict: str  # what detection said: linking never feeds on its own raises
    score: int = 0
    # the verdict the store holds now, when linking raised it (shown, never linked on)
    stored_verdict: str | None = None
    brand: str | None = None  # impersonated brand id
    category: str | None = None
    label: str | None = None  # app label, page title, ... for display
    first_seen: str | None = None  # ISO 8601
    parent: str | None = None  # sha256 of the artifact it was found in
    # file names it was ingested under (the last part of each path): a download link
    # naming the same file delivers it (derive.file_key)
    files: list[str] = Field(default_factory=list)
    indicators: list[ResultIndicator] = Field(default_factory=list)


class CaseRecord(Frozen):
    """One victim report (interfaces.md section 2) with its artifacts resolved to sha256."""

    case_id: str
    region: str
    reported_at: str | None = None
    loss_amount: float | None = None
    artifacts: list[str] = Field(default_factory=list)  # resolved sha256
    unresolved: list[str] = Field(default_factory=list)  # entries that matched nothing
    notes: str = ""
