"""Public suffixes where fraud domains concentrate (data/suffixes.yaml).

Kept as data beside the other knowledge so an analyst can extend the list without code,
and so a rule can ask "is this link on a high-abuse suffix?" instead of spelling TLDs.
"""

from __future__ import annotations

import functools
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from chaincut.knowledge.yamlio import load_yaml

DEFAULT_SUFFIXES = Path(__file__).parent / "data" / "suffixes.yaml"


class SuffixList(BaseModel):
    """The file's content: suffixes in lower case, without a leading dot."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    risky_suffixes: list[str] = Field(min_length=1)


@functools.cache
def risky_suffixes(path: Path = DEFAULT_SUFFIXES) -> frozenset[str]:
    """The high-abuse suffixes, loaded once."""
    data = SuffixList.model_validate(load_yaml(path.read_text(encoding="utf-8")))
    return frozenset(s.strip().lower().lstrip(".") for s in data.risky_suffixes)


def is_risky_suffix(suffix: str | None) -> bool:
    """True when the public suffix (``vip``, ``com.cn``) ends in a high-abuse TLD."""
    if not suffix:
        return False
    return suffix.lower().rsplit(".", 1)[-1] in risky_suffixes()
