"""Turn one file into one facts document, whatever the file holds.

The dispatcher hashes the bytes, asks every registered extractor how sure it is that the
content is its kind, runs the most confident one, and wraps the output in a
:class:`FactsDocument`. An exception escaping an extractor is a bug, but the user still
gets a document: the error is recorded and the partial facts stay.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field

from chaincut import __version__
from chaincut.extractors.base import Extracted, Extractor, Sample
from chaincut.extractors.findings import Findings
from chaincut.extractors.sniff import binary_format
from chaincut.facts.models import FactsDocument
from chaincut.facts.unicode import valid_document
from chaincut.plugins import get_plugin_manager

EXTRACTOR_ID = f"chaincut {__version__}"


@dataclass(slots=True)
class ExtractionResult:
    """The facts document plus the blobs it references by sha256 (icons, ...)."""

    document: FactsDocument
    blobs: dict[str, bytes] = field(default_factory=dict)


def registered_extractors() -> list[Extractor]:
    """Every extractor from built-ins and installed plugins."""
    hook = get_plugin_manager().hook
    return [ex for group in hook.chaincut_extractors() for ex in group]


def make_sample(path: str, buf: bytes) -> Sample:
    return Sample(path=path, buf=buf, sha256=hashlib.sha256(buf).hexdigest())


def choose_extractor(sample: Sample) -> Extractor | None:
    """The extractor most confident about the sample's content."""
    best: tuple[int, Extractor | None] = (0, None)
    for ex in registered_extractors():
        try:
            score = ex.sniff(sample)
        except Exception:  # a broken third-party sniffer must not stop the run
            score = 0
        if score > best[0]:
            best = (score, ex)
    return best[1]


def extract_sample(sample: Sample) -> ExtractionResult:
    """Run the chosen extractor; always returns a document."""
    started = time.perf_counter()
    findings = Findings()
    extractor = choose_extractor(sample)
    out = Extracted(kind="other", format=binary_format(sample.buf))
    if extractor is None:
        findings.error("no extractor recognised this content")
    else:
        try:
            out = extractor.extract(sample, findings)
        except MemoryError:
            findings.error(f"{extractor.name}: ran out of memory; facts are partial")
        except Exception as exc:
            findings.error(f"{extractor.name}: internal error {type(exc).__name__}: {exc}")
    return ExtractionResult(build_document(sample, out, findings, started), out.blobs)


def build_document(
    sample: Sample, out: Extracted, findings: Findings, started: float
) -> FactsDocument:
    """Merge an extractor's output and the findings into the frozen document (its text
    made valid Unicode, so one odd character cannot stop a writer)."""
    doc = FactsDocument(
        sha256=sample.sha256,
        path=sample.path,
        kind=out.kind,
        size=sample.size,
        format=out.format,
        indicators=out.indicators,
        anomalies=findings.finalized_anomalies(),
        errors=list(findings.errors),
        extractor=EXTRACTOR_ID,
        elapsed_ms=round((time.perf_counter() - started) * 1000, 3),
        **out.facts,  # keys are document fields by contract
    )
    return valid_document(doc)


def failed_document(path: str, buf: bytes | None, error: str) -> FactsDocument:
    """A document for a file that could not be processed at all (budget exceeded, I/O error)."""
    data = buf or b""
    return FactsDocument(
        sha256=hashlib.sha256(data).hexdigest() if buf is not None else "",
        path=path,
        kind="other",
        size=len(data),
        format=binary_format(data) if buf is not None else "unreadable",
        errors=[error],
        extractor=EXTRACTOR_ID,
    )
