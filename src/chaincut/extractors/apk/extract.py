"""Assemble an APK's facts from the readers: ZIP, resources, manifest, signing, DEX.

Order matters: the resource table is read before the manifest so references in
meta-data and labels resolve; the manifest before signing so verification uses the
app's minSdkVersion as Android would. Each stage is guarded (see ``guard.py``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from chaincut.extractors.apk import contents
from chaincut.extractors.apk.arsc import ResourceTable
from chaincut.extractors.apk.axml import parse_axml
from chaincut.extractors.apk.configs import no_configs, read_configs
from chaincut.extractors.apk.guard import guarded
from chaincut.extractors.apk.h5 import no_pages, read_h5_pages
from chaincut.extractors.apk.icon import IconResult, resolve_icon
from chaincut.extractors.apk.indicators import collect_indicators
from chaincut.extractors.apk.manifest import ManifestFacts, read_manifest
from chaincut.extractors.apk.payloads import find_disguised
from chaincut.extractors.apk.signing import read_signing
from chaincut.extractors.dex import DexFile, dex_facts
from chaincut.extractors.findings import Findings
from chaincut.extractors.indicators import MAX_INPUT, find_indicators_bytes
from chaincut.extractors.zip import ZipArchive, ZipEntry, ZipEntryError
from chaincut.facts.models import ApkFacts, DexFacts, Indicator, Location, SigningFacts

MANIFEST = "AndroidManifest.xml"
RESOURCES = "resources.arsc"
MAX_MANIFEST = 16 * 1024 * 1024
MAX_ARSC = 128 * 1024 * 1024
MAX_DEX = 512 * 1024 * 1024
# all DEX entries of one package together: a few KB of zeros deflate a thousandfold, so
# without a total a small APK of several huge entries costs gigabytes and minutes
KEEP_STREAMED = 64 * 1024 * 1024  # bytes of DEX kept from verification for the DEX reader
MAX_DEX_TOTAL = 768 * 1024 * 1024
CHINESE_LOCALE_PREFIX = "zh"

CODES: dict[str, str] = {
    "dex_total_capped": (
        "the package's DEX entries inflate past the total a package may use; the rest were "
        "not read"
    ),
}


_NO_DEX: tuple[list[DexFacts], list[Indicator]] = ([], [])
_NO_LOCALIZED: dict[str, dict[str, str]] = {}
_NO_INDICATORS: list[Indicator] = []


@dataclass(slots=True)
class ApkResult:
    facts: ApkFacts
    indicators: list[Indicator]
    blobs: dict[str, bytes] = field(default_factory=dict)
    has_manifest: bool = True


def read_entry(archive: ZipArchive, name: str, limit: int, findings: Findings) -> bytes | None:
    """An entry's bytes, or None with the reason recorded."""
    entry = archive.get(name)
    if entry is None:
        return None
    try:
        return archive.read(entry, max_size=limit)
    except ZipEntryError as exc:
        findings.anomaly(exc.code, exc.detail, entry=name)
        findings.error(f"{name} could not be read: {exc.detail}")
        return None


def extract_apk(
    archive: ZipArchive,
    path: str,
    findings: Findings,
    *,
    verify: bool = True,
    indicators: bool = True,
    api_refs: bool = True,
) -> ApkResult:
    """All facts of one APK; partial when parts are unreadable, never raising.

    ``verify=False`` skips signature verification (certificates are still read) and
    ``indicators=False`` skips the indicator scans and ``api_refs=False`` the framework API
    references of DEX code; only the benchmark uses them, to time each pass on its own
    against a peer that does none of them.
    """
    entries = contents.unique_entries(archive)
    table = guarded(findings, "resources", None, lambda: _table(archive, findings))
    manifest_bytes = read_entry(archive, MANIFEST, MAX_MANIFEST, findings)
    if manifest_bytes is None and archive.get(MANIFEST) is None:
        findings.error("no AndroidManifest.xml: not an installable Android package")
    manifest = guarded(
        findings, "manifest", ManifestFacts(), lambda: _manifest(manifest_bytes, table, findings)
    )
    no_text: dict[str, str] = {}
    labels = guarded(findings, "labels", no_text, lambda: _labels(manifest, table))
    icon = guarded(
        findings, "icon", None, lambda: resolve_icon(manifest.icon_ref, table, archive, findings)
    )
    idsig = os.path.exists(path + ".idsig")
    # v1 verification inflates every entry to digest it; the DEX reader reads the DEX
    # entries again right after: keep them from the first pass (bounded) instead.
    archive.keep_streamed(contents.dex_entries(entries), KEEP_STREAMED)
    signing = guarded(
        findings,
        "signing",
        SigningFacts(reason="signature reader failed"),
        lambda: read_signing(
            archive,
            findings,
            idsig_present=idsig,
            verify=verify,
            min_sdk=manifest.min_sdk,
            target_sdk=manifest.target_sdk,
            target_sandbox=manifest.target_sandbox,
        ),
    )
    dex_list, dex_indicators = guarded(
        findings, "dex", _NO_DEX, lambda: _dex(archive, entries, findings, indicators, api_refs)
    )
    archive.drop_kept()
    libs, abis = contents.native_libs(entries)
    guarded(findings, "payloads", 0, lambda: find_disguised(archive, entries, findings))
    strings = guarded(findings, "strings", no_text, lambda: table.strings("") if table else no_text)
    configs, config_urls = guarded(
        findings, "configs", no_configs(), lambda: read_configs(archive, entries)
    )
    facts = ApkFacts(
        **manifest.as_fields(),
        label=labels.get("default") or manifest.label_literal,
        labels=labels,
        icon=icon.facts if icon else None,
        strings=strings,
        localized_strings=guarded(findings, "strings", _NO_LOCALIZED, lambda: _localized(table)),
        signing=signing,
        dex=dex_list,
        native_libs=libs,
        abis=abis,
        entries=contents.entry_facts(entries),
        h5_pages=guarded(findings, "h5", no_pages(), lambda: read_h5_pages(archive, entries)),
        embedded_configs=configs,
    )
    found = (
        guarded(
            findings,
            "indicators",
            _NO_INDICATORS,
            lambda: collect_indicators(
                facts, archive, entries, config_urls + dex_indicators, findings
            ),
        )
        if indicators
        else []
    )
    return ApkResult(facts, found, _blobs(icon), manifest_bytes is not None)


