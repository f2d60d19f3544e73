"""Ground truth of a simulated world (``truth.json``): what every artifact really is.

The evaluation compares chaincut's results against this and nothing else, so it carries
exactly what is measured: per artifact its gang, role, imitated brand and category; the
suppliers with the gangs they serve; and the gang behind every case report.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Role = Literal["fake", "genuine", "hard_negative", "official_page"]
ArtifactKind = Literal["apk", "ipa", "page", "qr", "mobileconfig", "other"]
TRUTH_FILE = "truth.json"


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ArtifactTruth(Frozen):
    """One file of the world."""

    path: str  # relative to the world directory
    sha256: str
    kind: ArtifactKind
    role: Role
    gang: str | None = None
    brand: str | None = None  # imitated (fake) or owned (genuine)
    category: str | None = None  # the fraud category (fakes only)


class SupplierTruth(Frozen):
    """A piece of gray-industry infrastructure and the gangs it serves.

    ``kind``/``value`` are spelled as chaincut's result indicators spell them, so a
    supplier is "found" when a chain lists the same pair. ``linkable`` is false for what
    chaincut deliberately treats as common (packers: a service, not a link).
    """

    kind: str
    value: str
    role: str  # developer | packager | distributor | server | payment | contact
    supplier: str  # the supplier's id in the world (dev-0, server-1, ...)
    gangs: list[str]
    linkable: bool = True


class GangTruth(Frozen):
    id: str
    category: str
    brands: list[str]
    suppliers: list[str]  # supplier ids
    regions: list[str]


class CaseTruth(Frozen):
    case_id: str
    region: str
    gang: str
    artifacts: list[str]  # sha256 of the artifacts the report names


class WorldTruth(Frozen):
    """Everything the world knows about itself."""

    seed: int
    size: str
    brands_file: str = "brands.yaml"
    cases_file: str = "cases.csv"
    artifacts: list[ArtifactTruth] = Field(default_factory=list)
    suppliers: list[SupplierTruth] = Field(default_factory=list)
    gangs: list[GangTruth] = Field(default_factory=list)
    cases: list[CaseTruth] = Field(default_factory=list)

    def by_sha256(self) -> dict[str, ArtifactTruth]:
        return {a.sha256: a for a in self.artifacts}


def load_truth(world: Path) -> WorldTruth:
    """The truth of a world directory."""
    return WorldTruth.model_validate_json((world / TRUTH_FILE).read_text(encoding="utf-8"))
