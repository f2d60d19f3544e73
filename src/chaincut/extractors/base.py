"""What passes between the dispatcher and an extractor.

An extractor sees one :class:`Sample` (the whole file in memory, its hash and path)
and returns :class:`Extracted`: typed facts keyed by the document field they fill,
indicators, and blobs (bytes such as the icon that later stages need but the JSON
document only references by sha256).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from pydantic import BaseModel

from chaincut.extractors.findings import Findings
from chaincut.facts.models import Indicator, Kind


@dataclass(frozen=True, slots=True)
class Sample:
    """One input file as read from disk."""

    path: str
    buf: bytes
    sha256: str

    @property
    def size(self) -> int:
        return len(self.buf)


@dataclass(slots=True)
class Extracted:
    """An extractor's output, merged into the facts document by the dispatcher."""

    kind: Kind
    format: str
    facts: dict[str, BaseModel] = field(default_factory=dict)  # document field -> facts model
    indicators: list[Indicator] = field(default_factory=list)
    blobs: dict[str, bytes] = field(default_factory=dict)  # sha256 -> bytes


class Extractor(Protocol):
    """An input kind's reader. ``sniff`` decides from content, never from the file name."""

    name: str

    def sniff(self, sample: Sample) -> int:
        """Confidence 0-100 that this extractor should read the sample (0 = not mine)."""
        ...

    def extract(self, sample: Sample, findings: Findings) -> Extracted:
        """Read the sample; report oddities through ``findings`` and never raise on bad input."""
        ...
