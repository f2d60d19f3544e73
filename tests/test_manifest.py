"""Manifest facts: Android's defaults on crafted manifests, and agreement with aapt and
androguard over every APK of both corpora."""

from __future__ import annotations

import hashlib
import re
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest

from chaincut.extractors.apk.axml import attrs as A
from chaincut.extractors.apk.axml import parse_axml
from chaincut.extractors.apk.manifest import ManifestFacts, read_manifest
from chaincut.extractors.findings import Findings
from chaincut.facts.models import ApkFacts
from tests.axml_builder import T_BOOL, T_DEC, T_REF, T_STRING, manifest
from tests.corpus import SHARED
from tests.oracles import aapt_available

PKG = {"package": (0, T_STRING, "com.fraud.app")}


def node(tag: str, children: list[Any] | None = None, **attrs: tuple[int, int, Any]) -> Any:
    return (tag, attrs, children or [])


def name(value: str) -> tuple[int, int, str]:
    return (A.NAME, T_STRING, value)


def launcher_filter() -> Any:
    main = node("action", name=name("android.intent.action.MAIN"))
    return node(
        "intent-filter", [main, node("category", name=name("android.intent.category.LAUNCHER"))]
    )


class FakeResolver:
    def __init__(self, values: dict[int, str]) -> None:
        self.values = values

    def resolve_string(self, res_id: int) -> str | None:
        return self.values.get(res_id)

    def name_of(self, res_id: int) -> str | None:
        return "xml/nsc" if res_id == 0x7F0F0001 else None


def read(
    children: list[Any], attrs: dict[str, Any] | None = None, resolver: FakeResolver | None = None
) -> tuple[ManifestFacts, set[str]]:
    findings = Findings()
    root = parse_axml(manifest({**PKG, **(attrs or {})}, children=children), findings)
    facts = read_manifest(root, findings, resolver)
    return facts, {a.code for a in findings.anomalies}


def test_no_root_gives_empty_facts() -> None:
    assert read_manifest(None, Findings()) == ManifestFacts()


def test_components_follow_android_defaults() -> None:
    app = node("application", [
        node("activity", [launcher_filter()], name=name(".Main")),
        node("activity", name=name("Hidden")),
        node("service", [node("intent-filter", [node("action", name=name("x.Y"))])],
             name=name("com.other.Svc")),
        node("receiver", name=name(".Rx"), exported=(A.EXPORTED, T_BOOL, 0),
             permission=(A.PERMISSION, T_STRING, "p.OWN")),
        node("provider", name=name(".Prov"), authorities=(A.AUTHORITIES, T_STRING, "a.b")),
        node("activity-alias", [launcher_filter()], name=name(".Alias"),
             targetActivity=(A.TARGET_ACTIVITY, T_STRING, ".Main")),
    ], permission=(A.PERMISSION, T_STRING, "p.APP"))  # fmt: skip
    sdk = node("uses-sdk", minSdkVersion=(A.MIN_SDK, T_DEC, 16))
    facts, codes = read([sdk, app])
    comps = {c.name: c for c in facts.components}
    main = comps["com.fraud.app.Main"]
    assert main.exported is None and main.effectively_exported and main.permission == "p.APP"
    assert not comps["com.fraud.app.Hidden"].effectively_exported
    assert comps["com.other.Svc"].effectively_exported
    rx = comps["com.fraud.app.Rx"]
    assert rx.exported is False and not rx.effectively_exported and rx.permission == "p.OWN"
    prov = comps["com.fraud.app.Prov"]
    assert prov.effectively_exported and prov.authorities == "a.b"  # target 16 < 17
    assert comps["com.fraud.app.Alias"].target_activity == "com.fraud.app.Main"
    assert facts.main_activity == "com.fraud.app.Main"
    assert "manifest_alias_target_missing" not in codes


def test_launcher_skips_disabled_and_split_filters() -> None:
    split = node("activity", [
        node("intent-filter", [node("action", name=name("android.intent.action.MAIN"))]),
        node("intent-filter", [node("category", name=name("android.intent.category.LAUNCHER"))]),
    ], name=name(".Split"))  # fmt: skip
    off = node("activity", [launcher_filter()], name=name(".Off"),
               enabled=(A.ENABLED, T_BOOL, 0))  # fmt: skip
    alias = node("activity-alias", [launcher_filter()], name=name(".Alias"),
                 targetActivity=(A.TARGET_ACTIVITY, T_STRING, ".Missing"))  # fmt: skip
    facts, codes = read([node("application", [split, off, alias])])
    assert facts.main_activity == "com.fraud.app.Alias"
    assert "manifest_alias_target_missing" in codes


