"""Features of an Android package: manifest, code, resources, signing."""

from __future__ import annotations

from datetime import UTC, datetime

from chaincut.detect.features import FeatureSet
from chaincut.facts.models import ApkFacts, CertificateFacts, DexFacts, Location

MANIFEST = Location(entry="AndroidManifest.xml")
RESOURCES = Location(entry="resources.arsc")
MAX_ENTRIES = 5000  # entry-name features per APK
MAX_STRINGS = 4000  # string features per APK
MAX_STRING_LEN = 4096


def apk_features(apk: ApkFacts, fs: FeatureSet, *, now: datetime | None = None) -> None:
    """Manifest, resources, code, contents and signing features of one APK."""
    _manifest(apk, fs)
    _components(apk, fs)
    _strings(apk, fs)
    dex_features(apk.dex, fs)
    for i, e in enumerate(apk.entries):
        if i >= MAX_ENTRIES:
            break
        fs.add("entry", e.name)
    for lib in apk.native_libs:
        fs.add("native_lib", lib.rsplit("/", 1)[-1], Location(entry=lib))
    for cfg in apk.embedded_configs:
        for name, value in cfg.values.items():
            fs.add("config", f"{name}={value}", Location(entry=cfg.entry))
    _signing(apk, fs, now or datetime.now(UTC))


def _manifest(apk: ApkFacts, fs: FeatureSet) -> None:
    if apk.package:
        fs.add("package", apk.package, MANIFEST)
    if apk.application:
        fs.add("application", apk.application, MANIFEST)
    if apk.main_activity:
        fs.add("main_activity", apk.main_activity, MANIFEST)
    for p in apk.permissions:
        fs.add("permission", p, MANIFEST)
    for m in apk.meta_data_entries:
        fs.add("meta_data", m.name, MANIFEST)
        if m.value is not None:
            fs.add("meta_data.value", f"{m.name}={m.value}", MANIFEST)
    fs.add("debuggable", apk.debuggable, MANIFEST)
    if apk.min_sdk is not None:
        fs.add("min_sdk", apk.min_sdk, MANIFEST)
    if apk.target_sdk is not None:
        fs.add("target_sdk", apk.target_sdk, MANIFEST)


def _components(apk: ApkFacts, fs: FeatureSet) -> None:
    for c in apk.components:
        name = f"{c.kind}:{c.name}"
        fs.add("component", name, MANIFEST)
        if c.effectively_exported:
            fs.add("component.exported", name, MANIFEST)
        for f in c.intent_filters:
            for action in f.actions:
                fs.add("intent_action", action, MANIFEST)
                fs.add("component.action", f"{c.kind}:{action}", MANIFEST)


def _strings(apk: ApkFacts, fs: FeatureSet) -> None:
    added = 0
    # in a fixed order (the label, then per locale): a set's order follows PYTHONHASHSEED
    labels = dict.fromkeys([apk.label, *apk.labels.values()])
    for label in labels:
        if label:
            fs.add("label", label, MANIFEST)
            fs.add("string", label, MANIFEST)
    tables = [apk.strings, *apk.localized_strings.values()]
    for table in tables:
        for value in table.values():
            if added >= MAX_STRINGS:
                return
            if value and len(value) > 1:
                fs.add("string", value[:MAX_STRING_LEN], RESOURCES)
                added += 1
    for page in apk.h5_pages:
        where = Location(entry=page.entry)
        if page.title:
            fs.add("string", page.title, where)
        if page.text:
            fs.add("string", page.text[:MAX_STRING_LEN], where)


def dex_features(dex: list[DexFacts], fs: FeatureSet) -> None:
    """Code features: API references and defined packages, class and file counts."""
    fs.add("dex.count", len(dex))
    fs.add("dex.classes", sum(d.classes for d in dex))
    for d in dex:
        where = Location(entry=d.name)
        fs.add_many("api", d.api_refs, where)
        fs.add_many("class_package", d.packages, where)


def _days(start: str | None, end: datetime) -> int | None:
    if not start:
        return None
    try:
        when = datetime.fromisoformat(start)
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return (end - when).days


def _cert(cert: CertificateFacts, fs: FeatureSet, now: datetime, first: bool) -> None:
    fs.add("cert.subject", cert.subject)
    if cert.known_key:
        fs.add("cert.known_key", cert.known_key)
    if not first:
        return
    fs.add("cert.self_signed", cert.self_signed)
    age = _days(cert.not_before, now)
    if age is not None:
        fs.add("cert.age_days", age)
    if cert.not_after and cert.not_before:
        end = _days(cert.not_before, _parse(cert.not_after) or now)
        if end is not None:
            fs.add("cert.validity_days", end)


def _parse(text: str) -> datetime | None:
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _signing(apk: ApkFacts, fs: FeatureSet, now: datetime) -> None:
    signing = apk.signing
    fs.add("signing.verified", signing.verified)
    for scheme, present in signing.schemes.items():
        if present:
            fs.add("signing.scheme", scheme)
    for i, cert in enumerate(signing.certificates[:8]):
        _cert(cert, fs, now, i == 0)
