"""Load benchmark of ``chaincut serve`` on 127.0.0.1: search and result latency under 50
concurrent clients, public-check throughput, and the answer time of a 10 MB APK.

1. A store of N synthetic artifacts (default 100,000) is written in bulk into the store's
   tables (opened and migrated by :class:`chaincut.store.Store`, one custody entry per
   batch), gangs of 50 sharing certificates, domains and servers, so search hits are
   realistic; it is kept in ``--keep`` and reused by later runs.
2. ``chaincut serve`` is started on it (a free port on 127.0.0.1, one runner process).
3. With ``--link-on-demand`` (chains are not rebuilt in the background, which takes
   minutes at this size and would compete with the load), a bounded number of requests
   is sent by ``--clients`` concurrent clients: GET /api/v1/search (indicator
   values picked from the store) and GET /api/v1/jobs/{id} (a finished job's result).
4. ``--checks`` public checks of a demo-world fake APK are submitted at once: accepted
   submissions per second, and answered per second until the last one is done.
5. A fake APK padded to 10 MB (an extra stored asset) is checked alone, submit to answer.

Every loop has a fixed request count and the server is stopped at the end; nothing but
127.0.0.1 is contacted.

    python benchmarks/bench_serve.py [--artifacts 100000] [--clients 50] [--requests 2000]
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from sqlalchemy import insert  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from chaincut.extractors.dispatch import ExtractionResult  # noqa: E402
from chaincut.facts.models import FactsDocument  # noqa: E402
from chaincut.result.models import ResultIndicator, ScanResult  # noqa: E402
from chaincut.store import Store  # noqa: E402
from chaincut.store.custody import add_entry  # noqa: E402
from chaincut.store.engine import WRITE  # noqa: E402
from chaincut.store.schema import Artifact, ArtifactIndicator, IndicatorRow  # noqa: E402
from chaincut.store.util import digest, utcnow  # noqa: E402
from chaincut.web.auth import new_token, set_user  # noqa: E402

BATCH = 2000
GANG = 50


def _hex(*parts: object) -> str:
    return hashlib.sha256("/".join(map(str, parts)).encode()).hexdigest()


def synthetic(i: int) -> tuple[ExtractionResult, ScanResult]:
    """Artifact i of gang i // GANG: its own package and URL, the gang's certificate,
    domain and server IP, and a supplier (builder app id) shared by 20 gangs."""
    gang = i // GANG
    sha = _hex("artifact", i)
    indicators = [
        ResultIndicator(kind="package", value=f"com.gang{gang}.app{i}", role="developer"),
        ResultIndicator(kind="cert_sha256", value=_hex("cert", gang), role="developer"),
        ResultIndicator(kind="domain", value=f"pay-{gang}.example", role="server"),
        ResultIndicator(kind="ip", value=f"198.51.{gang % 250}.{gang // 250 % 250}", role="server"),
        ResultIndicator(kind="url", value=f"https://pay-{gang}.example/api/{i}", role="server"),
        ResultIndicator(
            kind="builder_app_id", value=f"dcloud:__UNI__{gang // 20:07X}", role="developer"
        ),
    ]
    doc = FactsDocument(sha256=sha, path=f"synthetic/{i}.apk", kind="apk", size=1000 + i,
                        extractor="bench-serve")  # fmt: skip
    verdict = "malicious" if i % 10 else "clean"
    scan = ScanResult(sha256=sha, path=doc.path, kind="apk", verdict=verdict,
                      score=80 if verdict == "malicious" else 0, indicators=indicators,
                      summary="synthetic", knowledge_version="bench",
                      rules_version="bench")  # fmt: skip
    return ExtractionResult(doc), scan


def build_store(url: str, count: int) -> None:
    """Write the synthetic artifacts in bulk into the store's tables (one custody entry per
    batch); the per-file ingest path is timed by bench_ingest.py, not here."""
    with Store.open(url, actor="bench") as store:
        have = store.stats().artifacts
        if have >= count:
            return
        if have:
            raise SystemExit(f"{url} holds {have} artifacts, fewer than {count}: remove it")
        start = time.perf_counter()
        ids: dict[tuple[str, str], int] = {}
        for first in range(0, count, BATCH * 5):
            items = range(first, min(count, first + BATCH * 5))
            now = utcnow()
            arts, links, fresh = [], [], []
            for i in items:
                result, scan = synthetic(i)
                doc = result.document
                arts.append({
                    "sha256": doc.sha256, "kind": doc.kind, "size": doc.size, "first_seen": now,
                    "last_seen": now, "label": f"app {i}", "verdict": scan.verdict,
                    "score": scan.score, "category": None, "brand": None, "parent": None,
                    "facts": doc.model_dump(mode="json"),
                    "result": scan.model_dump(mode="json", exclude={"facts"}),
                    "blob_path": None, "knowledge_version": "bench", "rules_version": "bench",
                    "extractor": "bench-serve"})  # fmt: skip
                for ordinal, ind in enumerate(scan.indicators):
                    key = (ind.kind, ind.value)
                    if key not in ids:
                        ids[key] = len(ids) + 1
                        fresh.append({"id": ids[key], "kind": ind.kind, "value": ind.value,
                                      "digest": digest(ind.value)})  # fmt: skip
                    links.append({"sha256": doc.sha256, "ordinal": ordinal,
                                  "indicator_id": ids[key], "role": ind.role,
                                  "common": False, "location": None})  # fmt: skip
            with Session(store.engine.execution_options(**WRITE)) as session, session.begin():
                session.execute(insert(Artifact), arts)
                if fresh:
                    session.execute(insert(IndicatorRow), fresh)
                session.execute(insert(ArtifactIndicator), links)
                add_entry(session, "bench", "ingest", f"synthetic {first}..{items[-1]}",
                          {"count": len(arts)}, [a["sha256"] for a in arts])  # fmt: skip
            print(f"  store: {items[-1] + 1}/{count} artifacts, "
                  f"{time.perf_counter() - start:.0f}s", file=sys.stderr, flush=True)  # fmt: skip


def fake_apks(keep: Path) -> tuple[Path, Path, Path]:
    """A demo-world fake APK, the world's brands, and the APK padded to 10 MB."""
    from chaincut.sim.build import build_world
    from chaincut.sim.truth import TRUTH_FILE, WorldTruth
    from chaincut.sim.world import WorldSpec

    world = keep / "world"
    if not (world / TRUTH_FILE).is_file():
        build_world(WorldSpec(seed=0, size="tiny"), world)
    truth = WorldTruth.model_validate_json((world / TRUTH_FILE).read_bytes())
    apk = world / next(a.path for a in truth.artifacts if a.role == "fake" and a.kind == "apk")
    big = keep / "fake-10mb.apk"
    if not big.is_file():
        data = apk.read_bytes()
        big.write_bytes(data)
        with zipfile.ZipFile(big, "a", zipfile.ZIP_STORED) as zf:
            pad = 10 * 1024 * 1024 - len(data) - 200
            zf.writestr("assets/padding.bin", random.Random(0).randbytes(pad))
    return apk, world / truth.brands_file, big


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return {"n": len(ordered), "p50_ms": round(pick(0.50) * 1000, 1),
            "p95_ms": round(pick(0.95) * 1000, 1), "p99_ms": round(pick(0.99) * 1000, 1),
            "mean_ms": round(statistics.fmean(ordered) * 1000, 1)}  # fmt: skip


