"""A chain as Cytoscape.js elements: artifacts, the infrastructure linking them, cases.

Filters keep the graph readable: ``role`` keeps infrastructure of one trade (developer,
server, distributor...), ``region`` keeps the artifacts named in that region's cases,
``since``/``until`` keep artifacts first seen in the span (ISO dates).
"""

from __future__ import annotations

from typing import Any

from chaincut.link.chainset import Chain
from chaincut.web.state import Linked

Element = dict[str, Any]


def chain_elements(
    linked: Linked,
    chain: Chain,
    role: str | None = None,
    region: str | None = None,
    since: str | None = None,
    until: str | None = None,
) -> list[Element]:
    """Nodes and edges of one chain, filtered."""
    keep = set(chain.artifacts)
    infos = {a.sha256: a for a in linked.chainset.artifacts if a.sha256 in keep}
    if region:
        named = {s for c in chain.cases if c.region == region or c.region_raw == region
                 for info in linked.chainset.cases if info.case_id == c.case_id
                 and info.region == c.region for s in info.artifacts}  # fmt: skip
        keep &= named
    for sha in list(keep):
        first = (infos[sha].first_seen or "")[:10] if sha in infos else ""
        if (since and first and first < since) or (until and first and first > until):
            keep.discard(sha)
    out: list[Element] = []
    for sha in sorted(keep):
        info = infos.get(sha)
        label = (info.label if info else None) or sha[:12]
        out.append(
            {
                "group": "nodes",
                "data": {
                    "id": f"a:{sha}",
                    "label": label,
                    "type": "artifact",
                    "kind": info.kind if info else "",
                    "verdict": info.shown_verdict if info else "",
                },
            }
        )
    infra = {(i.kind, i.value): i for i in chain.infrastructure if not role or i.role == role}
    used: set[tuple[str, str]] = set()
    for sha in sorted(keep):
        info = infos.get(sha)
        for kind, value in info.indicators if info else []:
            if (kind, value) not in infra:
                continue
            used.add((kind, value))
            out.append(
                {
                    "group": "edges",
                    "data": {
                        "id": f"e:{sha[:16]}:{kind}:{value}"[:300],
                        "source": f"a:{sha}",
                        "target": f"i:{kind}:{value}",
                    },
                }
            )
    for kind, value in sorted(used):
        item = infra[(kind, value)]
        out.append(
            {
                "group": "nodes",
                "data": {
                    "id": f"i:{kind}:{value}",
                    "label": f"{kind}: {value}"[:80],
                    "type": "infra",
                    "role": item.role,
                    "supplier": item.supplier,
                },
            }
        )
    for case in chain.cases:
        if region and region not in (case.region, case.region_raw):
            continue
        members = [
            s
            for info in linked.chainset.cases
            if info.case_id == case.case_id and info.region == case.region
            for s in info.artifacts
            if s in keep
        ]
        if not members:
            continue
        cid = f"c:{case.region}:{case.case_id}"
        out.append({"group": "nodes", "data": {"id": cid, "label": f"{case.region} {case.case_id}",
                                               "type": "case"}})  # fmt: skip
        out += [{"group": "edges", "data": {"id": f"{cid}>{s[:16]}", "source": cid,
                                            "target": f"a:{s}"}} for s in members]  # fmt: skip
    return out
