"""Which shared values are named as suppliers, once the chains are known.

A value several chains carry is a supplier: a developer's certificate, builder account,
SDK key or e-mail; a server; a distribution host, its analytics site id, its Apple team;
a payment or customer-service account. Every such value is listed, with the chains it
serves, whatever grouping made of it; two things are kept off the list:

- what is nobody's: knowledge-base common infrastructure, values mostly on clean
  bystanders (``IndicatorGraph.benign``: a CDN or an SDK endpoint many genuine apps use),
  private addresses, and kinds that name no one (``path``, packers, signing services);
- repeats: a host or URL under a registrable domain that is itself listed for the same
  chains is that domain's detail, not another supplier (``fold_into_domains``): a take-down
  list names the domain once, with its hosts beside it.

Package names and bundle ids are weak links (anyone can copy one, so they never glue a
chain), but a name that apps of several chains share is a developer's template all the
same (DCloud's ``uni.UNI…`` names follow the builder account), so they are listed.
Server addresses are the same case: shared hosting and cloud NAT put many tenants behind
one address, so an address is a weak link, but one that several chains talk to is a
hosting supplier all the same.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from chaincut.extractors.indicators.hosts import registrable
from chaincut.link.derive import url_keys
from chaincut.link.graph import BoolArray, IndicatorGraph, IndicatorKey
from chaincut.link.params import LinkParams

# weak kinds that still name a supplier (who made or hosts an app) when chains share them
NAMING_KINDS = frozenset({"package", "bundle_id", "ip"})
# kinds that name no one, whatever their prior
NAMELESS_KINDS = frozenset({"path", "file", "packer", "sign_service"})
FOLDED_KINDS = frozenset({"host", "url"})


def listable(graph: IndicatorGraph, params: LinkParams, kinds: Sequence[str] | None) -> BoolArray:
    """Per indicator: may it be named a supplier when several chains carry it."""
    strong = graph.prior >= params.glue_min
    if kinds is not None:
        naming = np.fromiter((k in NAMING_KINDS for k in kinds), bool, len(kinds))
        nameless = np.fromiter((k in NAMELESS_KINDS for k in kinds), bool, len(kinds))
        strong = (strong | (naming & (graph.prior > 0))) & ~nameless
    result: BoolArray = strong & ~graph.common & ~graph.benign(params)
    return result


def _domain_of(key: IndicatorKey) -> str | None:
    if key.kind == "host":
        return registrable(key.value) or ".".join(key.value.split(".")[-2:]) or None
    if key.kind == "url":
        return next((v for k, v in url_keys(key.value) if k == "domain"), None)
    return None


def fold_into_domains(
    keys: Sequence[IndicatorKey],
    suppliers: Sequence[int],
    chains_of: Callable[[int], list[str]],
) -> dict[int, int]:
    """Host and URL suppliers whose domain is a supplier serving every chain they serve.

    Returns folded indicator -> the domain indicator it is listed under.
    """
    domains = {keys[c].value: c for c in suppliers if keys[c].kind == "domain"}
    folded: dict[int, int] = {}
    for c in suppliers:
        if keys[c].kind not in FOLDED_KINDS:
            continue
        domain = _domain_of(keys[c])
        d = domains.get(domain) if domain else None
        if d is not None and set(chains_of(c)) <= set(chains_of(d)):
            folded[c] = d
    return folded
