"""Ingest throughput: artifacts stored per minute, with 1 and 2 worker processes.

Each configuration ingests the same files into a fresh store (SQLite, and PostgreSQL
when its binaries are found: a throwaway server like the tests use) with the real
driver (hash; extract, judge and prepare in budgeted workers; write blobs + rows +
custody in batches). Scan-context loading and store creation are outside the timed part.
Runs of the configurations are interleaved (round-robin), so a drift in the machine's
load hits them alike.

Besides wall-clock artifacts per minute, each run prints the CPU time it used (driver
plus workers) and the load average: on a shared machine the wall figure mostly measures
the neighbours, while ``cpu/artifact`` and ``2-core capacity`` (artifacts per minute two
free cores would give: 120 s of CPU per minute, or the driver's own CPU if that is the
larger limit) do not.

    python benchmarks/bench_ingest.py [DIR ...] [--world WORLD] [--repeat N] [--no-pg]

``--world`` ingests a validation world's inputs (apks, ipas, profiles, pages, qr) with
its brand registry, as the validation runs do.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = [ROOT / "tests" / "fixtures", ROOT.parent / "shared" / "corpus" / "androguard"]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from chaincut.cli.inputs import collect  # noqa: E402
from chaincut.extractors.budget import Budget  # noqa: E402
from chaincut.store import Store  # noqa: E402
from chaincut.store.ingest import Ingest, IngestOptions  # noqa: E402
from chaincut.store.scanning import IngestScanner  # noqa: E402


def _stores(tmp: Path) -> list[tuple[str, str, Path | None]]:
    """(name, url, blobs) per backend available here."""
    out: list[tuple[str, str, Path | None]] = [("sqlite", f"sqlite:///{tmp}/{{n}}.sqlite", None)]
    from tests.store_pg import _server

    server = _server()
    if isinstance(server, str):
        print(f"PostgreSQL skipped: {server}", file=sys.stderr)
    else:
        out.append(("postgresql", "", tmp / "pg-blobs-{n}"))
    return out


WORLD_PARTS = ("apks", "ipas", "profiles", "pages", "qr")


def _cpu() -> tuple[float, float]:
    """(this process's CPU seconds, CPU seconds of its waited-for children)."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime


def run_once(url: str, blobs: Path | None, files: list[str], workers: int,
             scanner: IngestScanner) -> tuple[float, int, float, float]:
    """(wall seconds, artifacts stored, driver CPU seconds, worker CPU seconds)."""
    inputs = collect(files)
    with Store.open(url, blobs, actor="bench") as store:
        options = IngestOptions(budget=Budget(keep_blobs=True), workers=workers)
        own0, kids0 = _cpu()
        start = time.perf_counter()
        summary = Ingest(store, scanner, options).run(inputs.jobs)
        wall = time.perf_counter() - start
        own1, kids1 = _cpu()
        return wall, summary.new, own1 - own0, kids1 - kids0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("dirs", nargs="*", type=Path)
    parser.add_argument("--world", type=Path, help="a validation world folder")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-pg", action="store_true", help="SQLite only")
    args = parser.parse_args()
    dirs = list(args.dirs) + ([args.world / p for p in WORLD_PARTS] if args.world else [])
    files = [str(d) for d in (dirs or DEFAULT) if d.is_dir()]
    jobs = collect(files).jobs
    print(f"{len(jobs)} input files from {', '.join(files)}")
    brands = [args.world / "brands.yaml"] if args.world else []
    scanner = IngestScanner.load(brands)
    print(f"detection: {'fallback' if scanner.is_fallback else scanner.rules_version}")
    with tempfile.TemporaryDirectory(prefix="chaincut-bench-") as tmp:
        stores = _stores(Path(tmp))[: 1 if args.no_pg else None]
        configs = [(b, u, bl, w) for b, u, bl in stores for w in (1, 2)]
        rates: dict[int, list[float]] = {i: [] for i in range(len(configs))}
        n = 0
        for round_ in range(args.repeat):
            for i, (backend, url_t, blobs_t, workers) in enumerate(configs):
                n += 1
                url = url_t.format(n=n) if url_t else _pg_database()
                blobs = Path(str(blobs_t).format(n=n)) if blobs_t else None
                load = os.getloadavg()[0]
                wall, stored, own, kids = run_once(url, blobs, files, workers, scanner)
                rate = stored / wall * 60
                capacity = stored / max((own + kids) / 2, own) * 60
                rates[i].append(rate)
                print(f"round {round_ + 1} {backend:<10} workers={workers}  {stored} artifacts  "
                      f"{wall:6.1f} s  {rate:7.0f}/min  cpu/artifact "
                      f"{(own + kids) / stored * 1000:5.1f} ms (driver {own / stored * 1000:4.1f})"
                      f"  2-core capacity {capacity:7.0f}/min  load {load:.1f}", flush=True)
        for i, (backend, _, _, workers) in enumerate(configs):
            runs = rates[i]
            print(f"{backend:<11} workers={workers}  median {statistics.median(runs):7.0f}/min  "
                  f"[{min(runs):.0f}-{max(runs):.0f}]")


def _pg_database() -> str:
    from tests.store_pg import pg_server

    return pg_server().new_database()


if __name__ == "__main__":
    main()
