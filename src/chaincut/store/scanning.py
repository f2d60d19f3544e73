"""The one place ingest asks detection for a verdict: :func:`scan_for_ingest`.

Ingest uses ``chaincut.detect.pipeline`` (``ScanContext`` + ``scan_extraction``) when it
imports. FALLBACK: while detection is not installed (or not importable), ingest still
stores every artifact with a plainly marked placeholder result: verdict ``unknown``,
score 0, the facts' own indicators, and versions saying no detection ran. Re-ingest with
``--rescan`` once detection is available to replace these placeholders.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chaincut.extractors.dispatch import ExtractionResult
from chaincut.result.models import ResultIndicator, ScanResult

FALLBACK_VERSION = "fallback:no-detection"


class ScanSetupError(Exception):
    """Brands or rules that cannot be loaded; the CLI prints it as one line."""


@dataclass(frozen=True, slots=True)
class IngestScanner:
    """Detection as ingest sees it: the real context, or None for the marked fallback."""

    context: Any  # chaincut.detect.pipeline.ScanContext when detection is available
    knowledge_version: str
    rules_version: str
    why_fallback: str = "detection is not installed"

    @property
    def is_fallback(self) -> bool:
        return self.context is None

    @classmethod
    def load(cls, brands: Sequence[Path] = (), rules: Sequence[Path] = ()) -> IngestScanner:
        for path in [*brands, *rules]:
            if not Path(path).exists():
                raise ScanSetupError(f"path not found: {path}")
        try:
            from chaincut.detect.pipeline import ScanContext
        except ImportError:
            return cls(None, FALLBACK_VERSION, FALLBACK_VERSION)
        try:
            ctx = ScanContext.load(brands=list(brands), rules=list(rules))
        except ValueError as exc:  # BrandError and rule errors are ValueErrors with a message
            if brands or rules:
                raise ScanSetupError(str(exc)) from None
            return cls(None, FALLBACK_VERSION, FALLBACK_VERSION, f"{exc}")
        return cls(ctx, ctx.knowledge_version, ctx.rules_version)


def scan_for_ingest(result: ExtractionResult, scanner: IngestScanner) -> ScanResult:
    """Judge one extraction for the store (detection, or the marked fallback)."""
    if scanner.context is None:
        return fallback_scan(result, scanner.why_fallback)
    from chaincut.detect.pipeline import scan_extraction

    try:
        scan: ScanResult = scan_extraction(result, scanner.context)
    except Exception as exc:  # a detection bug must not lose the evidence
        placeholder = fallback_scan(result)
        error = f"detection failed: {type(exc).__name__}: {exc}"
        return placeholder.model_copy(update={"errors": [*placeholder.errors, error]})
    return scan


def fallback_scan(
    result: ExtractionResult, why: str = "detection is not installed"
) -> ScanResult:
    """FALLBACK placeholder until detection exists: no judgement, only the facts."""
    doc = result.document
    seen: set[tuple[str, str]] = set()
    indicators: list[ResultIndicator] = []
    for ind in doc.indicators:
        if (ind.kind, ind.value) in seen:
            continue
        seen.add((ind.kind, ind.value))
        indicators.append(ResultIndicator(kind=ind.kind, value=ind.value, location=ind.location))
    return ScanResult(
        sha256=doc.sha256,
        path=doc.path,
        kind=doc.kind,
        verdict="unknown",
        score=0,
        indicators=indicators,
        errors=list(doc.errors),
        summary=f"not judged (ingest fallback): {why}",
        knowledge_version=FALLBACK_VERSION,
        rules_version=FALLBACK_VERSION,
        parent=doc.fetch.parent if doc.fetch else None,
    )
