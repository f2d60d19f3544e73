"""Cases per chain and per region: losses, timelines, who else to coordinate with.

A case belongs to every chain one of its artifacts belongs to. Cases never glue chains
(one victim may report apps of two gangs); they only say where a chain was reported.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from chaincut.knowledge.case_notes import report_cleared
from chaincut.link.chainset import (
    CaseInfo,
    CaseRef,
    ChainSet,
    PeerCase,
    RegionCase,
    RegionCount,
    RegionView,
    Timeline,
)
from chaincut.link.model import CaseRecord
from chaincut.link.regions import normalize_region


def case_infos(cases: Iterable[CaseRecord], chain_of: Mapping[str, str]) -> list[CaseInfo]:
    """Cases with canonical regions and the chains their artifacts belong to."""
    out: dict[tuple[str, str], CaseInfo] = {}
    for case in cases:
        region = normalize_region(case.region)
        shas = sorted({s.casefold() for s in case.artifacts})
        chains = sorted({chain_of[s] for s in shas if s in chain_of})
        info = CaseInfo(
            case_id=case.case_id,
            region=region,
            region_raw=case.region,
            reported_at=case.reported_at,
            loss_amount=case.loss_amount,
            artifacts=shas,
            chains=chains,
            notes=case.notes,
            unresolved=list(case.unresolved),
        )
        out.setdefault((region, case.case_id), info)
    return [out[k] for k in sorted(out)]


def cases_by_chain(infos: Sequence[CaseInfo]) -> dict[str, list[CaseRef]]:
    out: dict[str, list[CaseRef]] = defaultdict(list)
    for info in infos:
        ref = CaseRef(
            case_id=info.case_id,
            region=info.region,
            region_raw=info.region_raw if info.region_raw != info.region else None,
            reported_at=info.reported_at,
            loss_amount=info.loss_amount,
            cleared=report_cleared(info.notes),
        )
        for chain in info.chains:
            out[chain].append(ref)
    return out


def timeline(refs: Sequence[CaseRef]) -> Timeline:
    """First and last report overall and per region, with per-region counts and losses."""
    per: dict[str, list[CaseRef]] = defaultdict(list)
    for ref in refs:
        per[ref.region].append(ref)
    regions = []
    for region in sorted(per):
        dates = sorted(r.reported_at for r in per[region] if r.reported_at)
        regions.append(
            RegionCount(
                region=region,
                cases=len(per[region]),
                first_report=dates[0] if dates else None,
                last_report=dates[-1] if dates else None,
                loss_total=sum(r.loss_amount or 0.0 for r in per[region]),
            )
        )
    dates = sorted(r.reported_at for r in refs if r.reported_at)
    return Timeline(
        first_report=dates[0] if dates else None,
        last_report=dates[-1] if dates else None,
        regions=regions,
    )


def loss_total(refs: Sequence[CaseRef]) -> float | None:
    losses = [r.loss_amount for r in refs if r.loss_amount is not None]
    return sum(losses) if losses else None


def cases_for_region(chainset: ChainSet, region: str) -> RegionView:
    """The region's cases, and for each the cases in other regions sharing its chains."""
    key = normalize_region(region)
    by_chain: dict[str, list[CaseInfo]] = defaultdict(list)
    for info in chainset.cases:
        for chain in info.chains:
            by_chain[chain].append(info)
    out: list[RegionCase] = []
    others: set[str] = set()
    for info in chainset.cases:
        if info.region != key:
            continue
        peers = [
            PeerCase(case_id=p.case_id, region=p.region, chain=chain)
            for chain in info.chains
            for p in by_chain[chain]
            if p.region != key
        ]
        others.update(p.region for p in peers)
        out.append(
            RegionCase(
                case_id=info.case_id,
                region_raw=info.region_raw,
                reported_at=info.reported_at,
                loss_amount=info.loss_amount,
                chains=info.chains,
                peers=sorted(peers, key=lambda p: (p.region, p.case_id, p.chain)),
                notes=info.notes,
                artifacts=info.artifacts,
                unresolved=info.unresolved,
            )
        )
    return RegionView(
        region=key,
        cases=out,
        shared=sum(1 for c in out if c.peers),
        other_regions=sorted(others),
    )
