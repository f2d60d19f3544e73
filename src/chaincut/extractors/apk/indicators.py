"""Gather an APK's indicators from every place they hide, each with where it was seen.

Identity indicators (package, signing certificates) come from the facts; network and
contact indicators from manifest values, string resources, text assets and DEX strings.
The first sighting of a (kind, value) pair is kept so the document stays bounded.
"""

from __future__ import annotations

from collections.abc import Iterable

from chaincut.extractors.apk import contents
from chaincut.extractors.findings import Findings
from chaincut.extractors.indicators import find_indicators, find_indicators_bytes
from chaincut.extractors.zip import ZipArchive, ZipEntry, ZipEntryError
from chaincut.facts.models import ApkFacts, Indicator, Location

MAX_INDICATORS = 5000


def collect_indicators(
    facts: ApkFacts,
    archive: ZipArchive,
    entries: list[ZipEntry],
    dex_indicators: list[Indicator],
    findings: Findings,
) -> list[Indicator]:
    """Deduplicated indicators in a stable order: identity, manifest, resources, assets, code."""
    manifest = Location(entry="AndroidManifest.xml")
    found: list[Indicator] = []
    if facts.package:
        found.append(Indicator(kind="package", value=facts.package, location=manifest))
    for cert in facts.signing.certificates:
        # a certificate no verified signature vouches for is a claim: kept, marked, weighed lower
        found.append(Indicator(kind="cert_sha256", value=cert.sha256, verified=cert.verified))
    found.extend(_manifest_text(facts, manifest))
    resources = Location(entry="resources.arsc")
    found.extend(find_indicators("\n".join(facts.strings.values()), location=resources))
    for table in facts.localized_strings.values():
        found.extend(find_indicators("\n".join(table.values()), location=resources))
    found.extend(_assets(archive, entries, findings))
    found.extend(dex_indicators)
    return dedupe(found)


def _manifest_text(facts: ApkFacts, where: Location) -> list[Indicator]:
    values = [m.value for m in facts.meta_data_entries if m.value]
    for comp in facts.components:
        for f in comp.intent_filters:
            for scheme in f.schemes or ["https"]:
                values.extend(f"{scheme}://{host}/" for host in f.hosts if host and host != "*")
    return find_indicators("\n".join(values), location=where)


def _assets(archive: ZipArchive, entries: list[ZipEntry], findings: Findings) -> list[Indicator]:
    out: list[Indicator] = []
    scanned = 0
    for entry in contents.text_assets(entries):
        scanned += 1
        try:
            data = archive.read(entry, max_size=contents.MAX_TEXT_ENTRY)
        except ZipEntryError:
            continue  # the ZIP reader already recorded why
        out.extend(find_indicators_bytes(data, location=Location(entry=entry.name)))
    return out


def dedupe(items: Iterable[Indicator], limit: int = MAX_INDICATORS) -> list[Indicator]:
    """First sighting of each (kind, value), in order, at most ``limit``."""
    seen: set[tuple[str, str]] = set()
    out: list[Indicator] = []
    for ind in items:
        key = (ind.kind, ind.value)
        if key in seen:
            continue
        seen.add(key)
        out.append(ind)
        if len(out) >= limit:
            break
    return out