def test_provider_default_and_exported_required() -> None:
    app = node("application", [
        node("provider", name=name(".P")),
        node("activity", [launcher_filter()], name=name(".A")),
    ])  # fmt: skip
    sdk = node("uses-sdk", minSdkVersion=(A.MIN_SDK, T_DEC, 21),
               targetSdkVersion=(A.TARGET_SDK, T_DEC, 31))  # fmt: skip
    facts, codes = read([sdk, app])
    assert not facts.components[0].effectively_exported
    assert "manifest_missing_exported" in codes


def test_meta_data_values_and_references() -> None:
    app = node("application", [
        node("meta-data", name=name("k.str"), value=(A.VALUE, T_STRING, "hello")),
        node("meta-data", name=name("k.int"), value=(A.VALUE, T_DEC, 0xFFFFFFFE)),
        node("meta-data", name=name("k.bool"), value=(A.VALUE, T_BOOL, 1)),
        node("meta-data", name=name("k.ref"), value=(A.VALUE, T_REF, 0x7F0A0001)),
        node("meta-data", name=name("k.res"), resource=(A.RESOURCE, T_REF, 0x7F0A0002)),
        node("meta-data", name=name("k.str"), value=(A.VALUE, T_STRING, "again")),
        node("service", [node("meta-data", name=name("k.int"), value=(A.VALUE, T_DEC, 5)),
                         node("meta-data", name=name("k.svc"), value=(A.VALUE, T_DEC, 6))],
             name=name(".S")),
    ])  # fmt: skip
    resolver = FakeResolver({0x7F0A0001: "https://c2.example/api", 0x7F0A0002: "res text"})
    facts, _ = read([app], resolver=resolver)
    assert facts.meta_data == {
        "k.str": "again", "k.int": "-2", "k.bool": "true", "k.ref": "https://c2.example/api",
        "k.res": "res text", "k.svc": "6",
    }  # fmt: skip
    res = next(m for m in facts.meta_data_entries if m.name == "k.res")
    assert res.resource == "@0x7f0a0002" and res.component is None
    svc = [m for m in facts.meta_data_entries if m.component == "com.fraud.app.S"]
    assert [m.name for m in svc] == ["k.int", "k.svc"]
    unresolved, _ = read([app])
    assert unresolved.meta_data["k.ref"] == "@0x7f0a0001"
    assert unresolved.meta_data["k.res"] == "@0x7f0a0002"


def test_version_code_forms() -> None:
    facts, codes = read([], {"versionCode": (A.VERSION_CODE, T_STRING, "123")})
    assert facts.version_code == 123 and "manifest_version_code_not_int" in codes
    ref = {"versionCode": (A.VERSION_CODE, T_REF, 0x7F0B0001)}
    assert read([], ref)[0].version_code is None
    assert read([], ref, FakeResolver({0x7F0B0001: "77"}))[0].version_code == 77
    major = {"versionCode": (A.VERSION_CODE, T_DEC, 5),
             "versionCodeMajor": (A.VERSION_CODE_MAJOR, T_DEC, 1)}  # fmt: skip
    assert read([], major)[0].version_code == (1 << 32) | 5


def test_sdk_versions() -> None:
    facts, codes = read([node("uses-sdk", minSdkVersion=(A.MIN_SDK, T_STRING, "Q"),
                              maxSdkVersion=(A.MAX_SDK, T_DEC, 30))])  # fmt: skip
    assert (facts.min_sdk, facts.target_sdk, facts.max_sdk) == (29, None, 30)
    assert "manifest_sdk_codename" in codes
    assert read([])[0].min_sdk is None
    twice = [node("uses-sdk", minSdkVersion=(A.MIN_SDK, T_DEC, 9)),
             node("uses-sdk", minSdkVersion=(A.MIN_SDK, T_DEC, 19))]  # fmt: skip
    facts, codes = read(twice)
    assert facts.min_sdk == 19 and "manifest_duplicate_element" in codes