async def _raw_get(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes
                   ) -> int:  # fmt: skip
    """One keep-alive HTTP/1.1 GET on an open connection: its status (body read, dropped)."""
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    await reader.readexactly(length)
    return status


async def hammer(base: str, paths: list[str], clients: int, token: str) -> tuple[dict, float]:
    """GET every path once, ``clients`` at a time, each client on its own keep-alive
    connection; latency percentiles and requests/s.

    The clients speak plain HTTP/1.1 over asyncio streams (about 0.05 ms of client CPU
    per request) rather than through httpx's connection pool, which on this 2-core
    machine cost more CPU per request than the server's search and so measured the
    client: on the same server 50 httpx clients reached about 115 finished-job reads per
    second (load 12), fewer than one client's searches per second.
    """
    queue: asyncio.Queue[str] = asyncio.Queue()
    for p in paths:
        queue.put_nowait(p)
    latencies: list[float] = []
    errors = 0
    host, port = base.removeprefix("http://").split(":")

    async def client() -> None:
        nonlocal errors
        reader, writer = await asyncio.open_connection(host, int(port))
        try:
            while not queue.empty():
                path = queue.get_nowait()
                request = (f"GET {path} HTTP/1.1\r\nHost: {host}\r\n"
                           f"Authorization: Bearer {token}\r\n\r\n").encode()  # fmt: skip
                t = time.perf_counter()
                try:
                    status = await _raw_get(reader, writer, request)
                except (OSError, asyncio.IncompleteReadError, ValueError):
                    errors += 1  # counted, not fatal: the run stays bounded
                    writer.close()
                    reader, writer = await asyncio.open_connection(host, int(port))
                    continue
                latencies.append(time.perf_counter() - t)
                errors += status != 200
        finally:
            writer.close()

    start = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    elapsed = time.perf_counter() - start
    stats = percentiles(latencies) | {"errors": errors, "req_per_s": round(len(paths) / elapsed, 1)}
    return stats, elapsed


