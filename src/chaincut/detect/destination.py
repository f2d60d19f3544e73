"""A link is as bad as the worst thing it leads to (``chaincut scan URL --fetch``).

A crawl yields the link's own document first, then every artifact reached from it (pages,
APKs, IPAs, manifests, profiles), each judged on its own. The link's result then takes the
verdict of the worst artifact reached, with one evidence item naming that artifact, its
verdict and the way there (the redirect chain of the start URL and the link followed), so
an investigator sees *why* a harmless-looking short link is malicious. The score is the
worst of the link's own and the destination's, never a sum: the same fraud is not counted
twice.
"""

from __future__ import annotations

from collections.abc import Sequence

from chaincut.facts.models import FactsDocument
from chaincut.result.models import Evidence, ScanResult, Severity

RANK = {"unknown": 0, "clean": 0, "suspicious": 1, "malicious": 2}
MAX_HOPS = 8


def _hops(doc: FactsDocument) -> list[str]:
    fetch = doc.fetch
    if fetch is None:
        return []
    hops = [h.url for h in fetch.chain][:MAX_HOPS]
    if fetch.final_url and (not hops or hops[-1] != fetch.final_url):
        hops.append(fetch.final_url)
    return hops


def path_to(doc: FactsDocument, docs: Sequence[FactsDocument]) -> list[str]:
    """Every URL from the start of the crawl to ``doc``: the redirect hops of each
    document on the way, walking up the links followed (``fetch.parent``)."""
    by_sha = {d.sha256: d for d in docs}
    parts: list[list[str]] = []
    seen: set[str] = set()
    node: FactsDocument | None = doc
    while node is not None and node.sha256 not in seen and len(parts) < MAX_HOPS:
        seen.add(node.sha256)
        parts.append(_hops(node))
        parent = node.fetch.parent if node.fetch else None
        node = by_sha.get(parent) if parent else None
    out: list[str] = []
    for hops in reversed(parts):
        for url in hops:
            if not out or out[-1] != url:
                out.append(url)
    return out


def _severity(verdict: str) -> Severity:
    return "high" if verdict == "malicious" else "medium"


def judge_by_destination(
    start: ScanResult, start_doc: FactsDocument, reached: Sequence[tuple[FactsDocument, ScanResult]]
) -> ScanResult:
    """``start`` with the verdict of the worst artifact it leads to, and the path there."""
    evidence = list(start.evidence)
    docs = [start_doc, *(d for d, _ in reached)]
    hops = path_to(reached[0][0], docs) if reached else []
    if len(hops) > 1:
        evidence.append(
            Evidence(
                rule="judgement/redirect-chain",
                severity="info",
                detail="redirects: " + " → ".join(hops),
                name="Redirect chain",
            )
        )
    ranked = sorted(reached, key=lambda x: (RANK[x[1].verdict], x[1].score), reverse=True)
    if not ranked:
        return start.model_copy(update={"evidence": evidence})
    doc, result = ranked[0]
    worse = (RANK[result.verdict], result.score) > (RANK[start.verdict], start.score)
    if RANK[result.verdict] == 0 or not worse:
        return start.model_copy(update={"evidence": evidence})
    way = path_to(doc, docs)
    via = " → ".join(way) if len(way) > 1 else None
    reasons = "; ".join(e.detail for e in result.evidence if e.score > 0)[:400]
    detail = (
        f"leads to {result.kind} {result.path} judged {result.verdict} ({result.score})"
        + (f" via {via}" if via else "")
        + (f": {reasons}" if reasons else "")
    )
    evidence.insert(
        0,
        Evidence(
            rule="judgement/leads-to",
            severity=_severity(result.verdict),
            detail=detail,
            name="Leads to a fraud artifact",
            score=result.score,
            categories=[result.category] if result.category else [],
        ),
    )
    verdict = result.verdict if RANK[result.verdict] > RANK[start.verdict] else start.verdict
    return start.model_copy(
        update={
            "evidence": evidence,
            "verdict": verdict,
            "score": max(start.score, result.score),
            "category": start.category or result.category,
            "impersonates": start.impersonates or result.impersonates,
        }
    )
