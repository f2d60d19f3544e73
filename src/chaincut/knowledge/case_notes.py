"""Case notes that clear a report (data/case_notes.yaml).

Victims' reports are leads, and some are checked and found clean: the reporting unit
writes so in the notes. Linking must not let such a report seed or corroborate a chain,
or a genuine app that one worried citizen reported would be pulled into a fraud chain and
re-judged. The phrases are data so that a unit can add its own wording without code.
"""

from __future__ import annotations

import functools
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from chaincut.knowledge.yamlio import load_yaml

DEFAULT_CASE_NOTES = Path(__file__).parent / "data" / "case_notes.yaml"


class CaseNotePhrases(BaseModel):
    """The file's content: phrases that say a report was checked and found clean."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    cleared: list[str] = Field(min_length=1)


@functools.cache
def cleared_phrases(path: Path = DEFAULT_CASE_NOTES) -> tuple[str, ...]:
    """The phrases, folded (Simplified, lower case), loaded once."""
    data = CaseNotePhrases.model_validate(load_yaml(path.read_text(encoding="utf-8")))
    return tuple(dict.fromkeys(_fold(p) for p in data.cleared if p.strip()))


def _fold(text: str) -> str:
    from chaincut.knowledge.chinese import to_simplified

    return to_simplified(text).casefold()


def report_cleared(notes: str) -> bool:
    """Whether a case's notes say the report was checked and the artifact found clean."""
    if not notes.strip():
        return False
    folded = _fold(notes)
    return any(p in folded for p in cleared_phrases())