def _table(archive: ZipArchive, findings: Findings) -> ResourceTable | None:
    data = read_entry(archive, RESOURCES, MAX_ARSC, findings)
    return ResourceTable.parse(data, findings) if data is not None else None


def _manifest(data: bytes | None, table: ResourceTable | None, findings: Findings) -> ManifestFacts:
    if data is None:
        return ManifestFacts()
    return read_manifest(parse_axml(data, findings, entry=MANIFEST), findings, table)


def _labels(manifest: ManifestFacts, table: ResourceTable | None) -> dict[str, str]:
    """Label per configuration ("default", "zh-rCN", ...), resolved as Android would."""
    if manifest.label_ref is not None and table is not None:
        return table.localized_strings(manifest.label_ref)
    if manifest.label_literal:
        return {"default": manifest.label_literal}
    return {}


def _localized(table: ResourceTable | None) -> dict[str, dict[str, str]]:
    """String resources of Chinese locales: the text fraud apps show their victims."""
    if table is None:
        return {}
    return {
        loc: table.strings(loc)
        for loc in table.string_locales()
        if loc.startswith(CHINESE_LOCALE_PREFIX)
    }


def _dex(
    archive: ZipArchive, entries: list[ZipEntry], findings: Findings, scan: bool, refs: bool
) -> tuple[list[DexFacts], list[Indicator]]:
    out: list[DexFacts] = []
    indicators: list[Indicator] = []
    used = 0
    dex_entries = contents.dex_entries(entries)
    for done, entry in enumerate(dex_entries):
        data, capped = _read_dex(archive, entry, MAX_DEX_TOTAL - used, findings)
        if capped:
            left = len(dex_entries) - done
            findings.anomaly(
                "dex_total_capped",
                f"{left} DEX entr{'y' if left == 1 else 'ies'} from {entry.name} on not read: "
                f"the package's DEX entries inflate past {MAX_DEX_TOTAL} bytes in all",
                entry=entry.name,
            )
            break
        if data is None:
            continue
        used += len(data)
        dex = DexFile.parse(data, findings, name=entry.name)
        out.append(dex_facts(dex, api_refs=refs))
        if scan:
            # length bytes set to NUL, so a length byte never glues onto a host name
            span = dex.scan_bytes(limit=MAX_INPUT)
            indicators.extend(find_indicators_bytes(span, location=Location(entry=entry.name)))
        del data, dex  # one entry in memory at a time
    return out, indicators


def _read_dex(
    archive: ZipArchive, entry: ZipEntry, room: int, findings: Findings
) -> tuple[bytes | None, bool]:
    """One DEX entry within ``room``, what is left of the package's DEX total; the flag
    says the total stopped it."""
    if room <= 0:
        return None, True
    try:
        return archive.read(entry, max_size=min(MAX_DEX, room)), False
    except ZipEntryError as exc:
        if exc.code == "entry_too_large" and room < MAX_DEX:
            return None, True
        findings.anomaly(exc.code, exc.detail, entry=entry.name)
        findings.error(f"{entry.name} could not be read: {exc.detail}")
        return None, False


def _blobs(icon: IconResult | None) -> dict[str, bytes]:
    return dict(icon.blobs) if icon else {}
