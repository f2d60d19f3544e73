"""Run one extraction stage so that a bug in it costs that stage only.

Readers are written never to raise on bad input; this is the second line of defence,
so a defect in (say) the icon resolver still leaves the manifest and signatures read.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from chaincut.extractors.findings import Findings

T = TypeVar("T")


def guarded(findings: Findings, stage: str, default: T, fn: Callable[[], T]) -> T:
    """``fn()``, or ``default`` with an internal-error record when it raises."""
    try:
        return fn()
    except MemoryError:
        findings.error(f"{stage}: ran out of memory; this part of the facts is missing")
    except Exception as exc:
        findings.error(f"{stage}: internal error {type(exc).__name__}: {exc}")
    return default
