"""``chaincut scan URL --fetch``: a link is judged by the worst thing it leads to, with
the redirect chain as evidence (local site on 127.0.0.1 only)."""

from __future__ import annotations

import base64

from chaincut.detect.destination import judge_by_destination
from chaincut.facts.models import FactsDocument
from chaincut.facts.web import FetchFacts, FetchHop
from chaincut.result.models import Evidence, ScanResult
from tests.cli_helpers import jsonl, run_cli
from tests.fetch_site import html, redirect, serve


def result(path: str, verdict: str, score: int, kind: str = "page") -> ScanResult:
    ev = [Evidence(rule="fraud/x", severity="medium", detail="why", score=score)] if score else []
    return ScanResult(
        sha256="0" * 64, path=path, kind=kind, verdict=verdict, score=score,  # type: ignore[arg-type]
        category=None, impersonates=None, evidence=ev, indicators=[], errors=[],
    )  # fmt: skip


def doc(
    path: str, chain: list[str] | None = None, parent: str | None = None, sha: str = "1"
) -> FactsDocument:
    fetch = FetchFacts(requested=path, chain=[FetchHop(url=u) for u in chain or [path]],
                       parent=parent)  # fmt: skip
    return FactsDocument(sha256=sha * 64, path=path, kind="page", size=1, fetch=fetch)


def test_link_takes_the_worst_destination_with_the_path_there() -> None:
    start = result("https://s.example/a", "clean", 10, kind="url")
    start_doc = FactsDocument(sha256="a" * 64, path="https://s.example/a", kind="url", size=1)
    land = doc("https://land.example/", ["https://s.example/a", "https://land.example/"], "a" * 64)
    apk = doc("https://cdn.example/x.apk", parent="1" * 64, sha="2")
    reached = [
        (land, result("https://land.example/", "suspicious", 45)),
        (apk, result("https://cdn.example/x.apk", "malicious", 80, kind="apk")),
    ]
    out = judge_by_destination(start, start_doc, reached)
    assert (out.verdict, out.score) == ("malicious", 80)
    rules = [e.rule for e in out.evidence]
    assert rules[0] == "judgement/leads-to" and "judgement/redirect-chain" in rules
    lead = out.evidence[0]
    assert lead.severity == "high" and "x.apk" in lead.detail
    assert "https://s.example/a → https://land.example/ → https://cdn.example/x.apk" in lead.detail


def test_link_to_clean_destinations_keeps_its_own_verdict() -> None:
    start = result("https://shop.example/", "clean", 0, kind="url")
    reached = [(doc("https://shop.example/app.apk"), result("x.apk", "clean", 5, kind="apk"))]
    out = judge_by_destination(start, doc("https://shop.example/"), reached)
    assert (out.verdict, out.score) == ("clean", 0)
    assert all(e.rule != "judgement/leads-to" for e in out.evidence)


def test_scan_fetch_judges_a_short_link_by_its_landing_page() -> None:
    routes = {
        "/": redirect("/go"),
        "/go": html(
            "<html><head><title>跳转</title>"
            '<meta http-equiv="refresh" content="0;url=/land"></head><body>...</body></html>'
        ),
        "/land": html(
            "<html><head><title>皇冠体育</title></head><body>时时彩 百家乐 下注 充值彩金 "
            "体育投注 提款秒到</body></html>"
        ),
    }
    with serve(routes) as site:
        done = run_cli("scan", site.url("/"), "--fetch", "--allow-private", "-f", "jsonl")
    assert done.returncode == 0, done.stderr
    results = jsonl(done.stdout)
    assert results[0]["verdict"] in ("suspicious", "malicious")
    rules = {e["rule"] for e in results[0]["evidence"]}
    assert {"judgement/leads-to", "judgement/redirect-chain"} <= rules
    assert any(r["path"].endswith("/land") for r in results[1:])


def test_scan_without_fetch_reads_the_link_offline() -> None:
    done = run_cli("scan", "http://127.0.0.1:9/", "-f", "jsonl")
    results = jsonl(done.stdout)
    assert len(results) == 1
    assert all(e["rule"] != "judgement/leads-to" for e in results[0]["evidence"])


def test_scan_fetch_follows_a_link_the_page_hides_in_base64() -> None:
    hidden = base64.b64encode(b"/land").decode()
    routes = {
        "/": html(f'<html><head><title>下载</title></head><body><script>'
                  f'var go = atob("{hidden}"); window.location.href = go;</script></body></html>'),
        "/land": html(
            "<html><head><title>皇冠体育</title></head><body>时时彩 百家乐 下注 充值彩金 "
            "体育投注 提款秒到</body></html>"
        ),
    }
    with serve(routes) as site:
        done = run_cli("scan", site.url("/"), "--fetch", "--allow-private", "-f", "jsonl")
        assert site.hits("/land") >= 1  # reached only through the decoded address
    assert done.returncode == 0, done.stderr
    results = jsonl(done.stdout)
    assert results[0]["verdict"] in ("suspicious", "malicious")
    rules = {e["rule"] for e in results[0]["evidence"]}
    assert "judgement/leads-to" in rules
