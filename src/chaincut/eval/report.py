"""Score scan results and chains against a world's truth: the evaluation report.

Detection counts an artifact as flagged when its verdict is ``suspicious`` or
``malicious``. Impersonation and category are judged on fakes other than QR images (a QR
code is a pointer; what it points at is judged on its own). Linking is judged on fakes:
chains against gangs (ARI), shared suppliers found, and case pairs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field

from chaincut.eval import metrics as M
from chaincut.link.chainset import ChainSet
from chaincut.result.models import ScanResult
from chaincut.sim.truth import ArtifactTruth, WorldTruth

FLAGGED = ("suspicious", "malicious")
JUDGED_KINDS = ("apk", "ipa", "page", "mobileconfig", "other")


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Metric(Frozen):
    """One figure with its target; ``met`` is None when the figure could not be computed."""

    name: str
    value: float | None
    target: float
    goal: Literal["min", "max"]  # "min": value must reach target; "max": stay at or under
    n: int = 0  # items the figure is computed over
    detail: str = ""

    @computed_field  # type: ignore[prop-decorator]
    @property
    def met(self) -> bool | None:
        if self.value is None:
            return None
        return self.value >= self.target if self.goal == "min" else self.value <= self.target


class EvalReport(Frozen):
    seed: int | None = None
    size: str | None = None
    artifacts: int = 0
    scanned: int = 0
    linking: bool = False
    metrics: list[Metric] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)

    @property
    def all_met(self) -> bool:
        return all(m.met is not False for m in self.metrics)


def _flagged(r: ScanResult | None) -> bool:
    return r is not None and r.verdict in FLAGGED


def detection(truth: Sequence[ArtifactTruth], results: dict[str, ScanResult]) -> list[Metric]:
    """Detection P/R/F1 over every artifact, and false-positive rates per negative role."""
    score = M.binary_prf([a.role == "fake" for a in truth],
                         [_flagged(results.get(a.sha256)) for a in truth])  # fmt: skip
    out = [
        Metric(name="detection precision", value=score.precision, target=0.95, goal="min",
               n=score.tp + score.fp),
        Metric(name="detection recall", value=score.recall, target=0.95, goal="min",
               n=score.tp + score.fn),
        Metric(name="detection F1", value=score.f1, target=0.95, goal="min", n=len(truth),
               detail=f"tp={score.tp} fp={score.fp} fn={score.fn}"),
    ]  # fmt: skip
    own = [a for a in truth if a.role == "fake" and a.brand is None and a.kind in JUDGED_KINDS]
    hit = sum(_flagged(results.get(a.sha256)) for a in own)
    out.append(Metric(name="own-brand fakes flagged", value=hit / len(own) if own else None,
                      target=0.9, goal="min", n=len(own), detail=f"{hit} flagged"))  # fmt: skip
    for role, target in (("hard_negative", 0.01), ("genuine", 0.01), ("official_page", 0.0)):
        group = [a for a in truth if a.role == role]
        flagged = sum(_flagged(results.get(a.sha256)) for a in group)
        out.append(Metric(name=f"false positives on {role.replace('_', ' ')}s",
                          value=flagged / len(group) if group else None, target=target,
                          goal="max", n=len(group), detail=f"{flagged} flagged"))  # fmt: skip
    return out


def judgement(truth: Sequence[ArtifactTruth], results: dict[str, ScanResult]) -> list[Metric]:
    """Impersonation accuracy and category macro-F1 on the judged fakes."""
    judged = [a for a in truth if a.role == "fake" and a.kind in JUDGED_KINDS]
    fakes = [a for a in judged if a.brand is not None]  # own-brand fakes imitate no one
    right = 0
    for a in fakes:
        r = results.get(a.sha256)
        right += bool(r and r.impersonates and r.impersonates.brand == a.brand)
    cats = [a for a in judged if a.category]
    found = [(results[a.sha256].category if a.sha256 in results else None) for a in cats]
    return [
        Metric(name="impersonation accuracy", value=right / len(fakes) if fakes else None,
               target=0.95, goal="min", n=len(fakes), detail=f"{right} right"),
        Metric(name="category macro-F1",
               value=M.macro_f1([a.category or "" for a in cats], found) if cats else None,
               target=0.9, goal="min", n=len(cats),
               detail=_category_detail([a.category or "" for a in cats], found)),
    ]  # fmt: skip


def _category_detail(truth: Sequence[str], found: Sequence[str | None]) -> str:
    """The weakest classes and the commonest confusions, to see where the mean is lost."""
    weak = sorted((f, c) for c, f in M.per_label_f1(truth, found).items() if f < 1)[:3]
    mixed = M.confusions(truth, found).most_common(3)
    return "; ".join(
        [*(f"{c} F1 {f:.2f}" for f, c in weak), *(f"{t}->{p} {n}" for (t, p), n in mixed)]
    )


def linking(world: WorldTruth, chains: ChainSet) -> list[Metric]:
    """Chains against gangs, suppliers found, and cases of one gang kept together."""
    chain_of = {sha: c.id for c in chains.chains for sha in c.artifacts}
    fakes = [a for a in world.artifacts if a.role == "fake"]
    ari = M.adjusted_rand_index([a.gang for a in fakes],
                                [chain_of.get(a.sha256, f"alone:{a.sha256}") for a in fakes])
    found = {(s.kind, s.value.lower()) for c in chains.chains for s in c.suppliers}
    wanted = [s for s in world.suppliers if s.linkable and len(s.gangs) >= 2]
    hit = sum((s.kind, s.value.lower()) in found for s in wanted)
    case_chain = {ref.case_id: c.id for c in chains.chains for ref in c.cases}
    pairs = M.pair_agreement([c.gang for c in world.cases],
                             [case_chain.get(c.case_id) for c in world.cases])  # fmt: skip
    return [
        Metric(name="chains vs gangs ARI", value=ari, target=0.9, goal="min", n=len(fakes)),
        Metric(name="supplier recall", value=hit / len(wanted) if wanted else None,
               target=0.9, goal="min", n=len(wanted), detail=f"{hit} found"),
        Metric(name="same-gang case pairs together", value=pairs.same_together, target=0.95,
               goal="min", n=pairs.same_pairs),
        Metric(name="cross-gang case pairs apart", value=pairs.apart, target=0.99, goal="min",
               n=pairs.cross_pairs),
    ]  # fmt: skip


WITH_CHAINS = ("detection F1", "false positives on hard negatives", "false positives on genuines")


def with_chains(
    truth: Sequence[ArtifactTruth], results: dict[str, ScanResult], chains: ChainSet
) -> list[Metric]:
    """Detection once linking has re-judged the chain members: what ``ingest`` stores and
    ``scan --db`` answers (link/judge.py), where a false report or a supplier's value must
    not make a clean app a finding."""
    from chaincut.link.judge import rejudged
    from chaincut.link.standing import Standings

    standings = Standings(chains.artifacts, chains.chains, chains.cases)
    members = {a.sha256: a for a in chains.artifacts if a.chain is not None}
    after = results | rejudged(members, {c.id: c for c in chains.chains}, results, standings)
    return [
        m.model_copy(update={"name": f"{m.name} (with chains)"})
        for m in detection(truth, after)
        if m.name in WITH_CHAINS
    ]


def evaluate(
    world: WorldTruth, results: Sequence[ScanResult], chains: ChainSet | None
) -> EvalReport:
    """The report for one world: detection always, linking when chains are given."""
    by_sha = {r.sha256: r for r in results}
    found = [*detection(world.artifacts, by_sha), *judgement(world.artifacts, by_sha)]
    notes = []
    missing = sum(a.sha256 not in by_sha for a in world.artifacts)
    if missing:
        notes.append(f"{missing} artifacts have no scan result (counted as not flagged)")
    if chains is not None:
        found += linking(world, chains)
        found += with_chains(world.artifacts, by_sha, chains)
    else:
        notes.append("linking not available: chain metrics skipped")
    return EvalReport(seed=world.seed, size=world.size, artifacts=len(world.artifacts),
                      scanned=len(by_sha), linking=chains is not None, metrics=found,
                      notes=notes)  # fmt: skip
