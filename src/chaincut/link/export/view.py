"""The chain set as typed nodes and edges, shared by the GraphML and CSV exports.

Nodes: Artifact (seed members, related non-seed artifacts, and every artifact a case
names), Indicator (every indicator that can link, with its role and supplier flag), Chain,
Case (every case, in a chain or not: a case outside any chain is still evidence). Edges:
MEMBER_OF (artifact → chain), CARRIES (artifact → indicator, weighted by the indicator's
link weight), SUPPLIES (supplier indicator → each chain it serves), REPORTS (case →
artifact). Every edge has its own id (``e0``, ``e1``...), so importers that key edges by
id (Gephi) keep them all.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from chaincut.link.chainset import ChainSet, InfraItem

Value = str | int | float | bool


@dataclass(frozen=True)
class Node:
    id: str
    label: str
    attrs: dict[str, Value] = field(default_factory=dict)


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    type: str
    weight: float = 1.0
    id: str = ""  # set by graph_view: unique over the export


def artifact_id(sha256: str) -> str:
    return f"artifact:{sha256}"


def _indicator_attrs(item: InfraItem) -> dict[str, str | int | float | bool]:
    attrs: dict[str, str | int | float | bool] = {
        "name": item.value, "kind": item.kind, "value": item.value, "role": item.role,
        "supplier": item.supplier, "weight": item.weight,
    }
    if item.provider:  # whose key an SDK key or builder app id is
        attrs["provider"] = item.provider
    return attrs


def indicator_id(kind: str, value: str) -> str:
    return f"indicator:{kind}:{value}"


def case_id(region: str, case: str) -> str:
    return f"case:{region}:{case}"


def _clean(attrs: dict[str, Value | None]) -> dict[str, Value]:
    return {k: v for k, v in attrs.items() if v is not None}


def graph_view(chainset: ChainSet) -> tuple[list[Node], list[Edge]]:
    """Nodes and edges in a stable order (re-exports of the same data are identical)."""
    nodes: dict[str, Node] = {}
    edges: list[Edge] = []
    weights: dict[str, float] = {}
    related = {s for c in chainset.chains for s in c.related}
    named = {s for case in chainset.cases for s in case.artifacts}
    for chain in chainset.chains:
        nodes[f"chain:{chain.id}"] = Node(
            f"chain:{chain.id}",
            "Chain",
            _clean(
                {
                    "name": chain.label or chain.id,
                    "size": len(chain.artifacts),
                    "loss_total": chain.loss_total,
                    "regions": ";".join(chain.regions),
                }
            ),
        )
        for item in chain.infrastructure:
            nid = indicator_id(item.kind, item.value)
            weights[nid] = item.weight
            nodes.setdefault(
                nid,
                Node(
                    nid,
                    "Indicator",
                    _indicator_attrs(item),
                ),
            )
            if item.supplier:
                edges.append(Edge(nid, f"chain:{chain.id}", "SUPPLIES", item.weight))
    for art in chainset.artifacts:
        if art.chain is None and art.sha256 not in related and art.sha256 not in named:
            continue
        aid = artifact_id(art.sha256)
        nodes[aid] = Node(
            aid,
            "Artifact",
            _clean(
                {
                    "name": art.label or art.sha256[:12],
                    "sha256": art.sha256,
                    "kind": art.kind,
                    "verdict": art.shown_verdict,
                    "score": art.score,
                    "brand": art.brand,
                    "category": art.category,
                    "chain": art.chain,
                }
            ),
        )
        if art.chain is not None:
            edges.append(Edge(aid, f"chain:{art.chain}", "MEMBER_OF"))
        for kind, value in art.indicators:
            nid = indicator_id(kind, value)
            if nid in nodes:
                edges.append(Edge(aid, nid, "CARRIES", weights.get(nid, 0.0)))
    for case in chainset.cases:
        cid = case_id(case.region, case.case_id)
        nodes[cid] = Node(
            cid,
            "Case",
            _clean(
                {
                    "name": case.case_id,
                    "region": case.region,
                    "reported_at": case.reported_at,
                    "loss_amount": case.loss_amount,
                    "chain": ";".join(case.chains) or None,
                    "notes": case.notes or None,
                }
            ),
        )
        edges.extend(
            Edge(cid, artifact_id(s), "REPORTS") for s in case.artifacts if artifact_id(s) in nodes
        )
    numbered = [replace(e, id=f"e{n}") for n, e in enumerate(edges)]
    return list(nodes.values()), numbered
