"""Cases name links; after ingest the stored verdicts reflect the chains; scan --db agrees.

A real SQLite store, ingested through the CLI: saved landing pages of one operation,
reported by the addresses victims were sent, one page nobody reported, and links.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

from tests.cli_helpers import run_cli

PAGE = """<!DOCTYPE html>
<!-- saved from url=(0040){origin} -->
<html><head><meta charset="utf-8"><title>下载</title></head>
<body><p>最新版本</p>
<a href="https://file.kit-dl.example/apk/{name}.apk?channel=K7">安卓下载</a>
</body></html>
"""


def _world(tmp_path: Path) -> tuple[Path, Path]:
    pages = tmp_path / "pages"
    pages.mkdir()
    for name in ("p1", "p2", "p3"):
        origin = f"https://d.kit-dl.example/s/{name}"
        (pages / f"{name}.html").write_text(PAGE.format(origin=origin, name=name), "utf-8")
    csv = tmp_path / "cases.csv"
    csv.write_text(
        "case_id,region,reported_at,loss_amount,artifacts,notes\n"
        "JS-1,江苏,2025-03-01,1000,https://d.kit-dl.example/s/p1,\n"
        "SX-2,山西,2025-03-02,2000,https://d.kit-dl.example/s/p2/;https://t.short.example/x9,\n"
        "LN-3,辽宁,2025-03-03,,missing.apk,\n",
        "utf-8",
    )
    return pages, csv


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_reported_links_resolve_and_stored_verdicts_follow_the_chain(tmp_path: Path) -> None:
    pages, csv = _world(tmp_path)
    db = f"sqlite:///{tmp_path / 'w.db'}"
    proc = run_cli("ingest", str(pages), "--cases", str(csv), "--db", db)
    assert proc.returncode == 0, proc.stderr
    # a missing file is the one unresolved reference, and says why
    assert "unresolved artifact 'missing.apk': file not found" in proc.stderr
    assert "1 unresolved" in proc.stderr
    with sqlite3.connect(tmp_path / "w.db") as conn:
        refs = dict(conn.execute("SELECT reference, sha256 FROM case_artifacts").fetchall())
        stored = {
            sha: (verdict, json.loads(result))
            for sha, verdict, result in conn.execute(
                "SELECT sha256, verdict, result FROM artifacts"
            )
        }
    p1, p2, p3 = (_sha(pages / f"{n}.html") for n in ("p1", "p2", "p3"))
    # the reported address is the page saved from it (trailing slash or not)
    assert refs["https://d.kit-dl.example/s/p1"] == p1
    assert refs["https://d.kit-dl.example/s/p2/"] == p2
    # a link nothing stored matches is a url artifact of its own
    short = hashlib.sha256(b"https://t.short.example/x9").hexdigest()
    assert refs["https://t.short.example/x9"] == short and short in stored
    assert refs["missing.apk"] is None

    chains = json.loads(run_cli("chains", "--db", db).stdout)["chains"]
    kit = [c for c in chains if p1 in c["artifacts"]]
    assert len(kit) == 1 and {p1, p2, p3} <= set(kit[0]["artifacts"])
    joined = {m["sha256"]: m["joined"] for m in kit[0]["members"]}
    assert joined[p3]["how"] in {"linked", "flagged"}
    # stored verdicts agree with the chain: every member is at least suspicious, with why
    for sha in (p1, p2, p3):
        verdict, result = stored[sha]
        assert verdict in {"suspicious", "malicious"}, sha
        details = [e["detail"] for e in result["evidence"] if e["rule"] == "link/chain-member"]
        assert details and details[0].startswith(f"belongs to chain {kit[0]['id']} (")

    # scan --db: a link never seen before, on the operation's own download host
    new = run_cli("scan", "https://file.kit-dl.example/apk/new.apk", "--db", db, "-f", "jsonl")
    result = json.loads(new.stdout.splitlines()[0])
    assert result["verdict"] in {"suspicious", "malicious"}
    member = [e for e in result["evidence"] if e["rule"] == "link/chain-member"]
    assert member and f"belongs to chain {kit[0]['id']} (" in member[0]["detail"]
    assert "2 cases in 2 provinces" in member[0]["detail"]

    # ... and leaves a link of no known chain alone
    other = run_cli("scan", "https://www.unrelated-shop.example/", "--db", db, "-f", "jsonl")
    plain = json.loads(other.stdout.splitlines()[0])
    assert all(e["rule"] != "link/chain-member" for e in plain["evidence"])
