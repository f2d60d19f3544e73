"""What judgement adds to extraction: ``python benchmarks/bench_judge.py [--rounds R] [--batch]``.

Extracts every APK of ../shared/corpus (androguard + malware) in this process and judges
each extraction with the full scan pipeline (features, rules, components, impersonation,
category, score). Prints both times and the ratio per round; the target is judgement
under 20% of extraction.

By default each file is extracted and then judged before the next one, as ``chaincut
scan`` does (one extraction in memory at a time), and both parts are timed per file, so
the machine's drifting speed hits both alike. ``--batch`` extracts all 410 files first and
judges them afterwards (the method before 2026-11-29): the garbage collector then walks
every held extraction during judgement, which ``scan`` never does. Wall-clock and CPU
(``process_time``) figures are both printed; CPU time is the steadier one on a shared
machine.
"""

from __future__ import annotations

import argparse
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from chaincut.detect.pipeline import ScanContext, scan_extraction
from chaincut.extractors.dispatch import ExtractionResult, extract_sample, make_sample

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


@dataclass
class Times:
    """Seconds spent extracting and judging, by wall clock and by this process's CPU."""

    extract_wall: float = 0.0
    judge_wall: float = 0.0
    extract_cpu: float = 0.0
    judge_cpu: float = 0.0


def corpus_files() -> list[Path]:
    files = sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.suffix in (".apk",))
    return [p for p in files if p.stat().st_size < 64 * 1024 * 1024]


def _now() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def interleaved(files: list[tuple[str, bytes]], ctx: ScanContext) -> Times:
    """Extract then judge each file in turn, timing each part."""
    out = Times()
    for name, data in files:
        w0, c0 = _now()
        result = extract_sample(make_sample(name, data))
        w1, c1 = _now()
        scan_extraction(result, ctx)
        w2, c2 = _now()
        out.extract_wall += w1 - w0
        out.extract_cpu += c1 - c0
        out.judge_wall += w2 - w1
        out.judge_cpu += c2 - c1
    return out


def batch(files: list[tuple[str, bytes]], ctx: ScanContext) -> Times:
    """Extract every file, then judge every extraction."""
    w0, c0 = _now()
    results: list[ExtractionResult] = [extract_sample(make_sample(n, b)) for n, b in files]
    w1, c1 = _now()
    for r in results:
        scan_extraction(r, ctx)
    w2, c2 = _now()
    return Times(w1 - w0, w2 - w1, c1 - c0, c2 - c1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--batch", action="store_true", help="extract all, then judge all")
    args = parser.parse_args()
    paths = corpus_files()
    if not paths:
        raise SystemExit(f"no corpus at {CORPUS}")
    files = [(str(p), p.read_bytes()) for p in paths]
    ctx = ScanContext.load()
    scan_extraction(extract_sample(make_sample(*files[0])), ctx)  # warm caches (icon hashes)
    run = batch if args.batch else interleaved
    walls, cpus = [], []
    for i in range(args.rounds):
        t = run(files, ctx)
        walls.append(t.judge_wall / t.extract_wall)
        cpus.append(t.judge_cpu / t.extract_cpu)
        print(
            f"round {i + 1}: extraction {t.extract_wall:.2f} s, judgement {t.judge_wall:.2f} s "
            f"({walls[-1]:.1%}); CPU {t.extract_cpu:.2f} s, {t.judge_cpu:.2f} s ({cpus[-1]:.1%})"
        )
    mode = "batch" if args.batch else "interleaved"
    print(
        f"{len(files)} APKs, {mode}; judgement / extraction median: wall "
        f"{statistics.median(walls):.1%}, CPU {statistics.median(cpus):.1%}"
    )


if __name__ == "__main__":
    main()
