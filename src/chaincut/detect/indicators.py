"""Result indicators: the facts' indicators plus builder ids and SDK keys, each with
the part of the chain it plays and whether it is common infrastructure.

Roles here are the default reading of an indicator kind; linking refines them once it
sees where an indicator recurs. ``common`` indicators (CDNs, SDK endpoints, big
platforms, shared test keys) are kept for the record but never link anything.
"""

from __future__ import annotations

from collections.abc import Sequence

from chaincut.detect.components import indicators_from_components
from chaincut.detect.features_other import url_facts
from chaincut.facts.models import FactsDocument
from chaincut.knowledge.kb import KnowledgeBase
from chaincut.result.models import Component, ResultIndicator, Role
from chaincut.result.typed import typed

KIND_ROLES: dict[str, Role] = {
    "cert_sha256": "developer",
    "builder_app_id": "developer",
    "package": "developer",
    "bundle_id": "developer",
    "team_id": "distributor",
    # a page's analytics site id names who runs the page: on landing pages, the distributor
    "analytics_id": "distributor",
    "domain": "server",
    "ip": "server",
    "url": "server",
    "email": "contact",
    "phone": "contact",
    "qq": "contact",
    "wechat": "contact",
}

MAX_INDICATORS = 400
# iOS channels whose signing identity is usually rented from a distribution service
RENTED_DISTRIBUTION = frozenset({"enterprise", "ad_hoc"})


def _delivery_urls(doc: FactsDocument) -> list[str]:
    """Links that deliver a package: download links and redirects of a page, IPA URLs."""
    urls: list[str] = []
    if doc.page is not None:
        urls += [*doc.page.downloads, *doc.page.redirects]
    if doc.itms_manifest is not None:
        urls += doc.itms_manifest.ipa_urls
    return urls


def _delivery_values(doc: FactsDocument) -> set[str]:
    """URLs, hosts and registrable domains that deliver packages (see ``_delivery_urls``)."""
    out: set[str] = set()
    for url in _delivery_urls(doc):
        facts = url_facts(url)
        out.update(v for v in (url, facts.host, facts.registrable_domain) if v)
    return {v.casefold() for v in out}


def _rented_signer(doc: FactsDocument) -> bool:
    """Is the artifact's certificate a distribution service's rather than its author's?

    A configuration profile is signed by whoever hands it out; an enterprise or ad-hoc
    IPA by the account rented for the "signature" service. Both serve many operations.
    """
    if doc.mobileconfig is not None:
        return True
    ipa = doc.ipa
    provision = ipa.provision if ipa is not None else None
    return provision is not None and provision.distribution in RENTED_DISTRIBUTION


def _role(kind: str, value: str, delivery: set[str], rented: bool) -> Role | None:
    """The indicator's part in the chain, read from where it was found.

    Delivery hosts and rented signing identities belong to distributors, who serve
    many gangs; linking weighs them accordingly (docs/linking.md).
    """
    if kind in {"url", "domain", "host"} and value.casefold() in delivery:
        return "distributor"
    if kind == "cert_sha256" and rented:
        return "distributor"
    return KIND_ROLES.get(kind)


def result_indicators(
    doc: FactsDocument, components: Sequence[Component], kb: KnowledgeBase
) -> list[ResultIndicator]:
    """Deduplicated indicators in a stable order, facts first."""
    seen: set[tuple[str, str]] = set()
    out: list[ResultIndicator] = []
    delivery, rented = _delivery_values(doc), _rented_signer(doc)
    for ind in doc.indicators:
        key = (ind.kind, ind.value)
        if key in seen:
            continue
        seen.add(key)
        # every part is typed already (a validated fact, a Role, a bool): built as is
        fields: dict[str, object] = {
            "kind": ind.kind,
            "value": ind.value,
            "role": _role(ind.kind, ind.value, delivery, rented),
            "common": kb.is_common(ind.kind, ind.value),
            "location": ind.location,
            "verified": ind.verified,
            "provider": ind.provider,
        }
        out.append(typed(ResultIndicator, fields))
    for extra in indicators_from_components(components, kb):
        if (extra.kind, extra.value) not in seen:
            seen.add((extra.kind, extra.value))
            out.append(extra)
    return out[:MAX_INDICATORS]
