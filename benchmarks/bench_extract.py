"""Extraction speed and memory: chaincut vs androguard vs the zipfile floor, in one run.

The floor is Python's ``zipfile`` inflating just AndroidManifest.xml, resources.arsc and
every classesN.dex: no parser can beat reading its input. androguard is timed producing
the facts chaincut's ratio is compared on (APK + label, permissions, certificates and all
DEX string tables). chaincut's main line times the same facts without signature
verification; verification is timed on its own line. Peak memory is measured in a child
process per tool and compared with 3x the largest input plus 100 MB.

    python benchmarks/bench_extract.py [CORPUS_DIR ...] [--repeat N] [--rounds R]
        [--lines chaincut,chaincut+verify,...]

Each line is timed by wall clock and by CPU time; on a shared, loaded machine the wall
ratios swing widely (a busy neighbour lands on one line and not another) while the CPU
ratios stay close to what an idle machine gives.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import subprocess
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = [
    ROOT.parent / "shared" / "corpus" / "malware",
    ROOT.parent / "shared" / "corpus" / "androguard",
]
sys.path.insert(0, str(ROOT / "src"))


def zip_files(dirs: list[Path]) -> list[Path]:
    """APKs that Python's zipfile can open (the floor must be measurable on each)."""
    out = []
    for d in dirs:
        for p in sorted(d.glob("*.apk")):
            try:
                with zipfile.ZipFile(p) as z:
                    z.namelist()
                out.append(p)
            except (zipfile.BadZipFile, OSError, ValueError):
                continue
    return out


def floor(paths: list[Path]) -> None:
    for p in paths:
        with zipfile.ZipFile(p) as z:
            for name in z.namelist():
                if name in ("AndroidManifest.xml", "resources.arsc") or (
                    name.startswith("classes") and name.endswith(".dex") and "/" not in name
                ):
                    with contextlib.suppress(Exception):  # the floor reads what zipfile can
                        z.read(name)


def androguard(paths: list[Path]) -> None:
    from androguard.core.apk import APK
    from androguard.core.dex import DEX
    from loguru import logger

    logger.remove()
    for p in paths:
        try:
            a = APK(str(p))
            a.get_app_name()
            a.get_permissions()
            a.get_certificates_der_v2()
            a.get_certificates_der_v3()
            list(a.get_certificates_v1())
            for data in a.get_all_dex():
                DEX(data).get_strings()
        except Exception:
            pass


def chaincut(
    paths: list[Path], verify: bool, indicators: bool = False, api_refs: bool = False
) -> None:
    from chaincut.extractors.apk.extract import extract_apk
    from chaincut.extractors.findings import Findings
    from chaincut.extractors.zip import ZipArchive, ZipFormatError

    for p in paths:
        buf = p.read_bytes()
        findings = Findings()
        try:
            archive = ZipArchive.parse(buf, findings)
        except ZipFormatError:
            continue
        result = extract_apk(
            archive, str(p), findings, verify=verify, indicators=indicators, api_refs=api_refs
        )
        for d in result.facts.dex:
            assert d.strings >= 0


def chaincut_strings(paths: list[Path]) -> int:
    """Decode every DEX string as androguard does, to show the lazy path is not cheating."""
    from chaincut.extractors.dex import DexFile
    from chaincut.extractors.findings import Findings

    total = 0
    for p in paths:
        with zipfile.ZipFile(p) as z:
            for name in z.namelist():
                if name.startswith("classes") and name.endswith(".dex") and "/" not in name:
                    try:
                        data = z.read(name)
                    except Exception:
                        continue
                    total += len(DexFile.parse(data, Findings(), name=name).strings())
    return total


TASKS = {
    "floor": floor,
    "androguard": androguard,
    "chaincut": lambda ps: chaincut(ps, verify=False),
    "chaincut+api_refs": lambda ps: chaincut(ps, verify=False, api_refs=True),
    "chaincut+verify": lambda ps: chaincut(ps, verify=True),
    "chaincut default": lambda ps: chaincut(ps, verify=True, indicators=True, api_refs=True),
    "chaincut-all-strings": chaincut_strings,
}


def setup(task: str) -> None:
    """Import what a line runs before its clock starts: every line is timed on its work,
    not on the interpreter loading modules (start-up has its own figures), including the
    modules extractors import lazily on first use (the knowledge base). Tables loaded on
    first use (the public suffix list, knowledge data, brand tokens) stay inside the timed
    part."""
    if task.startswith("chaincut"):
        import chaincut.extractors.apk.extract
        import chaincut.extractors.dex
        import chaincut.extractors.indicators.extract
        import chaincut.extractors.zip
        import chaincut.knowledge.kb  # noqa: F401  (imported by configs.py on first use)
    elif task == "androguard":
        import androguard.core.apk
        import androguard.core.dex  # noqa: F401


