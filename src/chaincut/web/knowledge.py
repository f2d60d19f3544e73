"""What the store already knows about a new artifact: the chains it belongs to or shares
linking infrastructure with, and how many provinces reported them (counts only).

Which indicators can link is linking's own judgement (:func:`chaincut.link.kinds.kind_prior`
and the knowledge base's ``common`` flag); this module only looks them up.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from chaincut.link.kinds import MEDIUM, kind_prior
from chaincut.result.models import ScanResult
from chaincut.store import Store
from chaincut.store.schema import ArtifactIndicator, IndicatorRow
from chaincut.store.util import digest
from chaincut.web.jobs import Known
from chaincut.web.state import Linked

MAX_LOOKUPS = 200


def linked_artifacts(
    store: Store, results: Sequence[ScanResult], suppliers: set[tuple[str, str]]
) -> set[str]:
    """Stored artifacts sharing an indicator with ``results`` that can tie it to one
    operation: a linking kind, not common infrastructure, not a supplier many chains use."""
    keys = {(i.kind, digest(i.value)) for r in results for i in r.indicators
            if not i.common and kind_prior(i.kind, i.value) >= MEDIUM
            and (i.kind, i.value) not in suppliers}  # fmt: skip
    found: set[str] = set()
    wanted = sorted(keys)[:MAX_LOOKUPS]
    if not wanted:
        return found
    with Session(store.engine) as session:
        query = (select(ArtifactIndicator.sha256)
                 .join(IndicatorRow, IndicatorRow.id == ArtifactIndicator.indicator_id)
                 .where(tuple_(IndicatorRow.kind, IndicatorRow.digest).in_(wanted)))  # fmt: skip
        found.update(session.scalars(query))
    return found


def known_for(store: Store, linked: Linked | None, results: Sequence[ScanResult]) -> Known:
    """Counts of the chains, provinces and cases the store ties to these results: the
    chain of a stored artifact, else the chains sharing its operation's own indicators."""
    if linked is None:
        return Known(linked=False, stored=bool(store.known([r.sha256 for r in results])))
    ids = {c for r in results if (c := linked.chain_of.get(r.sha256))}
    if not ids:
        suppliers = {(s.kind, s.value) for s in linked.chainset.suppliers}
        ids = {c for sha in linked_artifacts(store, results, suppliers)
               if (c := linked.chain_of.get(sha))}  # fmt: skip
    found = [linked.by_id[i] for i in sorted(ids)]
    return Known(
        stored=bool(store.known([r.sha256 for r in results])),
        chains=len(found),
        regions=len({r for c in found for r in c.regions}),
        cases=len({(x.region, x.case_id) for c in found for x in c.cases}),
    )