def test_permissions_requested_and_declared() -> None:
    perms = [
        node("uses-permission", name=name("android.permission.SEND_SMS")),
        node("uses-permission-sdk-23", name=name("android.permission.READ_SMS")),
        node("uses-permission", name=name("android.permission.SEND_SMS")),
        node("uses-permission", name=(A.NAME, T_REF, 0x7F0C0001)),
        node("permission", name=name("com.fraud.C2D"), protectionLevel=(A.PROTECTION_LEVEL,
             T_DEC, 0x12)),
        node("permission", name=name("com.fraud.N")),
    ]  # fmt: skip
    facts, codes = read(perms)
    assert facts.permissions == ["android.permission.SEND_SMS", "android.permission.READ_SMS"]
    assert "manifest_nonliteral_name" in codes
    assert facts.declared_permissions == [
        {"name": "com.fraud.C2D", "protection_level": "signature|privileged"},
        {"name": "com.fraud.N", "protection_level": "normal"},
    ]


def test_application_flags_label_icon_and_as_fields() -> None:
    app = node("application", [], name=name(".App"), debuggable=(A.DEBUGGABLE, T_BOOL, 1),
               allowBackup=(A.ALLOW_BACKUP, T_BOOL, 0), label=(A.LABEL, T_REF, 0x7F040001),
               icon=(A.ICON, T_REF, 0x7F020000),
               usesCleartextTraffic=(A.USES_CLEARTEXT, T_BOOL, 1),
               networkSecurityConfig=(A.NETWORK_SECURITY_CONFIG, T_REF, 0x7F0F0001))  # fmt: skip
    facts, _ = read([app], resolver=FakeResolver({}))
    assert facts.application == "com.fraud.app.App"
    assert facts.debuggable and facts.allow_backup is False and facts.uses_cleartext_traffic
    assert (facts.label_ref, facts.label_literal, facts.icon_ref) == (0x7F040001, None, 0x7F020000)
    assert facts.network_security_config == "@xml/nsc"
    apk = ApkFacts(**facts.as_fields())
    assert apk.package == "com.fraud.app" and apk.application == "com.fraud.app.App"
    literal, _ = read([node("application", label=(A.LABEL, T_STRING, "Bank"))])
    assert (literal.label_ref, literal.label_literal) == (None, "Bank")


def test_bad_root_and_package() -> None:
    findings = Findings()
    buf = manifest({"package": (0, T_STRING, "nodots")}, children=[])
    facts = read_manifest(parse_axml(buf, findings), findings)
    assert facts.package == "nodots"
    assert "manifest_bad_package_name" in {a.code for a in findings.anomalies}


# -- the corpora against aapt and androguard ----------------------------------------------

CORPUS_APKS = sorted((SHARED / "corpus" / "androguard").glob("*.apk")) + sorted(
    (SHARED / "corpus" / "malware").glob("*.apk")
)
GEINIMI = "30d7c91d2f91ddca2965e68936d4c924ea6d1f1edc9873f6d503a4071930b339.apk"
# (file, "oracle field") -> why we differ and which side Android takes.
KNOWN: dict[tuple[str, str], str] = {
    ("duplicate.permisssions_9999999.apk", "androguard permissions"): (
        "androguard drops <uses-permission-sdk-23>; PackageParser grants them on API 23+ and "
        "aapt lists them, as we do"
    ),
    (GEINIMI, "aapt permissions"): (
        "Geinimi's injected strings lack their NUL; aapt (like Android 5+) reads them as null "
        "and stops listing. Android 2.x, which the sample targeted, read them; we decode them "
        "by length (anomaly stringpool_unterminated) so the injected permissions are evidence"
    ),
    (GEINIMI, "aapt main_activity"): (
        "the only MAIN+LAUNCHER activity is Geinimi's injected com.geinimi.custom.Ad3090_30900001 "
        "whose strings aapt cannot read (see above); .Logo has LAUNCHER without MAIN"
    ),
}
PACKAGE_LINE = re.compile(r"package: name='([^']*)' versionCode='([^']*)' versionName='([^']*)'")
PERMISSION_LINE = re.compile(r"uses-permission(?:-sdk-23|-sdk-m)?: name='([^']*)'")


@pytest.fixture(scope="session")
def aapt_cache() -> dict[str, dict[str, Any]]:
    """aapt outputs by APK sha256, so each file is asked once per session."""
    return {}


