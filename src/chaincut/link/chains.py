"""``build_chains``: from artifact and case records to chains, suppliers and case views.

The clustering itself (cluster.py) works on arrays; this module maps its labels back to
records, names each chain with a content-derived id (``ch-`` + first 10 hex of the sha256
of its smallest member sha256, so ids survive re-runs and input reordering), lists each
chain's infrastructure with roles, and ranks suppliers by how much removing them cuts.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Sequence

import numpy as np
from scipy import sparse

from chaincut.link.cases import case_infos, cases_by_chain, loss_total, timeline
from chaincut.link.chainset import (
    ArtifactInfo,
    CaseRef,
    Chain,
    ChainSet,
    InfraItem,
    Joined,
    Member,
    Supplier,
    SupplierRef,
)
from chaincut.link.cluster import Clustering, cluster
from chaincut.link.graph import IntArray, RecordGraph, from_records
from chaincut.link.kinds import DELIVERY_KINDS, role_of
from chaincut.link.model import ArtifactRecord, CaseRecord
from chaincut.link.params import LinkParams
from chaincut.link.suppliers import fold_into_domains
from chaincut.result.models import Role


def chain_id(members: Sequence[str]) -> str:
    """Stable id of a chain: derived from its smallest member, not from run order."""
    return "ch-" + hashlib.sha256(min(members).encode()).hexdigest()[:10]


class _Context:
    """Index structures shared by the per-chain and per-supplier passes."""

    def __init__(self, rg: RecordGraph, result: Clustering, params: LinkParams) -> None:
        self.rg = rg
        self.result = result
        graph = rg.graph
        self.by_artifact = graph.incidence()
        self.by_indicator = sparse.csr_matrix(self.by_artifact.T)
        self.shown = ~graph.excluded(params) if result.shown is None else result.shown
        self.shas = [a.sha256.casefold() for a in rg.artifacts]
        groups: dict[int, list[int]] = defaultdict(list)
        for i, label in enumerate(result.labels.tolist()):
            if label >= 0:
                groups[label].append(i)
        self.members = {chain_id([self.shas[i] for i in g]): g for g in groups.values()}
        self.chain_of_index: dict[int, str] = {
            i: cid for cid, idx in self.members.items() for i in idx
        }
        self.roles: dict[int, Role] = {}
        listed = np.flatnonzero(result.suppliers).tolist()
        self.folded = fold_into_domains(rg.keys, listed, self.chains_of)

    def indicators_of(self, i: int) -> list[int]:
        m = self.by_artifact
        return [int(c) for c in m.indices[m.indptr[i] : m.indptr[i + 1]]]

    def artifacts_of(self, c: int) -> list[int]:
        m = self.by_indicator
        return [int(r) for r in m.indices[m.indptr[c] : m.indptr[c + 1]]]

    def chains_of(self, c: int) -> list[str]:
        found = {self.chain_of_index.get(r) for r in self.artifacts_of(c)}
        return sorted(x for x in found if x is not None)

    def joined(self, i: int) -> Joined | None:
        """How a member came into its chain: grouped with the flagged, or through what."""
        if i not in self.chain_of_index:
            return None
        via = self.result.via
        c = -1 if via is None else int(via[i])
        if c < 0:
            how = "flagged" if self.rg.graph.seed[i] else "reported"
            return Joined(how=how)
        key = self.rg.keys[c]
        return Joined(how="linked", kind=key.kind, value=key.value)

    def role(self, c: int) -> Role:
        if c not in self.roles:
            seeds = [r for r in self.artifacts_of(c) if r in self.chain_of_index]
            delivery = sum(1 for r in seeds if self.rg.artifacts[r].kind in DELIVERY_KINDS)
            share = delivery / len(seeds) if seeds else 0.0
            self.roles[c] = role_of(self.rg.keys[c].kind, self.rg.roles[c], share)
        return self.roles[c]


def _chain(ctx: _Context, cid: str, idx: list[int], chain_cases: list[CaseRef]) -> Chain:
    counts: Counter[int] = Counter(c for i in idx for c in ctx.indicators_of(i) if ctx.shown[c])
    weights = ctx.result.weights
    infra, refs = [], []
    for c, n in counts.items():
        key = ctx.rg.keys[c]
        supplier = bool(ctx.result.suppliers[c])
        infra.append(
            InfraItem.model_construct(
                kind=key.kind,
                value=key.value,
                role=ctx.role(c),
                artifacts=n,
                supplier=supplier,
                weight=round(float(weights[c]), 4),
                provider=ctx.rg.provider(c),
            )
        )
        if supplier and c not in ctx.folded:
            served = ctx.chains_of(c)
            refs.append(
                SupplierRef(
                    kind=key.kind,
                    value=key.value,
                    role=ctx.role(c),
                    chains=len(served),
                    chain_ids=[x for x in served if x != cid],
                    provider=ctx.rg.provider(c),
                )
            )
    infra.sort(key=lambda x: (not x.supplier, -x.artifacts, x.kind, x.value))
    refs.sort(key=lambda x: (-x.chains, x.kind, x.value))
    records = [ctx.rg.artifacts[i] for i in idx]
    member_set = set(idx)
    related = sorted(
        {
            ctx.shas[r]
            for c in counts
            if ctx.result.weights[c] > 0
            for r in ctx.artifacts_of(c)
            if r not in member_set and r not in ctx.chain_of_index
        }
    )
    labels = Counter(r.label for r in records if r.label)
    return Chain(
        id=cid,
        artifacts=sorted(ctx.shas[i] for i in idx),
        infrastructure=infra,
        cases=chain_cases,
        regions=sorted({c.region for c in chain_cases}),
        suppliers=refs,
        label=min(labels, key=lambda k: (-labels[k], k)) if labels else None,
        brands=sorted({r.brand for r in records if r.brand}),
        categories=sorted({r.category for r in records if r.category}),
        loss_total=loss_total(chain_cases),
        timeline=timeline(chain_cases) if chain_cases else None,
        related=related,
        members=[
            Member(sha256=ctx.shas[i], joined=j)
            for i in sorted(idx, key=lambda k: ctx.shas[k])
            if (j := ctx.joined(i)) is not None
        ],
    )


def _suppliers(ctx: _Context, chains: dict[str, Chain]) -> list[Supplier]:
    found = []
    covers: dict[int, list[str]] = {}
    for c, d in ctx.folded.items():
        covers.setdefault(d, []).append(ctx.rg.keys[c].value)
    for c in np.flatnonzero(ctx.result.suppliers).tolist():
        if c in ctx.folded:
            continue
        served = ctx.chains_of(c)
        case_keys = {(x.region, x.case_id) for s in served for x in chains[s].cases}
        key = ctx.rg.keys[c]
        found.append(
            Supplier(
                rank=0,
                kind=key.kind,
                value=key.value,
                role=ctx.role(c),
                chains=served,
                artifacts=sum(1 for r in ctx.artifacts_of(c) if r in ctx.chain_of_index),
                cases=len(case_keys),
                regions=sorted({r for s in served for r in chains[s].regions}),
                provider=ctx.rg.provider(c),
                covers=sorted(covers.get(c, [])),
            )
        )
    found.sort(key=lambda s: (-len(s.chains), -s.cases, -s.artifacts, s.kind, s.value))
    return [s.model_copy(update={"rank": n}) for n, s in enumerate(found, 1)]


def _case_links(rg: RecordGraph, cases: Sequence[CaseRecord]) -> tuple[IntArray, IntArray]:
    """(artifact index, case index) for every resolved case reference that is a lead.

    A report whose notes say it was checked and found clean (knowledge/case_notes.py)
    neither seeds nor corroborates a chain; it stays in the store and in the case views.
    """
    from chaincut.knowledge.case_notes import report_cleared

    index = {a.sha256.casefold(): i for i, a in enumerate(rg.artifacts)}
    arts: list[int] = []
    ids: list[int] = []
    for n, case in enumerate(cases):
        if report_cleared(case.notes):
            continue
        for sha in case.artifacts:
            i = index.get(sha.casefold())
            if i is not None:
                arts.append(i)
                ids.append(n)
    return np.asarray(arts, dtype=np.int64), np.asarray(ids, dtype=np.int64)


def build_chains(
    artifacts: Sequence[ArtifactRecord],
    cases: Sequence[CaseRecord],
    *,
    params: LinkParams = LinkParams(),  # noqa: B008 - frozen, safe as a default
) -> ChainSet:
    """Group seed artifacts into chains, name suppliers, attach cases (docs/linking.md)."""
    rg = from_records(artifacts, params)
    kinds = [k.kind for k in rg.keys]
    ctx = _Context(rg, cluster(rg.graph, params, kinds, _case_links(rg, cases)), params)
    by_sha = {ctx.shas[i]: cid for i, cid in ctx.chain_of_index.items()}
    infos = case_infos(cases, by_sha)
    per_chain = cases_by_chain(infos)
    chains = {
        cid: _chain(ctx, cid, idx, per_chain.get(cid, [])) for cid, idx in ctx.members.items()
    }
    ordered = sorted(chains.values(), key=lambda c: (-len(c.artifacts), c.id))
    infos_out = [  # trusted values from validated records: skip re-validation at scale
        ArtifactInfo.model_construct(
            sha256=ctx.shas[i],
            kind=a.kind,
            verdict=a.verdict,
            stored_verdict=a.stored_verdict,
            score=a.score,
            label=a.label,
            brand=a.brand,
            category=a.category,
            first_seen=a.first_seen,
            chain=ctx.chain_of_index.get(i),
            joined=ctx.joined(i),
            indicators=[
                (ctx.rg.keys[c].kind, ctx.rg.keys[c].value)
                for c in ctx.indicators_of(i)
                if ctx.shown[c]
            ],
        )
        for i, a in enumerate(rg.artifacts)
    ]
    return ChainSet(
        chains=ordered,
        suppliers=_suppliers(ctx, chains),
        artifacts=infos_out,
        cases=infos,
        params=params,
    )
