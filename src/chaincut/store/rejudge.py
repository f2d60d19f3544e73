"""Stored verdicts brought in line with the chains (linking re-judges its members).

Run at the end of ``chaincut ingest``: the chains are rebuilt from the store, and every
member gets the chain evidence (link/judge.py) in its stored result, verdict and score,
with one custody entry: a finding raises the verdict, context does not (and withdraws a
raise an earlier run made).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from chaincut.link.chainset import ChainSet
from chaincut.link.judge import rejudged
from chaincut.link.standing import Standings
from chaincut.result.models import ScanResult
from chaincut.store.custody import add_entry
from chaincut.store.schema import Artifact

BATCH = 500


def apply_chains(session: Session, chainset: ChainSet, actor: str) -> int:
    """Update the stored results of chain members (caller's transaction); how many changed."""
    infos = {a.sha256: a for a in chainset.artifacts if a.chain is not None}
    chains = {c.id: c for c in chainset.chains}
    standings = Standings(chainset.artifacts, chainset.chains, chainset.cases)
    members = sorted(infos)
    changed: list[str] = []
    for start in range(0, len(members), BATCH):
        rows = list(session.scalars(
            select(Artifact).where(Artifact.sha256.in_(members[start : start + BATCH]))
        ))
        results = {r.sha256: ScanResult.model_validate(r.result) for r in rows}
        updates = rejudged(infos, chains, results, standings)
        for row in rows:
            new = updates.get(row.sha256)
            if new is None:
                continue
            row.verdict = new.verdict
            row.score = new.score
            row.result = new.model_dump(mode="json", exclude={"facts"})
            changed.append(row.sha256)
    if changed:
        details = {"chains": len(chainset.chains), "changed": len(changed)}
        add_entry(session, actor, "edit", "linking re-judged chain members",
                  details, changed)
    return len(changed)
