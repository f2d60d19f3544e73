"""Indicators of iOS artifacts: identity (bundle id, team, certificates) and network.

Network indicators of an IPA come from the printable strings of its main executable (a
size-capped scan: the printable runs are collected first so a big binary's noise does
not eat the indicator scanner's input budget), plus Info.plist's declared domains.
"""

from __future__ import annotations

import re

from chaincut.extractors.apk.indicators import dedupe
from chaincut.extractors.indicators import MAX_INPUT, find_indicators
from chaincut.facts.ios import IpaFacts, ItmsManifestFacts, MobileconfigFacts
from chaincut.facts.models import Indicator, Location

_PRINTABLE = re.compile(rb"[\x20-\x7e]{6,}")
MAX_STRING_SCAN = 64 * 1024 * 1024  # bytes of executable searched for printable runs


def executable_indicators(data: bytes, entry: str) -> list[Indicator]:
    """URLs, domains, IPs... in the executable's printable strings (bounded)."""
    runs: list[bytes] = []
    total = 0
    for m in _PRINTABLE.finditer(memoryview(data)[:MAX_STRING_SCAN]):
        runs.append(m.group())
        total += len(runs[-1]) + 1
        if total >= MAX_INPUT:
            break
    text = b"\n".join(runs).decode("ascii", "replace")
    return find_indicators(text, location=Location(entry=entry))


def ipa_indicators(facts: IpaFacts, executable: list[Indicator]) -> list[Indicator]:
    """bundle_id, team_id, cert_sha256, url_scheme, then network indicators."""
    info = Location(entry=f"{facts.app_dir}/Info.plist") if facts.app_dir else None
    profile = Location(entry=f"{facts.app_dir}/embedded.mobileprovision")
    out: list[Indicator] = []
    if facts.bundle_id:
        out.append(Indicator(kind="bundle_id", value=facts.bundle_id, location=info))
    prov = facts.provision
    if prov is not None:
        if prov.team_id:
            out.append(Indicator(kind="team_id", value=prov.team_id, location=profile))
        out += [
            Indicator(kind="cert_sha256", value=c.sha256, location=profile)
            for c in prov.certificates
        ]
    out += [Indicator(kind="url_scheme", value=s, location=info) for s in facts.url_schemes]
    out += find_indicators("\n".join(facts.ats_exception_domains), location=info)
    out += executable
    return dedupe(out)


def mobileconfig_indicators(facts: MobileconfigFacts) -> list[Indicator]:
    """Web clip and UDID-service URLs and domains, signer and payload certificates, server
    addresses."""
    out: list[Indicator] = []
    if facts.signer is not None:
        out.append(
            Indicator(
                kind="cert_sha256", value=facts.signer.sha256, location=Location(entry="signer")
            )
        )
    for p in facts.payloads:
        where = Location(entry=f"{p.type}:{p.identifier or p.uuid or ''}")
        if p.url:
            out += _address(p.url, where)
        if p.certificate is not None:
            out.append(Indicator(kind="cert_sha256", value=p.certificate.sha256, location=where))
        for server in p.servers:
            out += _server(server, where)
    if facts.udid_service:  # an http(s) address: the extractor keeps no other
        out += _address(facts.udid_service, Location(entry="PayloadContent:URL"))
    return dedupe(out)


def _address(url: str, where: Location) -> list[Indicator]:
    """A profile's URL and what it names; the URL itself even when the finder does not
    take it whole (an unusual host or suffix)."""
    found = find_indicators(url, location=where)
    if not any(i.kind == "url" for i in found):
        found.append(Indicator(kind="url", value=url, location=where))
    return found


def _server(server: str, where: Location) -> list[Indicator]:
    found = find_indicators(server if "://" in server else f"//{server}", location=where)
    hosts = [i for i in found if i.kind in ("domain", "ip", "url")]
    return hosts or find_indicators(server, location=where)


def itms_indicators(facts: ItmsManifestFacts) -> list[Indicator]:
    where = Location(entry="manifest")
    out: list[Indicator] = []
    if facts.bundle_id:
        out.append(Indicator(kind="bundle_id", value=facts.bundle_id, location=where))
    for asset in facts.assets:
        found = find_indicators(asset.url, location=Location(entry=asset.kind))
        if not any(i.kind == "url" for i in found):
            found.insert(
                0, Indicator(kind="url", value=asset.url, location=Location(entry=asset.kind))
            )
        out += found
    return dedupe(out)
