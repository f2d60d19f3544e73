"""What linking produces: chains, suppliers, and case views (interfaces.md section 4).

The required fields of a chain keep the names and meanings of interfaces.md (``id``,
``artifacts``, ``infrastructure``, ``cases``, ``regions``, ``suppliers``); the rest are
optional extensions an outside tool may ignore.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from chaincut.link.params import LinkParams
from chaincut.result.models import Role


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class InfraItem(Frozen):
    """One indicator of a chain: ``artifacts`` counts the chain's artifacts carrying it."""

    kind: str
    value: str
    role: Role
    artifacts: int
    supplier: bool = False  # shared with other chains
    weight: float = 0.0  # link weight (0: seen on one artifact only, or too common)
    provider: str | None = None  # whose key an SDK key / builder app id is ("jpush")


class SupplierRef(Frozen):
    """A supplier as one chain sees it: ``chains`` counts every chain it serves."""

    kind: str
    value: str
    role: Role
    chains: int
    chain_ids: list[str] = Field(default_factory=list)
    provider: str | None = None


class CaseRef(Frozen):
    case_id: str
    region: str  # canonical region name
    region_raw: str | None = None  # as reported, when it differs
    reported_at: str | None = None
    loss_amount: float | None = None
    # the notes say the report was checked and found clean (knowledge/case_notes.py)
    cleared: bool = False


class RegionCount(Frozen):
    region: str
    cases: int
    first_report: str | None = None
    last_report: str | None = None
    loss_total: float = 0.0


class Timeline(Frozen):
    first_report: str | None = None
    last_report: str | None = None
    regions: list[RegionCount] = Field(default_factory=list)


class Joined(Frozen):
    """How an artifact came into its chain.

    ``flagged``: grouped with the artifacts detection flagged; ``reported``: grouped as
    an artifact victims reported; ``linked``: pivoted in through a private indicator of
    the chain (``kind``, ``value``), though detection alone did not flag it.
    """

    how: Literal["flagged", "reported", "linked"]
    kind: str | None = None
    value: str | None = None

    def sentence(self, chain_id: str) -> str:
        if self.how == "linked":
            return f"linked to {chain_id} through {kind_noun(self.kind or '')} {self.value}"
        return f"in {chain_id} ({self.how})"


class Member(Frozen):
    sha256: str
    joined: Joined


def with_provider(value: str, provider: str | None) -> str:
    """A key as a reader wants it: the bare key an outside tool searches, then whose."""
    return f"{value} ({provider})" if provider else value


def kind_noun(kind: str) -> str:
    """Plain words for an indicator kind in sentences ("through certificate ...")."""
    return KIND_NOUNS.get(kind, kind.replace("_", " "))


KIND_NOUNS = {
    "cert_sha256": "certificate",
    "builder_app_id": "builder account",
    "sdk_app_key": "SDK app key",
    "team_id": "team id",
    "cs_key": "customer-service account",
    "customer_service": "customer-service account",
    "payment": "payment account",
    "payment_key": "payment key",
    "payment_endpoint": "payment endpoint",
    "parent": "the artifact it came from",
    "file": "package file name",
}


class Chain(Frozen):
    id: str
    artifacts: list[str]
    infrastructure: list[InfraItem]
    cases: list[CaseRef]
    regions: list[str]
    suppliers: list[SupplierRef]
    # extensions
    label: str | None = None
    brands: list[str] = Field(default_factory=list)
    categories: list[str] = Field(default_factory=list)
    loss_total: float | None = None
    timeline: Timeline | None = None
    related: list[str] = Field(default_factory=list)  # non-seed artifacts sharing indicators
    members: list[Member] = Field(default_factory=list)  # how each artifact joined


class Supplier(Frozen):
    """A gray-industry supplier, ranked by how many chains and cases removing it cuts."""

    rank: int
    kind: str
    value: str
    role: Role
    chains: list[str]
    artifacts: int
    cases: int
    regions: list[str] = Field(default_factory=list)
    provider: str | None = None
    # hosts and URLs under this domain that serve no other chain: listed here, not apart
    covers: list[str] = Field(default_factory=list)


class ArtifactInfo(Frozen):
    sha256: str
    kind: str
    verdict: str  # detection's verdict (what standings and re-judging read)
    score: int = 0
    label: str | None = None
    brand: str | None = None
    category: str | None = None
    first_seen: str | None = None
    chain: str | None = None
    stored_verdict: str | None = None  # the store's verdict when linking raised it
    joined: Joined | None = None
    indicators: list[tuple[str, str]] = Field(default_factory=list)  # (kind, value) that link

    @property
    def shown_verdict(self) -> str:
        """What views print: the store's verdict, so that a chain view and ``scan --db``
        agree on which members are fraud."""
        return self.stored_verdict or self.verdict


class CaseInfo(Frozen):
    case_id: str
    region: str
    region_raw: str
    reported_at: str | None = None
    loss_amount: float | None = None
    artifacts: list[str] = Field(default_factory=list)
    chains: list[str] = Field(default_factory=list)
    notes: str = ""
    unresolved: list[str] = Field(default_factory=list)  # references that matched nothing


class ChainsDocument(Frozen):
    """``chaincut chains --format json``: exactly interfaces.md section 4, plus extensions."""

    chains: list[Chain]


class ChainSet(Frozen):
    chains: list[Chain]
    suppliers: list[Supplier]
    artifacts: list[ArtifactInfo]
    cases: list[CaseInfo]
    params: LinkParams = LinkParams()

    def chain(self, chain_id: str) -> Chain | None:
        return next((c for c in self.chains if c.id == chain_id), None)

    def artifact(self, sha256: str) -> ArtifactInfo | None:
        return next((a for a in self.artifacts if a.sha256 == sha256), None)

    def document(self, min_size: int = 1) -> ChainsDocument:
        return ChainsDocument(chains=[c for c in self.chains if len(c.artifacts) >= min_size])


class PeerCase(Frozen):
    """A case elsewhere in the same chain: who to coordinate with."""

    case_id: str
    region: str
    chain: str


class RegionCase(Frozen):
    case_id: str
    region_raw: str
    reported_at: str | None = None
    loss_amount: float | None = None
    chains: list[str] = Field(default_factory=list)
    peers: list[PeerCase] = Field(default_factory=list)
    notes: str = ""
    artifacts: list[str] = Field(default_factory=list)  # sha256 the case named
    unresolved: list[str] = Field(default_factory=list)


class RegionView(Frozen):
    """One region's cases: which belong to chains also reported in other regions."""

    region: str
    cases: list[RegionCase]
    shared: int  # cases whose chains are also reported elsewhere
    other_regions: list[str] = Field(default_factory=list)
