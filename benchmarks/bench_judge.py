"""What judgement adds to extraction: ``python benchmarks/bench_judge.py [--rounds R]``.

Extracts every APK of ../shared/corpus (androguard + malware) in this process, then judges
each extraction with the full scan pipeline (features, rules, components, impersonation,
category, score). Prints both times and the ratio per round; the target is judgement
under 20% of extraction. Timings are interleaved per round because this machine's speed
drifts; the ratio is taken within a round.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from chaincut.detect.pipeline import ScanContext, scan_extraction
from chaincut.extractors.dispatch import ExtractionResult, extract_sample, make_sample

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def corpus_files() -> list[Path]:
    files = sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.suffix in (".apk",))
    return [p for p in files if p.stat().st_size < 64 * 1024 * 1024]


def one_round(files: list[tuple[str, bytes]], ctx: ScanContext) -> tuple[float, float]:
    t0 = time.perf_counter()
    results: list[ExtractionResult] = [extract_sample(make_sample(n, b)) for n, b in files]
    t1 = time.perf_counter()
    for r in results:
        scan_extraction(r, ctx)
    t2 = time.perf_counter()
    return t1 - t0, t2 - t1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    paths = corpus_files()
    if not paths:
        raise SystemExit(f"no corpus at {CORPUS}")
    files = [(str(p), p.read_bytes()) for p in paths]
    ctx = ScanContext.load()
    scan_extraction(extract_sample(make_sample(*files[0])), ctx)  # warm caches (icon hashes)
    ratios = []
    for i in range(args.rounds):
        ext, judge = one_round(files, ctx)
        ratios.append(judge / ext)
        print(f"round {i + 1}: extraction {ext:.2f} s, judgement {judge:.2f} s ({judge / ext:.1%})")
    print(f"{len(files)} APKs; judgement / extraction median {statistics.median(ratios):.1%}")


if __name__ == "__main__":
    main()
