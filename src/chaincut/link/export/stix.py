"""STIX 2.1 bundle of a chain set, built and validated by the ``stix2`` library.

Per seed artifact a ``malware`` (is_family false) with a ``file`` SCO sample; per linkable
domain, IP, URL, e-mail or certificate an ``indicator`` with a STIX pattern
(``x509-certificate:hashes.'SHA-256'`` for signing keys); per server or distribution
indicator an ``infrastructure``; per chain an ``intrusion-set``; per supplier an
``identity``; ``relationship`` objects between them. Ids are uuid5 of the content and
timestamps come from the data, so exporting the same data twice gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import uuid
from collections.abc import Iterable

import stix2

from chaincut.link.chainset import ArtifactInfo, Chain, ChainSet, InfraItem

NAMESPACE = uuid.UUID("5a0e6f0c-6c1e-4a39-9a57-1f6f0b6c4e21")
EPOCH = "1970-01-01T00:00:00.000Z"
INFRA_TYPES = {"server": "command-and-control", "distributor": "hosting-malware"}


def sid(kind: str, *parts: str) -> str:
    """Deterministic STIX id: the same content always gets the same id."""
    return f"{kind}--{uuid.uuid5(NAMESPACE, '|'.join((kind, *parts)))}"


def _quote(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def pattern(kind: str, value: str) -> str | None:
    """STIX pattern for one indicator, or None when STIX has no object for its kind."""
    if kind in {"domain", "host"}:
        return f"[domain-name:value = {_quote(value)}]"
    if kind == "url":
        return f"[url:value = {_quote(value)}]"
    if kind == "email":
        return f"[email-addr:value = {_quote(value)}]"
    if kind == "cert_sha256":
        return f"[x509-certificate:hashes.'SHA-256' = {_quote(value)}]"
    if kind == "ip":
        try:
            version = ipaddress.ip_address(value).version
        except ValueError:
            return None
        return f"[ipv{version}-addr:value = {_quote(value)}]"
    return None


class _Bundle:
    def __init__(self) -> None:
        self.objects: dict[str, object] = {}

    def add(self, obj: object) -> None:
        self.objects.setdefault(str(obj.id), obj)  # type: ignore[attr-defined]

    def relate(self, source: str, rel: str, target: str, when: str) -> None:
        rid = sid("relationship", source, rel, target)
        self.add(
            stix2.Relationship(
                id=rid,
                source_ref=source,
                relationship_type=rel,
                target_ref=target,
                created=when,
                modified=when,
                allow_custom=False,
            )
        )


def _named(kind: str, value: str, provider: str | None) -> str:
    """``kind value``; an SDK key or builder app id says whose it is: ``sdk_app_key (jpush) …``."""
    return f"{kind} ({provider}) {value}" if provider else f"{kind} {value}"


def _indicator(out: _Bundle, item: InfraItem, when: str) -> str | None:
    pat = pattern(item.kind, item.value)
    if pat is None:
        return None
    iid = sid("indicator", item.kind, item.value)
    out.add(
        stix2.Indicator(
            id=iid,
            name=_named(item.kind, item.value, item.provider),
            pattern=pat,
            pattern_type="stix",
            valid_from=when,
            created=when,
            modified=when,
            indicator_types=["malicious-activity"],
            description=f"role: {item.role}",
            allow_custom=False,
        )
    )
    return iid


def _chain(out: _Bundle, chain: Chain, infos: dict[str, ArtifactInfo], when: str) -> None:
    set_id = sid("intrusion-set", chain.id)
    out.add(
        stix2.IntrusionSet(
            id=set_id,
            name=chain.id if not chain.label else f"{chain.id} ({chain.label})",
            description=f"{len(chain.artifacts)} artifacts, regions: {', '.join(chain.regions)}",
            created=when,
            modified=when,
            allow_custom=False,
        )
    )
    malware_ids = []
    for sha in chain.artifacts:
        info = infos.get(sha)
        sample = stix2.File(hashes={"SHA-256": sha}, allow_custom=False)
        out.add(sample)
        mid = sid("malware", sha)
        out.add(
            stix2.Malware(
                id=mid,
                name=(info.label if info and info.label else sha[:16]),
                is_family=False,
                sample_refs=[sample.id],
                created=when,
                modified=when,
                allow_custom=False,
            )
        )
        malware_ids.append(mid)
        out.relate(set_id, "uses", mid, when)
    for item in chain.infrastructure:
        if item.weight <= 0 and not item.supplier:
            continue
        iid = _indicator(out, item, when)
        target = set_id
        if item.role in INFRA_TYPES:
            target = sid("infrastructure", item.kind, item.value)
            out.add(
                stix2.Infrastructure(
                    id=target,
                    name=item.value if not item.provider else f"{item.provider} {item.value}",
                    infrastructure_types=[INFRA_TYPES[item.role]],
                    created=when,
                    modified=when,
                    allow_custom=False,
                )
            )
            out.relate(set_id, "uses", target, when)
        if iid is not None:
            out.relate(iid, "indicates", target, when)


def _suppliers(out: _Bundle, cs: ChainSet, when: str) -> None:
    for sup in cs.suppliers:
        ident = sid("identity", sup.kind, sup.value)
        out.add(
            stix2.Identity(
                id=ident,
                name=f"{sup.role} supplier {_named(sup.kind, sup.value, sup.provider)}",
                identity_class="unknown",
                created=when,
                modified=when,
                description=f"serves {len(sup.chains)} chains, {sup.cases} cases (rank {sup.rank})",
                allow_custom=False,
            )
        )
        for chain in sup.chains:
            out.relate(sid("intrusion-set", chain), "related-to", ident, when)


def stix_time(value: str) -> str | None:
    """An ISO 8601 time as STIX wants it (UTC, ``Z``, milliseconds), or None if unreadable.

    The store writes ``+00:00`` offsets and case files may hold bare dates; stix2 accepts
    only ``Z``, so every time is parsed here and re-spelled in UTC.
    """
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return (
        when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"
    )


def _first(values: Iterable[str | None]) -> str:
    """The earliest readable time among ``values``, in STIX form; the epoch if none."""
    times = sorted(t for t in (stix_time(v) for v in values if v) if t is not None)
    return times[0] if times else EPOCH


def stix_bundle(chainset: ChainSet) -> str:
    """The serialized bundle (JSON text)."""
    when = _first(a.first_seen for a in chainset.artifacts)
    out = _Bundle()
    infos = {a.sha256: a for a in chainset.artifacts}
    for chain in chainset.chains:
        _chain(out, chain, infos, when)
    _suppliers(out, chainset, when)
    objects = list(out.objects.values())
    bundle = stix2.Bundle(
        objects=objects, id=sid("bundle", *sorted(out.objects)), allow_custom=False
    )
    # stix2's pretty printer sorts keys in quadratic time; indent the compact form instead
    return json.dumps(json.loads(bundle.serialize()), indent=2, ensure_ascii=False) + "\n"
