"""What an investigator needs to act on one chain or one region, as data.

The chain set says which artifacts belong together; these views add what a person asks
next: what each member is called (file name or URL), how it joined the chain (which
indicator, shared with which other member), which artifacts each case named, and whom to
call in the other provinces. The text views (link/text.py) and any other face render
these models; nothing here re-links or re-judges.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from pydantic import Field

from chaincut.link.chainset import (
    ArtifactInfo,
    CaseInfo,
    Chain,
    ChainSet,
    Frozen,
    InfraItem,
    RegionCase,
    RegionView,
)

ROLE_ORDER = ("developer", "packager", "distributor", "server", "payment", "contact", "unknown")
MAX_REASONS = 2


class JoinReason(Frozen):
    """One indicator a member shares with other members of its chain."""

    kind: str
    value: str
    role: str
    weight: float
    members: list[str] = Field(default_factory=list)  # sha256 of the other members carrying it
    provider: str | None = None  # whose key an SDK key or builder app id is


class MemberView(Frozen):
    sha256: str
    name: str  # file name or URL the artifact arrived under; sha256 prefix if none is known
    kind: str
    label: str | None = None
    verdict: str
    score: int = 0
    joined_via: str | None = None  # the linker's own reason, when the chain record has one
    shared: list[JoinReason] = Field(default_factory=list)  # derived from shared indicators


class NamedArtifact(Frozen):
    sha256: str
    name: str
    chain: str | None = None


class CaseView(Frozen):
    case_id: str
    region: str
    region_raw: str
    reported_at: str | None = None
    loss_amount: float | None = None
    notes: str = ""
    artifacts: list[NamedArtifact] = Field(default_factory=list)
    unresolved: list[str] = Field(default_factory=list)
    chains: list[str] = Field(default_factory=list)


class RoleGroup(Frozen):
    role: str
    items: list[InfraItem]


class ChainView(Frozen):
    chain: Chain
    members: list[MemberView]
    cases: list[CaseView]  # in report order (date, then region and id)
    infrastructure: list[RoleGroup]


class CallList(Frozen):
    """Another province whose cases joined the same chain(s): who to call there."""

    region: str
    cases: list[str]
    chains: list[str]


class RegionCaseView(Frozen):
    case: CaseView
    peers: list[CallList] = Field(default_factory=list)


class RegionReport(Frozen):
    region: str
    cases: list[RegionCaseView]
    shared: int
    calls: list[CallList] = Field(default_factory=list)  # every province to call, merged


def display_name(sha256: str, names: Mapping[str, str]) -> str:
    return names.get(sha256) or sha256[:16]


def _recorded_join(chain: Chain, info: ArtifactInfo | None) -> str | None:
    """The linker's own join reason (``Chain.members``, ``ArtifactInfo.joined``), as text.

    Only a member that joined through an indicator (``linked``) says more than the shared
    indicators shown beside it; grouped members are described by what they share.
    """
    if info is None:
        return None
    joined = next((m.joined for m in chain.members if m.sha256 == info.sha256), None)
    if joined is None:
        joined = info.joined
    if joined is None:
        return None
    if joined.how == "linked":
        return joined.sentence(chain.id)
    if joined.how == "reported":
        return "named in a victim's report, grouped by the indicators below"
    return "flagged by detection, grouped by the indicators below"


def _shared(chain: Chain, infos: Mapping[str, ArtifactInfo], sha: str) -> list[JoinReason]:
    """The strongest indicators ``sha`` shares with other members: how it is tied in."""
    items = {(i.kind, i.value): i for i in chain.infrastructure if i.weight > 0}
    carriers: dict[tuple[str, str], list[str]] = {}
    for member in chain.artifacts:
        info = infos.get(member)
        for key in info.indicators if info else []:
            if key in items:
                carriers.setdefault(key, []).append(member)
    own = infos.get(sha)
    found = []
    for key in own.indicators if own else []:
        others = [m for m in carriers.get(key, []) if m != sha]
        if key in items and others:
            item = items[key]
            found.append(
                JoinReason(
                    kind=item.kind,
                    value=item.value,
                    role=item.role,
                    weight=item.weight,
                    members=others,
                    provider=item.provider,
                )
            )
    found.sort(key=lambda r: (-r.weight, -len(r.members), r.kind, r.value))
    return found[:MAX_REASONS]


def _case_view(
    info: CaseInfo, infos: Mapping[str, ArtifactInfo], names: Mapping[str, str]
) -> CaseView:
    named = [
        NamedArtifact(
            sha256=s, name=display_name(s, names), chain=infos[s].chain if s in infos else None
        )
        for s in info.artifacts
    ]
    return CaseView(
        case_id=info.case_id,
        region=info.region,
        region_raw=info.region_raw,
        reported_at=info.reported_at,
        loss_amount=info.loss_amount,
        notes=info.notes,
        artifacts=named,
        unresolved=info.unresolved,
        chains=info.chains,
    )


def _by_date(case: CaseView) -> tuple[str, str, str]:
    return (case.reported_at or "9999", case.region, case.case_id)


def chain_view(cs: ChainSet, chain: Chain, names: Mapping[str, str]) -> ChainView:
    """Members with names and join reasons, cases with notes and artifacts, infra by role."""
    infos = {a.sha256: a for a in cs.artifacts}
    members = []
    for sha in chain.artifacts:
        info = infos.get(sha)
        members.append(
            MemberView(
                sha256=sha,
                name=display_name(sha, names),
                kind=info.kind if info else "?",
                label=info.label if info else None,
                verdict=info.shown_verdict if info else "unknown",
                score=info.score if info else 0,
                joined_via=_recorded_join(chain, info),
                shared=_shared(chain, infos, sha),
            )
        )
    cases = [_case_view(c, infos, names) for c in cs.cases if chain.id in c.chains]
    groups = []
    for role in sorted({i.role for i in chain.infrastructure}, key=_role_rank):
        groups.append(
            RoleGroup(role=role, items=[i for i in chain.infrastructure if i.role == role])
        )
    return ChainView(
        chain=chain, members=members, cases=sorted(cases, key=_by_date), infrastructure=groups
    )


def _role_rank(role: str) -> int:
    return ROLE_ORDER.index(role) if role in ROLE_ORDER else len(ROLE_ORDER)


def _calls(peers: Sequence[tuple[str, str, str]]) -> list[CallList]:
    per: dict[str, tuple[set[str], set[str]]] = {}
    for region, case_id, chain in peers:
        ids, chains = per.setdefault(region, (set(), set()))
        ids.add(case_id)
        chains.add(chain)
    return [
        CallList(region=r, cases=sorted(per[r][0]), chains=sorted(per[r][1])) for r in sorted(per)
    ]


def region_report(cs: ChainSet, view: RegionView, names: Mapping[str, str]) -> RegionReport:
    """A region's cases with notes and artifacts, and the provinces to call for each."""
    infos = {a.sha256: a for a in cs.artifacts}
    by_key = {(c.region, c.case_id): c for c in cs.cases}
    out = []
    everyone: list[tuple[str, str, str]] = []
    for rc in view.cases:
        info = by_key.get((view.region, rc.case_id)) or _as_info(view.region, rc)
        peers = [(p.region, p.case_id, p.chain) for p in rc.peers]
        everyone += peers
        out.append(RegionCaseView(case=_case_view(info, infos, names), peers=_calls(peers)))
    return RegionReport(region=view.region, cases=out, shared=view.shared, calls=_calls(everyone))


def _as_info(region: str, rc: RegionCase) -> CaseInfo:
    return CaseInfo(
        case_id=rc.case_id,
        region=region,
        region_raw=rc.region_raw,
        reported_at=rc.reported_at,
        loss_amount=rc.loss_amount,
        artifacts=rc.artifacts,
        chains=rc.chains,
        notes=rc.notes,
        unresolved=rc.unresolved,
    )


def shown_artifacts(
    cs: ChainSet, chain: Chain | None = None, region: RegionView | None = None
) -> list[str]:
    """The sha256 a view names, so the caller looks up only their names."""
    shas: set[str] = set()
    if chain is not None:
        shas.update(chain.artifacts)
        shas.update(s for c in cs.cases if chain.id in c.chains for s in c.artifacts)
    if region is not None:
        shas.update(s for c in region.cases for s in c.artifacts)
    return sorted(shas)
