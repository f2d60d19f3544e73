"""What judgement adds to extraction: ``python benchmarks/bench_judge.py [--rounds R] [--batch]
[--world DIR ...]``.

Extracts every APK of ../shared/corpus (androguard + malware) in this process and judges
each extraction with the full scan pipeline (features, rules, components, impersonation,
category, score). Then the same over a validation world's inputs (APKs, IPAs, profiles,
pages, QR images; default ../shared/validation/world-13), judged with the world's brand
registry: the corpus apps carry no brand-like icons, a world's do, so icon comparison only
shows there. Prints both times and the ratio per round; the target is judgement under 20%
of extraction on both.

Every round starts cold for artifact icons (the by-content hash cache is emptied), so a
round never reuses a hash computed in an earlier one; the registry's own icon table is
built once per registry, before the first round, as one run would. ``--warm`` keeps the
artifact icons' hashes from round to round instead: round 1 is cold, later rounds show
judgement once every icon was hashed (a run that meets the same icons again).

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
import os
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from chaincut.cli.inputs import collect
from chaincut.detect.impersonation import icons
from chaincut.detect.pipeline import ScanContext, scan_extraction
from chaincut.extractors.dispatch import ExtractionResult, extract_sample, make_sample

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpus"
WORLD = SHARED / "validation" / "world-13"
WORLD_PARTS = ("apks", "ipas", "profiles", "pages", "qr")


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


def world_files(world: Path) -> list[Path]:
    return [Path(j.fspath) for j in collect([str(world / p) for p in WORLD_PARTS]).jobs]


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


def measure(name: str, paths: list[Path], ctx: ScanContext, rounds: int, batched: bool,
            warm: bool = False) -> tuple[float, float]:
    """Print each round; return the median wall and CPU shares."""
    files = [(str(p), p.read_bytes()) for p in paths]
    ctx.warm()  # the registry's index and icon table: once per registry, as in a run
    scan_extraction(extract_sample(make_sample(*files[0])), ctx)
    run = batch if batched else interleaved
    walls, cpus = [], []
    for i in range(rounds):
        if i == 0 or not warm:
            icons.clear_cache()  # the round hashes every artifact icon afresh
        t = run(files, ctx)
        walls.append(t.judge_wall / t.extract_wall)
        cpus.append(t.judge_cpu / t.extract_cpu)
        print(
            f"{name} round {i + 1}: extraction {t.extract_wall:.2f} s, judgement "
            f"{t.judge_wall:.2f} s ({walls[-1]:.1%}); CPU {t.extract_cpu:.2f} s, "
            f"{t.judge_cpu:.2f} s ({cpus[-1]:.1%}); load {os.getloadavg()[0]:.1f}", flush=True
        )
    mode = ("batch" if batched else "interleaved") + (", icons kept after round 1" if warm else "")
    print(
        f"{name}: {len(files)} files, {mode}; judgement / extraction median: wall "
        f"{statistics.median(walls):.1%} [{min(walls):.1%}-{max(walls):.1%}], CPU "
        f"{statistics.median(cpus):.1%} [{min(cpus):.1%}-{max(cpus):.1%}]"
    )
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--batch", action="store_true", help="extract all, then judge all")
    parser.add_argument("--world", type=Path, action="append",
                        help="validation world folder (repeatable; default world-13)")
    parser.add_argument("--no-corpus", action="store_true")
    parser.add_argument("--warm", action="store_true",
                        help="keep artifact icon hashes after round 1 (later rounds warm)")
    args = parser.parse_args()
    if not args.no_corpus:
        paths = corpus_files()
        if not paths:
            raise SystemExit(f"no corpus at {CORPUS}")
        measure("corpus", paths, ScanContext.load(), args.rounds, args.batch, args.warm)
    for world in args.world or ([WORLD] if WORLD.is_dir() else []):
        ctx = ScanContext.load(brands=[world / "brands.yaml"])
        measure(world.name, world_files(world), ctx, args.rounds, args.batch, args.warm)


if __name__ == "__main__":
    main()