def wait_done(http: httpx.Client, job_ids: list[str], limit: float) -> float:
    """Seconds until every job is done or failed (polled every 50 ms), bounded."""
    start = time.perf_counter()
    pending = set(job_ids)
    while pending and time.perf_counter() - start < limit:
        for job_id in list(pending):
            if http.get(f"/api/v1/jobs/{job_id}").json()["status"] in ("done", "failed"):
                pending.discard(job_id)
        time.sleep(0.05)
    if pending:
        raise SystemExit(f"{len(pending)} check(s) not answered within {limit:.0f}s")
    return time.perf_counter() - start


def submit(http: httpx.Client, path: Path) -> str:
    with path.open("rb") as fh:
        r = http.post("/api/v1/check", files={"file": (path.name, fh)})
    r.raise_for_status()
    return str(r.json()["id"])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--artifacts", type=int, default=100_000)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--requests", type=int, default=2000, help="per endpoint")
    ap.add_argument("--checks", type=int, default=20)
    ap.add_argument("--web-workers", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=1, help="search/result rounds (spread)")
    ap.add_argument("--search-only", action="store_true", help="skip the public checks")
    ap.add_argument("--build-only", action="store_true", help="only build (or finish) the store")
    ap.add_argument(
        "--keep", type=Path, default=Path(tempfile.gettempdir()) / "chaincut-bench-serve"
    )
    args = ap.parse_args()
    keep = args.keep / f"n{args.artifacts}"
    keep.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{keep / 'store.sqlite'}"
    t = time.perf_counter()
    build_store(url, args.artifacts)
    built = time.perf_counter() - t
    if args.build_only:
        return
    apk, brands, big = fake_apks(keep)
    with Store.open(url) as store:
        set_user(store.engine, "bench", "bench-password", "analyst")
        user = (
            store.engine.connect()
            .exec_driver_sql("SELECT id FROM web_users WHERE name = 'bench'")
            .scalar()
        )
        _id, token = new_token(store.engine, int(user or 0), "bench", 1)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    cmd = [sys.executable, "-m", "chaincut", "serve", "--db", url, "--port", str(port),
           "--brands", str(brands), "--public-per-minute", "100000",
           "--api-per-minute", "1000000", "--web-workers", str(args.web_workers),
           "--link-on-demand"]  # fmt: skip
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    report: dict[str, object] = {"artifacts": args.artifacts, "clients": args.clients,
                                 "store_build_s": round(built, 1)}  # fmt: skip
    try:
        http = httpx.Client(base_url=base, timeout=600)
        for _ in range(300):
            try:
                http.get("/")
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        auth = {"authorization": f"Bearer {token}"}
        http.get("/api/v1/search", params={"q": "warm-up"}, headers=auth).raise_for_status()
        job = submit(http, apk)
        wait_done(http, [job], 120)
        rng = random.Random(1)
        gangs = max(1, args.artifacts // GANG)
        values = [rng.choice([_hex("cert", g), f"pay-{g}.example", f"com.gang{g}.app{g * GANG}"])
                  for g in (rng.randrange(gangs) for _ in range(args.requests))]  # fmt: skip
        searches = [f"/api/v1/search?q={v}" for v in values]
        one = searches[: max(1, args.requests // 5)]
        results = [f"/api/v1/jobs/{job}"] * args.requests
        rounds: list[dict[str, object]] = []
        for _ in range(args.rounds):  # the same requests again: the spread between rounds
            row: dict[str, object] = {"load_before": round(os.getloadavg()[0], 2)}
            row["search"], _ = asyncio.run(hammer(base, searches, args.clients, token))
            row["search_1_client"], _ = asyncio.run(hammer(base, one, 1, token))
            row["result"], _ = asyncio.run(hammer(base, results, args.clients, token))
            row["load_after"] = round(os.getloadavg()[0], 2)
            rounds.append(row)
            print(json.dumps(row), file=sys.stderr, flush=True)
        report["rounds"] = rounds
        if args.search_only:
            return
        t = time.perf_counter()
        jobs = [submit(http, apk) for _ in range(args.checks)]
        accepted = time.perf_counter() - t
        answered = wait_done(http, jobs, 600)
        report["public_check"] = {
            "submissions": args.checks,
            "accepted_per_s": round(args.checks / accepted, 1),
            "answered_per_s": round(args.checks / (accepted + answered), 2),
        }
        t = time.perf_counter()
        big_job = submit(http, big)
        wait_done(http, [big_job], 120)
        report["check_10mb_apk_s"] = round(time.perf_counter() - t, 2)
        plain = http.get(f"/api/v1/jobs/{big_job}").json()["plain"]
        report["check_10mb_apk_verdict"] = plain["verdict"] if plain else None
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        report["load"] = os.getloadavg()[0]
        print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