def _aapt(path: Path, cache: dict[str, dict[str, Any]]) -> dict[str, Any] | None:
    if not aapt_available():
        return None
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest not in cache:
        run = [["aapt", "dump", "badging", str(path)], ["aapt", "dump", "permissions", str(path)]]
        out = [subprocess.run(c, capture_output=True, timeout=120, check=False) for c in run]
        badging, perms = (o.stdout.decode("utf-8", "replace") for o in out)
        cache[digest] = _parse_aapt(badging, perms)
    return cache[digest]


def _parse_aapt(badging: str, perms: str) -> dict[str, Any]:
    m = PACKAGE_LINE.search(badging)
    if m is None:
        return {"error": True}
    package, code, version = m.groups()
    return {
        "package": package,
        "version_code": code or None,
        "version_name": version or None,
        "min_sdk": (re.findall(r"^sdkVersion:'([^']*)'", badging, re.M) or [None])[-1],
        "target_sdk": (re.findall(r"^targetSdkVersion:'([^']*)'", badging, re.M) or [None])[-1],
        "permissions": set(PERMISSION_LINE.findall(perms)),
        "launchable": re.findall(r"launchable-activity: name='([^']*)'", badging),
    }


def _androguard(path: Path) -> dict[str, Any] | None:
    from androguard.core.apk import APK
    from loguru import logger

    logger.remove()
    try:
        apk = APK(str(path))
        return {
            "package": apk.get_package(),
            "version_code": apk.get_androidversion_code(),
            "version_name": apk.get_androidversion_name(),
            "min_sdk": apk.get_min_sdk_version(),
            "target_sdk": apk.get_target_sdk_version(),
            "permissions": set(apk.get_permissions()),
            "main_activity": apk.get_main_activity(),
        }
    except Exception:  # the oracle's own failure (it raises on 1 sample)
        return None


def _ours(facts: ManifestFacts) -> dict[str, Any]:
    def text(v: object) -> str | None:
        return None if v is None else str(v)

    return {
        "package": facts.package,
        "version_code": text(facts.version_code),
        "version_name": facts.version_name,
        "min_sdk": text(facts.min_sdk),
        "target_sdk": text(facts.target_sdk),
        "permissions": set(facts.permissions),
        "main_activity": facts.main_activity,
    }


def _compare(ours: dict[str, Any], theirs: dict[str, Any], who: str, file: str) -> list[str]:
    problems = []
    for key, value in theirs.items():
        if key == "launchable":
            agree = ours["main_activity"] in value if value else ours["main_activity"] is None
            key, value = "main_activity", value
        elif value in (None, "") or (isinstance(value, str) and value.startswith("@")):
            continue  # no opinion, or an unresolved reference (we run without a resolver)
        else:
            agree = ours[key] == value
        if not agree and (file, f"{who} {key}") not in KNOWN:
            problems.append(f"{who} {key}: ours={ours[key]!r} theirs={value!r}")
    return problems


def _manifest_bytes(path: Path) -> bytes | None:
    try:
        with zipfile.ZipFile(path) as zf:
            return zf.read("AndroidManifest.xml")
    except (zipfile.BadZipFile, KeyError, OSError):
        return None


@pytest.mark.corpus
@pytest.mark.oracle
@pytest.mark.parametrize("path", CORPUS_APKS, ids=lambda p: p.name[:40])
def test_manifest_matches_aapt_and_androguard(
    path: Path, aapt_cache: dict[str, dict[str, Any]]
) -> None:
    data = _manifest_bytes(path)
    if data is None:
        pytest.skip("not a ZIP with an AndroidManifest.xml (Python's zipfile cannot read it)")
    findings = Findings()
    ours = _ours(read_manifest(parse_axml(data, findings), findings))
    problems: list[str] = []
    aapt = _aapt(path, aapt_cache)
    if aapt is not None and not aapt.get("error"):
        problems += _compare(ours, aapt, "aapt", path.name)
    ag = _androguard(path)
    if ag is not None:
        problems += _compare(ours, ag, "androguard", path.name)
    assert not problems, "\n".join(problems)


def test_corpus_present_or_skip() -> None:
    if not CORPUS_APKS:
        pytest.skip(f"no APKs under {SHARED / 'corpus'}: the shared corpus is absent")
    assert len(CORPUS_APKS) > 50
