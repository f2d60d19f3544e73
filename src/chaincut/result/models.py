"""Frozen models of the scan result (../shared/interfaces.md section 3).

One result per artifact. The required fields of interfaces.md keep their names and
meanings; everything else is an extension an outside tool may ignore. Nothing renders a
verdict it computed itself: the CLI, the API, the HTML report and the exporters all read
this document.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SerializerFunctionWrapHandler, model_serializer

from chaincut.facts.models import FactsDocument, Kind, Location, without_unset_claim
from chaincut.result.subject import Subject

Verdict = Literal["malicious", "suspicious", "clean", "unknown"]
Severity = Literal["info", "low", "medium", "high"]
Category = Literal[
    "investment",
    "loan",
    "banking",
    "payment",
    "shopping",
    "part_time_job",
    "dating",
    "gambling",
    "fake_authority",
    "customer_service",
    "other",
]
Role = Literal["developer", "packager", "distributor", "server", "payment", "contact", "unknown"]


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class FeatureHit(Frozen):
    """One feature that made a rule statement true, and where it came from."""

    kind: str  # feature kind, e.g. "permission", "string", "builder"
    value: str
    location: Location | None = None


class EvidenceNode(Frozen):
    """A node of a rule's evidence tree (capa style): which statement held, and why."""

    statement: str  # "and", "or", "not", "count(permission) >= 3", "permission: X"
    success: bool
    hits: list[FeatureHit] = Field(default_factory=list)
    children: list[EvidenceNode] = Field(default_factory=list)


class Evidence(Frozen):
    """interfaces.md section 3 evidence item, plus the tree that proves it."""

    rule: str  # rule id, e.g. "fraud/webview-remote-shell"
    severity: Severity
    detail: str  # human-readable why, pasteable into a report
    name: str | None = None
    score: int = 0  # points this evidence added
    categories: list[Category] = Field(default_factory=list)
    tree: EvidenceNode | None = None


class ResultIndicator(Frozen):
    kind: str
    value: str
    role: Role | None = None  # what part of the chain this indicator plays, when known
    common: bool = False  # common infrastructure (knowledge base): never a link on its own
    location: Location | None = None
    verified: bool | None = None  # False: an unverified claim (e.g. a broken signature's cert)
    # whose key it is (an SDK or builder id: "jpush", "dcloud") for sdk_app_key and
    # builder_app_id; ``value`` is the bare key, as the SDK's own console shows it
    provider: str | None = None

    @model_serializer(mode="wrap")
    def _claims_only(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        return without_unset_claim(handler(self))


class Signal(Frozen):
    """One impersonation signal: label, icon, package, certificate, domain, bundle id."""

    kind: Literal["label", "icon", "package", "certificate", "domain", "bundle_id", "text"]
    score: float  # 0..1
    detail: str  # e.g. "label '工商银行Pro' normalises to '工商银行' (brand name)"


class Impersonation(Frozen):
    brand: str  # brand id from the registry
    confidence: float  # 0..1
    name: str | None = None  # brand display name
    signals: list[Signal] = Field(default_factory=list)


class CategoryJudgement(Frozen):
    category: Category
    confidence: float
    terms: list[str] = Field(default_factory=list)  # the terms that decided it
    score: float = 0.0  # points of the winning category (docs/scoring.md)


class Component(Frozen):
    """A builder, packer or SDK recognised from the knowledge base."""

    kind: Literal["builder", "packer", "sdk"]
    id: str
    name: str
    evidence: list[str] = Field(default_factory=list)
    app_key: str | None = None  # builder app id or SDK app key, when embedded


class ScanResult(Frozen):
    """interfaces.md section 3, and extensions (every extension field is optional)."""

    sha256: str
    path: str
    kind: Kind
    verdict: Verdict
    score: int = Field(ge=0, le=100)
    category: Category | None = None
    impersonates: Impersonation | None = None
    evidence: list[Evidence] = Field(default_factory=list)
    indicators: list[ResultIndicator] = Field(default_factory=list)
    errors: list[str] = Field(default_factory=list)
    # extensions
    genuine: str | None = None  # brand id when this is the brand's own genuine app
    category_detail: CategoryJudgement | None = None
    components: list[Component] = Field(default_factory=list)
    summary: str = ""  # one plain sentence for the public check
    knowledge_version: str = ""
    rules_version: str = ""
    parent: str | None = None  # sha256 of the artifact this one was found in (fetch, QR, page)
    subject: Subject | None = None  # what the artifact is: name, id, version, signer, ...
    facts: FactsDocument | None = None  # included on request (--with-facts), not in plain jsonl
