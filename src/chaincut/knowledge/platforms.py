"""Known link platforms (data/platforms.yaml): shorteners, distribution sites, hosting, stores.

A link's host tells an investigator who can take it down or hand over the account
behind it: the shortener that hides the real target, the beta-distribution site that
serves the package, the object-storage bucket holding the APK. Knowledge is data, so the
list lives in YAML with a schema; this module loads it once and matches hosts against it.
"""

from __future__ import annotations

import functools
import re
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from chaincut.knowledge.yamlio import load_yaml

DEFAULT_PLATFORMS = Path(__file__).parent / "data" / "platforms.yaml"
PLATFORM_ID = re.compile(r"^[a-z0-9_-]+$")
PlatformKind = Literal[
    "shortener",
    "distribution",
    "super_signature",
    "free_hosting",
    "object_storage",
    "app_store",
    "testflight",
]


class Platform(BaseModel):
    """One platform and the host names or patterns it serves from."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    name: str
    kind: PlatformKind
    domains: list[str] = Field(min_length=1)

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        if not PLATFORM_ID.match(v):
            raise ValueError(f"platform id {v!r} must match [a-z0-9_-]+")
        return v

    @field_validator("domains")
    @classmethod
    def _domains(cls, v: list[str]) -> list[str]:
        return [d.strip().lower().rstrip(".") for d in v]


class PlatformList(BaseModel):
    """The whole file, in file order."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    platforms: list[Platform]

    def match(self, host: str) -> Platform | None:
        """The platform serving ``host`` (lower-case ASCII); the longest pattern wins."""
        host = host.lower().rstrip(".")
        best: tuple[int, Platform | None] = (0, None)
        for platform in self.platforms:
            for pattern in platform.domains:
                if len(pattern) > best[0] and host_matches(host, pattern):
                    best = (len(pattern), platform)
        return best[1]


def host_matches(host: str, pattern: str) -> bool:
    """``pattern`` names ``host`` itself or a parent of it; ``*`` stands for characters."""
    if "*" in pattern:
        return fnmatchcase(host, pattern) or fnmatchcase(host, "*." + pattern)
    return host == pattern or host.endswith("." + pattern)


def load_platforms(path: Path = DEFAULT_PLATFORMS) -> PlatformList:
    """Read and validate a platforms file (raises on a broken file: it ships with us)."""
    raw = load_yaml(path.read_text(encoding="utf-8"))
    return PlatformList.model_validate(raw)


@functools.cache
def default_platforms() -> PlatformList:
    """The shipped list, loaded once per process."""
    return load_platforms()


@functools.lru_cache(maxsize=4096)
def platform_for(host: str) -> Platform | None:
    """Shortcut: the shipped platform serving ``host``."""
    return default_platforms().match(host)
