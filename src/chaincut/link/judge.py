"""Linking re-judges the artifacts it groups: membership of a known chain is evidence.

Two places use it. After ``chaincut ingest`` the store's verdicts are brought in line with
the chains (``store.rejudge``), so ``chaincut show``, ``scan --db`` and the chain views
agree on which artifacts are fraud. ``chaincut scan PATH --db URL`` gives a new artifact
whose private indicators (signing certificate, builder account, SDK app key, team id,
contact account, download URL or domain) belong to a known chain the same evidence,
"belongs to chain ch-… (N apps, M cases in K provinces)": that is how a QR code or a
pasted link from a citizen gets an answer offline.

A chain member that detection left clean becomes ``suspicious`` (never more: the chain
is a lead for an analyst, and the evidence says what it rests on) only when its
membership is a finding: it is tied to the members the chain was flagged for through an
indicator that is the operation's own (link/standing.py). Membership through a
supplier's or everybody's infrastructure, or only through a victim's report, keeps the
verdict and is low-severity context ("shares builder account X with chain ch-…"). An
artifact with a genuine identity (the brand's registered certificate, or a page the
brand's own site serves) stays the brand's whatever it shares.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from chaincut.detect.score import SUSPICIOUS_AT
from chaincut.link.chainset import ArtifactInfo, Chain, ChainSet, kind_noun
from chaincut.link.derive import url_keys
from chaincut.link.graph import normalize_value
from chaincut.link.standing import Standing, Standings, pivots
from chaincut.result.models import Evidence, ResultIndicator, ScanResult

RULE = "link/chain-member"
# the summary of a result whose verdict linking raised: linking itself reads such an
# artifact as unflagged, so a chain never feeds on its own judgement (store/reader.py)
RAISED_SUMMARY = "Be careful: this belongs to a known fraud operation."
# the summary once such a raise is withdrawn (the chain no longer makes it a finding)
CLEARED_SUMMARY = "No sign of fraud was found; it only shares infrastructure with a known chain."
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


def member_evidence(chain: Chain, standing: Standing, result: ScanResult) -> Evidence:
    """The chain evidence for a result; context (low, no score) unless it is a finding.

    A genuine identity keeps the words of the standing but never its weight.
    """
    weight = standing.decisive and result.genuine is None
    return Evidence(
        rule=RULE,
        severity="medium" if weight else "low",
        name="belongs to a known fraud chain" if standing.decisive
        else "shares infrastructure with a known fraud chain",
        detail=f"{standing.lead} chain {chain_sentence(chain)}; {standing.how}",
        score=SUSPICIOUS_AT if weight else 0,
    )


def with_chain(result: ScanResult, evidence: Evidence) -> ScanResult:
    """The result with the chain evidence added; clean or unknown becomes suspicious
    when the evidence is decisive (its severity is not ``low``).

    A verdict an earlier linking run raised (its summary says so) falls back to clean
    when the evidence is now only context: a cleared report, a chain that changed.
    """
    kept = [e for e in result.evidence if e.rule != RULE]
    update: dict[str, object] = {"evidence": [*kept, evidence]}
    if evidence.severity != "low":
        if RANK[result.verdict] < RANK["suspicious"]:
            update |= {
                "verdict": "suspicious",
                "score": max(result.score, SUSPICIOUS_AT),
                "summary": RAISED_SUMMARY,
            }
    elif result.summary == RAISED_SUMMARY and result.verdict == "suspicious":
        rest = sum(max(0, e.score) for e in kept)
        update |= {
            "verdict": "clean",
            "score": min(rest, SUSPICIOUS_AT - 1),
            "summary": CLEARED_SUMMARY,
        }
    return result.model_copy(update=update)


class ChainLookup:
    """Private indicators of every chain, to place an artifact the store has not seen."""

    def __init__(self, chainset: ChainSet, standings: Standings | None = None) -> None:
        self.chains = {c.id: c for c in chainset.chains}
        self.standings = standings or Standings(
            chainset.artifacts, chainset.chains, chainset.cases
        )
        owners: dict[tuple[str, str], set[str]] = {}
        for chain in chainset.chains:
            for item in chain.infrastructure:
                if item.weight > 0 and pivots(item.kind, item.value):
                    owners.setdefault((item.kind, item.value), set()).add(chain.id)
        # an indicator two chains share is a supplier's: it places nothing
        self.private = {k: next(iter(v)) for k, v in owners.items() if len(v) == 1}
        for key, cid in self.standings.anchored.items():
            self.private.setdefault(key, cid)

    def place(self, indicators: Iterable[ResultIndicator]) -> tuple[Chain, Standing] | None:
        """The one chain the artifact's private indicators point at, and its standing.

        It is a finding when one of those indicators is carried by a member the chain
        was flagged for (link/standing.py); otherwise it is context.
        """
        found: dict[str, list[tuple[str, str]]] = {}
        for key in _keys(indicators):
            cid = self.private.get(key)
            if cid is not None:
                found.setdefault(cid, []).append(key)
        if len(found) != 1:
            return None
        cid, keys = next(iter(found.items()))
        anchored = [k for k in keys if self.standings.anchored.get(k) == cid]
        if anchored:
            kind, value = anchored[0]
            return self.chains[cid], Standing(True, f"shares {kind_noun(kind)} {value}")
        kind, value = keys[0]
        return self.chains[cid], Standing(
            False,
            "no member the chain was flagged for carries it: context, not a finding",
            f"shares {kind_noun(kind)} {value} with",
        )


def _keys(indicators: Iterable[ResultIndicator]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for ind in indicators:
        # common infrastructure places nothing; nor does a certificate only claimed (its
        # signature does not verify): anyone can copy a chain's certificate into a package
        if ind.common or ind.verified is False:
            continue
        out.append((ind.kind, normalize_value(ind.kind, ind.value)))
        if ind.kind == "url":
            out += list(url_keys(ind.value.strip()))
    return out


def rejudged(
    infos: Mapping[str, ArtifactInfo],
    chains: Mapping[str, Chain],
    results: Mapping[str, ScanResult],
    standings: Standings | None = None,
) -> dict[str, ScanResult]:
    """Stored results that chain membership changes, by sha256.

    ``standings`` should be built from every artifact of the chain set, members and the
    rest (who else carries an indicator decides whether it is one operation's own), and
    its cases; without it they are built from ``infos`` alone.
    """
    standings = standings or Standings(infos.values(), chains.values())
    out: dict[str, ScanResult] = {}
    for sha, result in results.items():
        info = infos.get(sha)
        standing = standings.of(sha)
        if info is None or info.chain is None or standing is None:
            continue
        if info.joined is not None and info.joined.how == "flagged":
            kept = _kept_reason(result)
            if kept is not None:
                standing = Standing(True, kept)
        chain = chains[info.chain]
        new = with_chain(result, member_evidence(chain, standing, result))
        if new != result:
            out[sha] = new
    return out


def _kept_reason(result: ScanResult) -> str | None:
    """How an earlier linking run brought the artifact in ("linked to ... through ...").

    A member re-judged by linking is a seed the next time; its evidence keeps saying
    what the link rests on, not that it was flagged.
    """
    for e in result.evidence:
        if e.rule == RULE and e.severity != "low" and "; " in e.detail:
            return e.detail.split("; ", 1)[1]
    return None
