"""Result indicators: the facts' indicators plus builder ids and SDK keys, each with
the part of the chain it plays and whether it is common infrastructure.

Roles here are the default reading of an indicator kind; linking refines them once it
sees where an indicator recurs. ``common`` indicators (CDNs, SDK endpoints, big
platforms, shared test keys) are kept for the record but never link anything.
"""

from __future__ import annotations

from collections.abc import Sequence

from chaincut.detect.components import indicators_from_components
from chaincut.facts.models import FactsDocument
from chaincut.knowledge.kb import KnowledgeBase
from chaincut.result.models import Component, ResultIndicator, Role

KIND_ROLES: dict[str, Role] = {
    "cert_sha256": "developer",
    "builder_app_id": "developer",
    "package": "developer",
    "bundle_id": "developer",
    "team_id": "distributor",
    "domain": "server",
    "ip": "server",
    "url": "server",
    "email": "contact",
    "phone": "contact",
    "qq": "contact",
    "wechat": "contact",
}

MAX_INDICATORS = 400


def result_indicators(
    doc: FactsDocument, components: Sequence[Component], kb: KnowledgeBase
) -> list[ResultIndicator]:
    """Deduplicated indicators in a stable order, facts first."""
    seen: set[tuple[str, str]] = set()
    out: list[ResultIndicator] = []
    for ind in doc.indicators:
        key = (ind.kind, ind.value)
        if key in seen:
            continue
        seen.add(key)
        out.append(
            ResultIndicator(
                kind=ind.kind,
                value=ind.value,
                role=KIND_ROLES.get(ind.kind),
                common=kb.is_common(ind.kind, ind.value),
                location=ind.location,
            )
        )
    for extra in indicators_from_components(components, kb):
        if (extra.kind, extra.value) not in seen:
            seen.add((extra.kind, extra.value))
            out.append(extra)
    return out[:MAX_INDICATORS]
