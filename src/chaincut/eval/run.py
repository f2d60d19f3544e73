"""Run the evaluation on a world directory: scan every artifact, link, score.

Detection and linking are imported when used, so the simulator and the metric code work
(and are tested) even where those stages are missing; a missing stage is a clear error
(detection) or a skipped section (linking).
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from chaincut.eval.report import EvalReport, evaluate
from chaincut.link.chainset import ChainSet
from chaincut.link.model import ArtifactRecord, CaseRecord, ingested_file
from chaincut.result.models import ScanResult
from chaincut.sim.truth import WorldTruth, load_truth


class DetectionUnavailable(RuntimeError):
    """The detection pipeline (chaincut.detect.pipeline) cannot be imported."""


def scan_world(world: Path, truth: WorldTruth, workers: int | None = None) -> list[ScanResult]:
    """Scan every artifact of the world with its brands.yaml overlay."""
    try:
        from chaincut.detect.pipeline import ScanContext, scan_paths
    except ImportError as exc:  # the stage is written separately
        raise DetectionUnavailable(f"detection pipeline not available: {exc}") from exc
    ctx = ScanContext.load(brands=[world / truth.brands_file])
    paths = [str(world / a.path) for a in truth.artifacts]
    return list(scan_paths(paths, ctx, workers=workers))


def records(results: Sequence[ScanResult]) -> list[ArtifactRecord]:
    """What linking reads, built from scan results as the store would."""
    return [
        ArtifactRecord(
            sha256=r.sha256,
            kind=r.kind,
            verdict=r.verdict,
            score=r.score,
            brand=r.impersonates.brand if r.impersonates else None,
            category=r.category,
            indicators=r.indicators,
            # the names files arrive under, as the store keeps them (a URL is no file)
            files=[name] if (name := ingested_file(r.path)) else [],
        )
        for r in results
    ]


def case_records(world: Path, truth: WorldTruth) -> list[CaseRecord]:
    """The world's case CSV with artifact paths resolved to sha256 through the truth."""
    by_path = {a.path: a.sha256 for a in truth.artifacts}
    known = set(by_path.values())
    out = []
    with (world / truth.cases_file).open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            refs = [r for r in (row.get("artifacts") or "").split(";") if r]
            shas = [by_path.get(r, r) for r in refs]
            loss = row.get("loss_amount") or ""
            out.append(CaseRecord(
                case_id=row["case_id"], region=row["region"],
                reported_at=row.get("reported_at") or None,
                loss_amount=float(loss) if loss else None,
                artifacts=[s for s in shas if s in known],
                unresolved=[r for r, s in zip(refs, shas, strict=True) if s not in known],
                notes=row.get("notes") or "",
            ))  # fmt: skip
    return out


def link(world: Path, truth: WorldTruth, results: Sequence[ScanResult]) -> ChainSet | None:
    """Chains of the world, or None when linking is not available."""
    try:
        from chaincut.link.chains import build_chains
    except ImportError:
        return None
    return build_chains(records(results), case_records(world, truth))


def run_eval(world: Path, workers: int | None = None) -> EvalReport:
    """Scan, link and score one world directory."""
    truth = load_truth(world)
    results = scan_world(world, truth, workers)
    return evaluate(truth, results, link(world, truth, results))
