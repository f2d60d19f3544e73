"""Ingest throughput: artifacts stored per minute, with 1 and 2 worker processes.

Each configuration ingests the same files into a fresh store (SQLite, and PostgreSQL
when its binaries are found: a throwaway server like the tests use) with the real
driver (hash, extract under budget, judge, write blob + row + custody per artifact).
Scan-context loading and store creation are outside the timed part.

    python benchmarks/bench_ingest.py [DIR ...] [--repeat N]
"""

from __future__ import annotations

import argparse
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


def run_once(url: str, blobs: Path | None, files: list[str], workers: int,
             scanner: IngestScanner) -> tuple[float, int]:
    inputs = collect(files)
    with Store.open(url, blobs, actor="bench") as store:
        options = IngestOptions(budget=Budget(keep_blobs=True), workers=workers)
        start = time.perf_counter()
        summary = Ingest(store, scanner, options).run(inputs.jobs)
        return time.perf_counter() - start, summary.new


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("dirs", nargs="*", type=Path, default=DEFAULT)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    files = [str(d) for d in args.dirs if d.is_dir()]
    jobs = collect(files).jobs
    print(f"{len(jobs)} input files from {', '.join(files)}")
    scanner = IngestScanner.load()
    print(f"detection: {'fallback' if scanner.is_fallback else scanner.rules_version}")
    with tempfile.TemporaryDirectory(prefix="chaincut-bench-") as tmp:
        n = 0
        for backend, url_t, blobs_t in _stores(Path(tmp)):
            for workers in (1, 2):
                rates, stored = [], 0
                for _ in range(args.repeat):
                    n += 1
                    url = url_t.format(n=n) if url_t else _pg_database()
                    blobs = Path(str(blobs_t).format(n=n)) if blobs_t else None
                    seconds, stored = run_once(url, blobs, files, workers, scanner)
                    rates.append(stored / seconds * 60)
                print(f"{backend:<11} workers={workers}  {stored} artifacts  "
                      f"median {statistics.median(rates):7.0f}/min  "
                      f"(runs: {', '.join(f'{r:.0f}' for r in rates)})")


def _pg_database() -> str:
    from tests.store_pg import pg_server

    return pg_server().new_database()


if __name__ == "__main__":
    main()
