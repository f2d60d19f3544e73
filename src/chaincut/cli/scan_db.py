"""``chaincut scan --db``: consult the store's chains, read-only.

An artifact the store holds answers with its own chain membership; one it has never
seen answers through its private indicators (link/judge.py ``ChainLookup``). Either way
the result gets the evidence "belongs to chain ch-… (N apps, M cases in K provinces)"
and at least a ``suspicious`` verdict when its membership is a finding, or low-severity
context when it is not (link/standing.py): the same judgement ``chaincut ingest`` stores.
"""

from __future__ import annotations

from chaincut.cli.console import fail
from chaincut.cli.store_cmd import open_store
from chaincut.link.chains import build_chains
from chaincut.link.chainset import ArtifactInfo, Chain
from chaincut.link.judge import ChainLookup, member_evidence, with_chain
from chaincut.link.standing import Standings
from chaincut.result.models import ScanResult


class StoreChains:
    """The chains of a store and what places an artifact in one."""

    def __init__(self, db: str) -> None:
        with open_store(db, None) as store:
            artifacts = list(store.iter_artifacts())
            cases = list(store.iter_cases())
        if not artifacts:
            fail(f"note: the store {db} holds no artifacts; nothing to consult")
        chainset = build_chains(artifacts, cases)
        self.standings = Standings(chainset.artifacts, chainset.chains, chainset.cases)
        self.lookup = ChainLookup(chainset, self.standings)
        self.chains: dict[str, Chain] = {c.id: c for c in chainset.chains}
        self.members: dict[str, ArtifactInfo] = {
            a.sha256: a for a in chainset.artifacts if a.chain is not None
        }

    def judge(self, result: ScanResult) -> ScanResult:
        """The result with chain evidence when the artifact belongs to a known chain."""
        info = self.members.get(result.sha256)
        standing = self.standings.of(result.sha256)
        if info is not None and info.chain is not None and standing is not None:
            chain = self.chains[info.chain]
            return with_chain(result, member_evidence(chain, standing, result))
        placed = self.lookup.place(result.indicators)
        if placed is None:
            return result
        chain, standing = placed
        return with_chain(result, member_evidence(chain, standing, result))