def child(task: str, paths: list[Path], repeat: int) -> dict[str, float]:
    """Run one task in this process: best wall time of ``repeat`` runs and peak RSS."""
    fn = TASKS[task]
    setup(task)
    best = best_cpu = float("inf")
    for _ in range(repeat):
        started, cpu = time.perf_counter(), time.process_time()
        fn(paths)
        best = min(best, time.perf_counter() - started)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": best, "cpu": best_cpu, "peak_mb": peak_mb}


def measure(task: str, listing: Path, repeat: int) -> dict[str, float]:
    proc = subprocess.run(
        [sys.executable, __file__, "--child", task, "--list", str(listing), "--repeat",
         str(repeat)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    result: dict[str, float] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("dirs", nargs="*", type=Path)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--child")
    ap.add_argument("--list", type=Path)
    ap.add_argument("--lines", help="comma-separated lines to run (floor is always run)")
    args = ap.parse_args()
    if args.child:
        paths = [Path(x) for x in args.list.read_text().splitlines()]
        print(json.dumps(child(args.child, paths, args.repeat)))
        return
    paths = zip_files(args.dirs or DEFAULT)
    listing = Path("/tmp/chaincut-bench-files.txt")
    listing.write_text("\n".join(map(str, paths)))
    largest = max(p.stat().st_size for p in paths) / 1e6
    total = sum(p.stat().st_size for p in paths) / 1e6
    print(f"corpus: {len(paths)} APKs, {total:.1f} MB, largest {largest:.1f} MB")
    print(f"each line: best of {args.repeat} runs in a fresh process")
    # Rounds interleave every line (one fresh process each, best of --repeat inside), and
    # ratios are taken within a round: this machine's speed drifts by 30% between minutes,
    # which would otherwise land on whichever line ran in a slow stretch.
    lines = list(TASKS) if not args.lines else ["floor", *args.lines.split(",")]
    unknown = [t for t in lines if t not in TASKS]
    if unknown:
        raise SystemExit(f"unknown line(s): {', '.join(unknown)}; one of {', '.join(TASKS)}")
    rounds = []
    for i in range(args.rounds):
        rounds.append({task: measure(task, listing, args.repeat) for task in lines})
        print(f"round {i + 1} done, load average {os.getloadavg()[0]:.1f}", flush=True)
    report(rounds, largest)


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def report(rounds: list[dict[str, dict[str, float]]], largest: float) -> None:
    """Median seconds and median within-round ratio (with its range) per line, by wall
    clock and by CPU time (``process_time``: what a shared machine's load does not
    inflate as much)."""
    print(f"{len(rounds)} interleaved rounds; ratio = median of within-round ratios [min-max]")
    lines = list(rounds[0])
    for task in lines:
        secs = [r[task]["seconds"] for r in rounds]
        ratios = [r[task]["seconds"] / r["floor"]["seconds"] for r in rounds]
        cpu = [r[task]["cpu"] / r["floor"]["cpu"] for r in rounds]
        peak = max(r[task]["peak_mb"] for r in rounds)
        print(
            f"{task:22s} {_median(secs):8.3f} s  {_median(ratios):5.2f}x floor "
            f"[{min(ratios):.2f}-{max(ratios):.2f}]  CPU {_median(cpu):5.2f}x "
            f"[{min(cpu):.2f}-{max(cpu):.2f}]  peak {peak:7.1f} MB"
        )
    for task in ("chaincut", "chaincut default"):  # the targets hold (or not) per round
        if task in lines:
            each = ", ".join(
                f"{r[task]['seconds'] / r['floor']['seconds']:.2f}/"
                f"{r[task]['cpu'] / r['floor']['cpu']:.2f}"
                for r in rounds
            )
            print(f"{task} per round, x floor wall/CPU: {each}")
    if "androguard" in lines and "chaincut" in lines:
        speed = [r["androguard"]["seconds"] / r["chaincut"]["seconds"] for r in rounds]
        print(
            f"chaincut vs androguard on the same facts: {_median(speed):.1f}x faster "
            f"[{min(speed):.1f}-{max(speed):.1f}]"
        )
    if {"chaincut", "chaincut+verify", "chaincut+api_refs", "chaincut default"} <= set(lines):
        verify = [r["chaincut+verify"]["seconds"] - r["chaincut"]["seconds"] for r in rounds]
        refs = [r["chaincut+api_refs"]["seconds"] - r["chaincut"]["seconds"] for r in rounds]
        scan = [
            r["chaincut default"]["seconds"] - r["chaincut+verify"]["seconds"] - ref
            for r, ref in zip(rounds, refs, strict=True)
        ]
        print(f"framework API references from DEX code: {_median(refs):.3f} s on its own")
        print(f"signature verification pass: {_median(verify):.3f} s on its own")
        print(f"indicator scan pass (URLs, domains, IPs, e-mails, phones): {_median(scan):.3f} s")
    if "chaincut default" in lines:
        budget = 3 * largest + 100
        peak = max(r["chaincut default"]["peak_mb"] for r in rounds)
        print(f"memory budget 3x largest + 100 MB = {budget:.0f} MB; chaincut peak {peak:.0f} MB")


if __name__ == "__main__":
    main()
