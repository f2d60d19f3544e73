"""Which chain memberships are findings: ties to the chain's own, not to its suppliers.

Linking groups artifacts by what they share, and much of what a fraud app shares is not
the gang's: analytics and push-SDK domains, CDNs, chat SaaS, a builder account or a
signing certificate a supplier rents to several operations. A genuine app carries the
same, and a worried citizen sometimes reports one. Membership alone must therefore not
turn a clean app malicious. It is a finding (the verdict may rise) only when the member
is tied to the chain's *anchors* through an indicator that is the operation's own:

* anchors are the members detection flagged, and reported members tied by a private
  indicator to another reported member, the two reports from different provinces (three
  screen-sharing apps under one key, reported in three provinces): two independent
  reports and a shared key are more than a report alone;
* a private indicator is one of a kind that may pivot (signing certificate, builder
  account, SDK app key, team id, contact or payment account, download URL, host, domain;
  link/pivot.py) that the operation holds: most of its carriers are the chain's members.
  A supplier's value serving several operations is nobody's own, nor is a builder
  account, company certificate or SDK script on clean apps outside every chain, while a
  gang that linking split in two keeps its keys in the larger part;
* a member tied to an anchor through such an indicator is itself decisive and ties others
  in turn (a QR code whose page holds the gang's own download link).

Everything else is context: a member that came in only because a victim named it (its
only ties are shared infrastructure), or through an indicator that only such members
carry (a false report's sibling apps, signed with their company's own key), keeps its
verdict and gets low-severity evidence ("shares builder account X with chain ch-…").
The same anchored indicators decide, for ``chaincut scan --db``, whether an artifact the
store has never seen is placed in a chain as a finding or only as context.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from chaincut.knowledge.case_notes import report_cleared
from chaincut.link.chainset import ArtifactInfo, CaseInfo, Chain, Joined, kind_noun
from chaincut.link.kinds import kind_prior
from chaincut.link.pivot import NEVER_PIVOT, PIVOT_MIN_PRIOR

Key = tuple[str, str]


@dataclass(frozen=True, slots=True)
class Standing:
    """A member's standing: whether membership is a finding, and what it rests on."""

    decisive: bool
    how: str  # what the membership rests on, after the chain
    lead: str = "belongs to"  # the words before "chain ch-… (…)"


def pivots(kind: str, value: str) -> bool:
    """Whether an indicator's kind is specific enough to tie an artifact to a chain."""
    return kind not in NEVER_PIVOT and kind_prior(kind, value) >= PIVOT_MIN_PRIOR


def tie_sentence(chain_id: str, key: Key) -> str:
    return f"linked to {chain_id} through {kind_noun(key[0])} {key[1]}"


class Standings:
    """Every chain member's standing, and the indicators that place a new artifact."""

    def __init__(
        self,
        artifacts: Iterable[ArtifactInfo],
        chains: Iterable[Chain],
        cases: Iterable[CaseInfo] = (),
    ) -> None:
        self.chains = {c.id: c for c in chains}
        candidates = {
            (item.kind, item.value)
            for chain in self.chains.values()
            for item in chain.infrastructure
            if pivots(item.kind, item.value)
        }
        # per indicator: its carriers in each chain, and how many outside every chain
        carriers: dict[Key, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        outside: dict[Key, int] = defaultdict(int)
        held: dict[str, tuple[str, list[Key]]] = {}
        for info in artifacts:
            keys = [k for k in _keys(info.indicators) if k in candidates]
            if info.chain is None:
                for k in keys:
                    outside[k] += 1
                continue
            held[info.sha256] = (info.chain, keys)
            for k in keys:
                carriers[k][info.chain].append(info.sha256)

        # most carriers are this chain's: here > (all carriers - here)
        total = {k: sum(map(len, per.values())) + outside[k] for k, per in carriers.items()}
        self._private_of = {
            sha: [k for k in keys if 2 * len(carriers[k][cid]) > total[k]]
            for sha, (cid, keys) in held.items()
        }
        self._carriers = carriers
        self._regions: dict[str, set[str]] = defaultdict(set)
        for case in cases:
            if not report_cleared(case.notes):
                for sha in case.artifacts:
                    self._regions[sha].add(case.region)
        self.standing: dict[str, Standing] = {}
        # private indicators a decisive member carries, by chain: what places a new artifact
        self.anchored: dict[Key, str] = {}
        for chain in self.chains.values():
            self._judge_chain(chain)

    def of(self, sha256: str) -> Standing | None:
        return self.standing.get(sha256)

    def _judge_chain(self, chain: Chain) -> None:
        joined = {m.sha256: m.joined for m in chain.members}
        found: dict[str, str] = {}
        for sha, j in joined.items():
            if j.how == "flagged":
                found[sha] = f"in {chain.id} (flagged)"
        for sha, how in self._reported_anchors(chain, joined).items():
            found.setdefault(sha, how)
        queue = sorted(found)
        spent: set[Key] = set()  # a key ties the same members whoever reached it first
        while queue:
            sha = queue.pop()
            for key in self._private_of.get(sha, []):
                if key in spent:
                    continue
                spent.add(key)
                self.anchored.setdefault(key, chain.id)
                for other in self._carriers[key][chain.id]:
                    if other not in found and other in joined:
                        found[other] = _decisive_how(chain.id, joined[other].how, key)
                        queue.append(other)
        for sha, j in joined.items():
            tie = found.get(sha)
            self.standing[sha] = Standing(True, tie) if tie is not None else _context(j)

    def _reported_anchors(self, chain: Chain, joined: Mapping[str, Joined]) -> dict[str, str]:
        """Reported members tied to another one, reported in another province, by a
        private indicator: two independent reports of one operation's apps."""
        reported = {s for s, j in joined.items() if j.how == "reported"}
        # per key: how many reported members carry it, and in which provinces
        peers: dict[Key, tuple[int, Counter[str]]] = {}
        out: dict[str, str] = {}
        for sha in sorted(reported):
            regions = self._regions.get(sha, set())
            for key in self._private_of.get(sha, []):
                if key not in peers:
                    on = [o for o in self._carriers[key][chain.id] if o in reported]
                    count = Counter(r for o in on for r in self._regions.get(o, ()))
                    peers[key] = (len(on), count)
                n, count = peers[key]
                others = {r for r, c in count.items() if c - (r in regions) > 0}
                if n >= 2 and len(regions | others) >= 2:
                    out[sha] = f"reported in two provinces and {tie_sentence(chain.id, key)}"
                    break
        return out


def _keys(items: Iterable[tuple[str, str]]) -> list[Key]:
    """(kind, value) pairs as tuples: a chain set read back from JSON holds lists."""
    return [(kind, value) for kind, value in items]


def _decisive_how(chain_id: str, how: str, key: Key) -> str:
    if how == "reported":
        return f"named in a victim's report and {tie_sentence(chain_id, key)}"
    return tie_sentence(chain_id, key)


def _context(joined: Joined) -> Standing:
    """A membership that stays context, in words that say why."""
    if joined.how == "linked" and joined.kind and joined.value:
        return Standing(
            False,
            "no member the chain was flagged for carries it: context, not a finding",
            f"shares {kind_noun(joined.kind)} {joined.value} with",
        )
    return Standing(
        False,
        "a report alone is not a finding",
        "named in a victim's report, tied only through shared infrastructure to",
    )
