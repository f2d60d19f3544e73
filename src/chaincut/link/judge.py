"""Linking re-judges the artifacts it groups: membership of a known chain is evidence.

Two places use it. After ``chaincut ingest`` the store's verdicts are brought in line with
the chains (``store.rejudge``), so ``chaincut show``, ``scan --db`` and the chain views
agree on which artifacts are fraud. ``chaincut scan PATH --db URL`` gives a new artifact
whose private indicators (signing certificate, builder account, SDK app key, team id,
contact account, download URL or domain) belong to a known chain the same evidence,
"belongs to chain ch-… (N apps, M cases in K provinces)": that is how a QR code or a
pasted link from a citizen gets an answer offline.

A chain member that detection left clean becomes ``suspicious`` (never more: the chain
is a lead for an analyst, and the evidence says what it rests on), with two exceptions
that keep the evidence but not the verdict: an artifact with a genuine identity (the
brand's registered certificate, or a page the brand's own site serves) stays the
brand's, and an artifact that is in the chain only because a victim named it (joined
``reported``) is a lead, not a finding, unless the chain is corroborated (detection
flagged one of its members, or victims in two provinces reported it): a single report
is sometimes checked and found clean.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from chaincut.detect.score import SUSPICIOUS_AT
from chaincut.link.chainset import ArtifactInfo, Chain, ChainSet, kind_noun
from chaincut.link.derive import url_keys
from chaincut.link.graph import normalize_value
from chaincut.link.kinds import kind_prior
from chaincut.link.pivot import NEVER_PIVOT, PIVOT_MIN_PRIOR
from chaincut.result.models import Evidence, ResultIndicator, ScanResult

RULE = "link/chain-member"
# the summary of a result whose verdict linking raised: linking itself reads such an
# artifact as unflagged, so a chain never feeds on its own judgement (store/reader.py)
RAISED_SUMMARY = "Be careful: this belongs to a known fraud operation."
RANK = {"unknown": 0, "clean": 0, "suspicious": 1, "malicious": 2}


def chain_sentence(chain: Chain) -> str:
    """"ch-… (N apps, M cases in K provinces)"."""
    apps = len(chain.artifacts)
    cases = len(chain.cases)
    regions = len(chain.regions)
    return (
        f"{chain.id} ({apps} app{'s' * (apps != 1)}, {cases} case{'s' * (cases != 1)} "
        f"in {regions} province{'s' * (regions != 1)})"
    )


def member_evidence(chain: Chain, how: str, *, decisive: bool = True) -> Evidence:
    """The chain evidence; ``decisive`` False makes it context (low, no score)."""
    return Evidence(
        rule=RULE,
        severity="medium" if decisive else "low",
        name="belongs to a known fraud chain",
        detail=f"belongs to chain {chain_sentence(chain)}; {how}",
        score=SUSPICIOUS_AT if decisive else 0,
    )


def corroborated(chain: Chain) -> bool:
    """Detection flagged a member, or cases from two provinces name the chain (a report
    checked and found clean counts for nothing)."""
    flagged = any(m.joined.how == "flagged" for m in chain.members)
    return flagged or len({c.region for c in chain.cases if not c.cleared}) >= 2


def decisive(result: ScanResult, joined_how: str | None, chain: Chain) -> bool:
    """Whether membership may raise this result's verdict (see the module docstring)."""
    if result.genuine is not None:
        return False
    return joined_how != "reported" or corroborated(chain)


def with_chain(result: ScanResult, evidence: Evidence) -> ScanResult:
    """The result with the chain evidence added; clean or unknown becomes suspicious
    when the evidence is decisive (its severity is not ``low``)."""
    kept = [e for e in result.evidence if e.rule != RULE]
    update: dict[str, object] = {"evidence": [*kept, evidence]}
    if evidence.severity != "low" and RANK[result.verdict] < RANK["suspicious"]:
        update |= {
            "verdict": "suspicious",
            "score": max(result.score, SUSPICIOUS_AT),
            "summary": RAISED_SUMMARY,
        }
    return result.model_copy(update=update)


class ChainLookup:
    """Private indicators of every chain, to place an artifact the store has not seen."""

    def __init__(self, chainset: ChainSet) -> None:
        self.chains = {c.id: c for c in chainset.chains}
        owners: dict[tuple[str, str], set[str]] = {}
        for chain in chainset.chains:
            for item in chain.infrastructure:
                if item.weight > 0 and _pivots(item.kind, item.value):
                    owners.setdefault((item.kind, item.value), set()).add(chain.id)
        # an indicator two chains share is a supplier's: it places nothing
        self.private = {k: next(iter(v)) for k, v in owners.items() if len(v) == 1}

    def place(self, indicators: Iterable[ResultIndicator]) -> tuple[Chain, str] | None:
        """The one chain the artifact's private indicators point at, and through what."""
        found: dict[str, tuple[str, str]] = {}
        for key in _keys(indicators):
            cid = self.private.get(key)
            if cid is not None:
                found.setdefault(cid, key)
        if len(found) != 1:
            return None
        cid, (kind, value) = next(iter(found.items()))
        return self.chains[cid], f"shares {kind_noun(kind)} {value}"


def _pivots(kind: str, value: str) -> bool:
    return kind not in NEVER_PIVOT and kind_prior(kind, value) >= PIVOT_MIN_PRIOR


def _keys(indicators: Iterable[ResultIndicator]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for ind in indicators:
        if ind.common:
            continue
        out.append((ind.kind, normalize_value(ind.kind, ind.value)))
        if ind.kind == "url":
            out += list(url_keys(ind.value.strip()))
    return out


def rejudged(
    infos: Mapping[str, ArtifactInfo],
    chains: Mapping[str, Chain],
    results: Mapping[str, ScanResult],
) -> dict[str, ScanResult]:
    """Stored results that chain membership changes, by sha256."""
    out: dict[str, ScanResult] = {}
    for sha, result in results.items():
        info = infos.get(sha)
        if info is None or info.chain is None or info.joined is None:
            continue
        how = _kept_reason(result) if info.joined.how == "flagged" else None
        how = how or info.joined.sentence(info.chain)
        weight = decisive(result, info.joined.how, chains[info.chain])
        new = with_chain(result, member_evidence(chains[info.chain], how, decisive=weight))
        if new != result:
            out[sha] = new
    return out


def _kept_reason(result: ScanResult) -> str | None:
    """How an earlier linking run brought the artifact in ("linked to ... through ...").

    A member re-judged by linking is a seed the next time; its evidence keeps saying
    what the link rests on, not that it was flagged.
    """
    for e in result.evidence:
        if e.rule == RULE and "; " in e.detail:
            return e.detail.split("; ", 1)[1]
    return None
