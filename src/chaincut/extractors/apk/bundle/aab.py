"""Android App Bundles (.aab): modules with protobuf manifests, read into one APK document.

An AAB is what a developer uploads, not what a phone installs: each module (``base/`` and
feature modules) holds ``manifest/AndroidManifest.xml`` as aapt2 proto XML,
``dex/classesN.dex``, ``lib/<abi>/``, ``assets/``, ``res/`` and ``resources.pb``; the bundle
is JAR-signed (v1) by the upload key. Its certificate, package and code are evidence like an
APK's. The label and default strings come from the base module's ``resources.pb``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from chaincut.extractors.apk import contents
from chaincut.extractors.apk.bundle.prototable import proto_strings
from chaincut.extractors.apk.bundle.protoxml import parse_proto_xml
from chaincut.extractors.apk.bundle.splitattrs import SplitAttrs, read_split_attrs
from chaincut.extractors.apk.extract import MAX_ARSC, MAX_DEX, MAX_MANIFEST, ApkResult, read_entry
from chaincut.extractors.apk.guard import guarded
from chaincut.extractors.apk.indicators import collect_indicators
from chaincut.extractors.apk.manifest import ManifestFacts, read_manifest
from chaincut.extractors.apk.signing import read_signing
from chaincut.extractors.dex import DexFile, dex_facts
from chaincut.extractors.findings import Findings
from chaincut.extractors.indicators import MAX_INPUT, find_indicators_bytes
from chaincut.extractors.zip import ZipArchive, ZipEntry
from chaincut.facts.models import (
    ApkFacts,
    BundleFacts,
    DexFacts,
    Indicator,
    Location,
    SigningFacts,
    SplitFacts,
)

MODULE_MANIFEST = re.compile(r"^([^/]+)/manifest/AndroidManifest\.xml$")
MODULE_DEX = re.compile(r"^([^/]+)/dex/classes(\d*)\.dex$")
MODULE_LIB = re.compile(r"^([^/]+)/lib/([^/]+)/[^/]+\.so$")
MAX_MODULES = 64
RESOURCES_PB = "base/resources.pb"


@dataclass(slots=True)
class Module:
    name: str
    manifest: ManifestFacts
    attrs: SplitAttrs
    dex: list[DexFacts]
    libs: list[str]


def extract_aab(archive: ZipArchive, path: str, findings: Findings) -> ApkResult:
    """The base module's manifest with feature modules' components; code of every module."""
    entries = contents.unique_entries(archive)
    names = [m.group(1) for e in entries if (m := MODULE_MANIFEST.match(e.name))]
    names = sorted(names, key=lambda n: (n != "base", n))[:MAX_MODULES]
    dex_indicators: list[Indicator] = []
    modules = [_module(archive, entries, name, findings, dex_indicators) for name in names]
    base = modules[0]
    signing = guarded(
        findings,
        "signing",
        SigningFacts(reason="signature reader failed"),
        lambda: read_signing(archive, findings, min_sdk=base.manifest.min_sdk),
    )
    components = list(base.manifest.components)
    seen = {(c.kind, c.name) for c in components}
    for module in modules[1:]:
        for comp in module.manifest.components:
            if (comp.kind, comp.name) not in seen:
                seen.add((comp.kind, comp.name))
                components.append(comp)
    libs = [lib for m in modules for lib in m.libs]
    fields = base.manifest.as_fields()
    fields["components"] = components
    strings = _strings(archive, findings)
    label = base.manifest.label_literal
    if label is None and base.manifest.label_ref is not None:
        label = strings.get(base.manifest.label_ref, ("", None))[1]
    facts = ApkFacts(
        **fields,
        label=label,
        labels={"default": label} if label else {},
        strings={name: value for name, value in strings.values()},
        signing=signing,
        dex=[d for m in modules for d in m.dex],
        native_libs=libs,
        abis=sorted({m.group(2) for lib in libs if (m := MODULE_LIB.match(lib))}),
        entries=contents.entry_facts(entries),
        bundle=BundleFacts(
            format="aab",
            splits=[_split(m, signing if m is base else None) for m in modules],
        ),
    )
    assets = [e for e in entries if re.match(r"^[^/]+/(?:assets|root)/", e.name)]
    none: list[Indicator] = []
    found = guarded(
        findings,
        "indicators",
        none,
        lambda: collect_indicators(facts, archive, assets, dex_indicators, findings),
    )
    return ApkResult(facts, found, {}, True)


def _strings(archive: ZipArchive, findings: Findings) -> dict[int, tuple[str, str]]:
    """The base module's default string resources (labels, indicator scans)."""
    data = read_entry(archive, RESOURCES_PB, MAX_ARSC, findings)
    return proto_strings(data, findings, RESOURCES_PB) if data is not None else {}


def _module(
    archive: ZipArchive,
    entries: list[ZipEntry],
    name: str,
    findings: Findings,
    indicators: list[Indicator],
) -> Module:
    where = f"{name}/manifest/AndroidManifest.xml"
    data = read_entry(archive, where, MAX_MANIFEST, findings)
    root = parse_proto_xml(data, findings, entry=where) if data is not None else None
    if root is None:
        findings.anomaly("bundle_module_unreadable", "no readable manifest", entry=where)
    manifest = guarded(
        findings, "manifest", ManifestFacts(), lambda: read_manifest(root, findings, None)
    )
    dex: list[DexFacts] = []
    dex_entries = sorted(
        ((int(m.group(2) or 1), e) for e in entries if (m := MODULE_DEX.match(e.name))),
        key=lambda pair: pair[0],
    )
    for _, entry in dex_entries:
        if not entry.name.startswith(f"{name}/"):
            continue
        blob = read_entry(archive, entry.name, MAX_DEX, findings)
        if blob is None:
            continue
        parsed = DexFile.parse(blob, findings, name=entry.name)
        dex.append(dex_facts(parsed))
        span = parsed.scan_bytes(limit=MAX_INPUT)
        indicators.extend(find_indicators_bytes(span, location=Location(entry=entry.name)))
    libs = [e.name for e in entries if e.name.startswith(f"{name}/") and MODULE_LIB.match(e.name)]
    return Module(name, manifest, read_split_attrs(root), dex, libs)


def _split(module: Module, signing: SigningFacts | None) -> SplitFacts:
    base = module.name == "base"
    name = None if base else (module.attrs.name or module.name)
    return SplitFacts(
        entry=f"{module.name}/",
        name=name,
        kind="base" if base else "feature",
        feature=None if base else module.name,
        package=module.manifest.package,
        version_code=module.manifest.version_code,
        is_feature_split=module.attrs.is_feature_split,
        split_required=module.attrs.split_required,
        required_split_types=module.attrs.required_split_types,
        split_types=module.attrs.split_types,
        permissions=module.manifest.permissions,
        components=len(module.manifest.components),
        native_libs=module.libs,
        dex=len(module.dex),
        signing=signing,
    )
