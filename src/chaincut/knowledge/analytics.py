"""Web analytics site ids (data/analytics.yaml): which account owns a page's statistics.

A landing page's tracker id (Baidu Tongji's ``hm.js?<id>``, CNZZ, 51.la, Google) names
the operator of the page, not its host: a distribution service keeps one id over all the
domains and gangs it serves, so the id links pages that share nothing else. Knowledge is
data: the services and their id patterns live in YAML; this module loads them once.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from chaincut.knowledge.yamlio import load_yaml

DEFAULT_ANALYTICS = Path(__file__).parent / "data" / "analytics.yaml"
SERVICE_ID = re.compile(r"^[a-z0-9_]+$")
MAX_SCANNED = 1_000_000  # characters of script text searched per page
MAX_IDS = 20  # ids kept per page


class AnalyticsService(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    name: str
    patterns: list[str] = Field(min_length=1)

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        if not SERVICE_ID.match(v):
            raise ValueError(f"analytics service id {v!r} must match [a-z0-9_]+")
        return v

    @field_validator("patterns")
    @classmethod
    def _patterns(cls, v: list[str]) -> list[str]:
        for p in v:
            if re.compile(p).groups != 1:
                raise ValueError(f"pattern {p!r} must have exactly one group (the id)")
        return v


class AnalyticsList(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    version: str
    services: list[AnalyticsService]

    def site_ids(self, texts: list[str]) -> list[tuple[str, str]]:
        """(service id, site id) found in ``texts``, in order of first appearance."""
        out: dict[tuple[str, str], None] = {}
        budget = MAX_SCANNED
        for text in texts:
            chunk = text[:budget]
            budget -= len(chunk)
            for service, pattern in ((s.id, p) for s in self.services for p in s.patterns):
                for m in re.finditer(pattern, chunk):  # re caches the compiled patterns
                    out.setdefault((service, m.group(1)), None)
                    if len(out) >= MAX_IDS:
                        return list(out)
            if budget <= 0:
                break
        return list(out)


def load_analytics(path: Path = DEFAULT_ANALYTICS) -> AnalyticsList:
    """Read and validate an analytics file (raises on a broken file: it ships with us)."""
    return AnalyticsList.model_validate(load_yaml(path.read_text(encoding="utf-8")))


@functools.cache
def default_analytics() -> AnalyticsList:
    """The shipped list, loaded once per process."""
    return load_analytics()
