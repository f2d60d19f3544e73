"""One ApkFacts for a split package: the app as Android would install it.

The base APK's manifest is the app's (package, versions, SDKs, label, icon, permissions);
the other splits add their components (PackageParser parses <application> children of every
split) and their code, native libraries and entries. Permissions a split requests are kept
on the split and reported, because Android reads ``uses-permission`` from the base only.
Each split's signature stays on the split; splits signed by other certificates than the
base are reported (Android would refuse the set, the certificates are evidence).
"""

from __future__ import annotations

from chaincut.extractors.apk.bundle.names import classify, name_from_file
from chaincut.extractors.apk.bundle.splits import Part
from chaincut.extractors.apk.indicators import dedupe
from chaincut.extractors.findings import Findings
from chaincut.facts.models import (
    ApkFacts,
    Component,
    DexFacts,
    Indicator,
    Location,
    SigningFacts,
    SplitFacts,
)

SKIPPED_ENTRIES = ("AndroidManifest.xml", "resources.arsc", "META-INF/")
STANDALONES = "standalones/"


def split_name(part: Part) -> str | None:
    """The manifest's split name (None for a base APK)."""
    return part.attrs.name


def choose_base(parts: list[Part], findings: Findings) -> Part | None:
    bases = [p for p in parts if split_name(p) is None]
    if not bases:
        findings.anomaly("bundle_no_base", f"{len(parts)} APKs, every one a split")
        return None
    named = [p for p in bases if name_from_file(p.entry) == ""]
    bases = named + [p for p in bases if p not in named]
    # bundletool's standalones/ are alternative whole APKs (one per ABI or SDK), not rivals
    if len([p for p in bases if not p.entry.startswith(STANDALONES)]) > 1:
        findings.anomaly(
            "bundle_multiple_base",
            f"{', '.join(p.entry for p in bases[:5])}; using {bases[0].entry}",
        )
    return bases[0]


def split_facts(part: Part) -> SplitFacts:
    """A split as its manifest names it; an APK without ``split=`` is a base (the chosen
    base, or an alternative whole APK such as bundletool's standalones)."""
    name = split_name(part)
    kind, config, feature = classify(name)
    if kind == "feature" and not part.attrs.is_feature_split and name:
        feature = name
    facts = part.result.facts
    return SplitFacts(
        entry=part.entry,
        name=name,
        kind=kind,
        config=config,
        feature=feature,
        package=facts.package,
        version_code=facts.version_code,
        sha256=part.sha256,
        size=part.size,
        is_feature_split=part.attrs.is_feature_split,
        config_for_split=part.attrs.config_for_split,
        split_required=part.attrs.split_required,
        required_split_types=part.attrs.required_split_types,
        split_types=part.attrs.split_types,
        permissions=facts.permissions,
        components=len(facts.components),
        native_libs=facts.native_libs,
        dex=len(facts.dex),
        signing=facts.signing,
    )


def check_splits(base: Part, others: list[Part], findings: Findings) -> None:
    """Package, version, signer and permission consistency of the splits with the base."""
    b = base.result.facts
    base_signers = _signer_set(b.signing)
    for part in others:
        f = part.result.facts
        if (f.package, f.version_code) != (b.package, b.version_code):
            findings.anomaly(
                "bundle_split_package_mismatch",
                f"{f.package} {f.version_code} vs base {b.package} {b.version_code}",
                entry=part.entry,
            )
        signers = _signer_set(f.signing)
        if signers != base_signers:
            shown = ", ".join(sorted(s[:16] for s in signers)) or "unsigned"
            findings.anomaly("bundle_split_signer_mismatch", f"signed by {shown}", entry=part.entry)
        extra = sorted(set(f.permissions) - set(b.permissions))
        if extra:
            findings.anomaly(
                "bundle_split_permission_ignored", ", ".join(extra[:10]), entry=part.entry
            )


def _signer_set(signing: SigningFacts) -> frozenset[str]:
    """The certificates that identify a signer: leaf of each signer (all schemes)."""
    leaves = {s.certificates[0] for s in signing.signers if s.certificates}
    return frozenset(leaves or {c.sha256 for c in signing.certificates[:1]})


def check_required(base: Part, others: list[Part], findings: Findings) -> None:
    provided = {t for p in others for t in p.attrs.split_types}
    missing = [t for t in base.attrs.required_split_types if t not in provided]
    if missing:
        findings.anomaly(
            "bundle_required_split_missing", f"requiredSplitTypes {', '.join(missing)}"
        )
    if base.attrs.split_required and not others:
        findings.anomaly("bundle_required_split_missing", "isSplitRequired but no split")


def merge(base: Part, others: list[Part]) -> tuple[ApkFacts, list[Indicator]]:
    """The installed app's facts and the indicators of every split (base first)."""
    facts = base.result.facts
    components = list(facts.components)
    seen: set[tuple[str, str]] = {(c.kind, c.name) for c in components}
    dex = list(facts.dex)
    libs = list(facts.native_libs)
    entries = list(facts.entries)
    indicators = list(base.result.indicators)
    localized = {loc: dict(table) for loc, table in facts.localized_strings.items()}
    for part in others:
        for loc, table in part.result.facts.localized_strings.items():
            localized.setdefault(loc, {}).update(
                {k: v for k, v in table.items() if k not in localized[loc]}
            )
        f = part.result.facts
        components += _new_components(f.components, seen)
        dex += [_dex_in(d, part.entry) for d in f.dex]
        libs += [f"{part.entry}!/{lib}" for lib in f.native_libs]
        entries += [e for e in f.entries if not e.name.startswith(SKIPPED_ENTRIES)]
        indicators += [_located(i, part.entry) for i in part.result.indicators]
    abis = sorted({a for p in [base, *others] for a in p.result.facts.abis})
    merged = facts.model_copy(
        update={
            "components": components,
            "dex": dex,
            "native_libs": libs,
            "abis": abis,
            "entries": entries,
            "localized_strings": localized,  # language splits carry the translations
        }
    )
    return merged, dedupe(indicators)


def _new_components(comps: list[Component], seen: set[tuple[str, str]]) -> list[Component]:
    out = []
    for comp in comps:
        if (comp.kind, comp.name) not in seen:
            seen.add((comp.kind, comp.name))
            out.append(comp)
    return out


def _dex_in(dex: DexFacts, split: str) -> DexFacts:
    return dex.model_copy(update={"name": f"{split}!/{dex.name}"})


def _located(ind: Indicator, split: str) -> Indicator:
    inner = ind.location.entry if ind.location is not None else None
    where = f"{split}!/{inner}" if inner else split
    offset = ind.location.offset if ind.location is not None else None
    return ind.model_copy(update={"location": Location(entry=where, offset=offset)})
