"""Read an IPA (Payload/X.app in a ZIP) into IpaFacts, indicators and the icon blob.

Order: choose the app directory from entry names, Info.plist, localized names, icons,
the main executable (Mach-O encryption and its strings), then embedded.mobileprovision
and the checks between the two (bundle id covered by the profile's app id).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

from chaincut.extractors.findings import Findings
from chaincut.extractors.ios import bundle
from chaincut.extractors.ios.indicators import executable_indicators, ipa_indicators
from chaincut.extractors.ios.info import InfoFields, info_fields, strings_display_name
from chaincut.extractors.ios.macho import read_macho
from chaincut.extractors.ios.provision import app_id_covers, read_provision
from chaincut.extractors.plist import read_plist
from chaincut.extractors.zip import ZipArchive, ZipEntryError
from chaincut.facts.ios import IpaFacts, ProvisionFacts
from chaincut.facts.models import Indicator

MAX_PLIST = 8 * 1024 * 1024
MAX_STRINGS_FILE = 256 * 1024
MAX_ICON = 4 * 1024 * 1024
MAX_PROFILE = 2 * 1024 * 1024
MAX_EXECUTABLE = 64 * 1024 * 1024


@dataclass(slots=True)
class IpaResult:
    facts: IpaFacts
    indicators: list[Indicator] = field(default_factory=list)
    blobs: dict[str, bytes] = field(default_factory=dict)


def _read(archive: ZipArchive, name: str, limit: int, findings: Findings) -> bytes | None:
    """An entry's bytes, or None (absent, or unreadable: reported)."""
    if archive.get(name) is None:
        return None
    try:
        return archive.read(name, max_size=limit)
    except ZipEntryError as exc:
        findings.anomaly("ipa_entry_unreadable", exc.code, entry=name)
        return None


def extract_ipa(archive: ZipArchive, findings: Findings, now: datetime | None = None) -> IpaResult:
    """Everything the IPA says about itself; never raises on hostile content."""
    names = archive.names()
    dirs = bundle.app_dirs(names)
    if not dirs:
        findings.anomaly("ipa_no_app_dir", "no Payload/X.app/ entries")
        return IpaResult(IpaFacts())
    if len(dirs) > 1:
        findings.anomaly("ipa_multiple_apps", ", ".join(dirs[:10]))
    app = bundle.choose_app(dirs, set(names))
    assert app is not None
    info, fmt = _info(archive, app, findings)
    shape = bundle.layout(names, info.icon_names)
    icon, crushed, blobs = _icon(archive, app, shape.icon_files, findings)
    exe_size, encrypted, exe_indicators = _executable(archive, app, info.executable, findings)
    provision = _provision(archive, app, findings, now)
    _check_bundle_id(info, provision, findings)
    facts = IpaFacts(
        app_dir=app,
        bundle_id=info.bundle_id,
        display_name=info.display_name,
        name=info.name,
        localized_names=_localized(archive, shape.lproj_strings, findings),
        version=info.version,
        build=info.build,
        executable=info.executable,
        minimum_os=info.minimum_os,
        url_schemes=info.url_schemes,
        queried_schemes=info.queried_schemes,
        ats_arbitrary_loads=info.ats_arbitrary_loads,
        ats_exception_domains=info.ats_exception_domains,
        usage_descriptions=info.usage_descriptions,
        frameworks=shape.frameworks,
        plugins=shape.plugins,
        bundle_files=shape.bundle_files,
        icon_files=shape.icon_files,
        icon=icon,
        icon_crushed=crushed,
        executable_size=exe_size,
        encrypted=encrypted,
        provision=provision,
        code_signature=shape.code_signature,
        info_plist_format=fmt,
    )
    return IpaResult(facts, ipa_indicators(facts, exe_indicators), blobs)


def _info(archive: ZipArchive, app: str, findings: Findings) -> tuple[InfoFields, str]:
    name = f"{app}/Info.plist"
    data = _read(archive, name, MAX_PLIST, findings)
    if data is None:
        findings.anomaly("ipa_info_plist_missing", "", entry=name)
        return InfoFields(), "missing"
    plist = read_plist(data, findings, entry=name)
    if plist.ok and not isinstance(plist.value, dict):
        findings.anomaly("ipa_info_plist_not_dict", type(plist.value).__name__, entry=name)
    return info_fields(plist.dict()), plist.format


def _localized(archive: ZipArchive, entries: list[str], findings: Findings) -> dict[str, str]:
    out: dict[str, str] = {}
    for name in entries:
        data = _read(archive, name, MAX_STRINGS_FILE, findings)
        if data is None:
            continue
        value = strings_display_name(data, findings, name)
        if value:
            out[name.rsplit("/", 2)[-2].removesuffix(".lproj")] = value
    return out


def _icon(
    archive: ZipArchive, app: str, icons: list[str], findings: Findings
) -> tuple[str | None, bool | None, dict[str, bytes]]:
    """The largest icon PNG as a blob; crushed (CgBI) PNGs are kept and flagged."""
    sized = [(e.uncompressed_size, n) for n in icons if (e := archive.get(f"{app}/{n}"))]
    for _, rel in sorted(sized, key=lambda t: (-t[0], t[1])):
        data = _read(archive, f"{app}/{rel}", MAX_ICON, findings)
        if data and data.startswith(b"\x89PNG"):
            digest = hashlib.sha256(data).hexdigest()
            return digest, data[12:16] == b"CgBI", {digest: data}
    return None, None, {}


def _executable(
    archive: ZipArchive, app: str, executable: str | None, findings: Findings
) -> tuple[int | None, bool | None, list[Indicator]]:
    if not executable or "/" in executable:
        return None, None, []
    name = f"{app}/{executable}"
    entry = archive.get(name)
    if entry is None:
        findings.anomaly("ipa_executable_missing", executable, entry=name)
        return None, None, []
    data = _read(archive, name, MAX_EXECUTABLE, findings)
    if data is None:
        return entry.uncompressed_size, None, []
    macho = read_macho(data)
    if macho.problem:
        findings.anomaly("ipa_macho_invalid", macho.problem, entry=name)
    return entry.uncompressed_size, macho.encrypted, executable_indicators(data, name)


def _provision(
    archive: ZipArchive, app: str, findings: Findings, now: datetime | None
) -> ProvisionFacts | None:
    name = f"{app}/embedded.mobileprovision"
    data = _read(archive, name, MAX_PROFILE, findings)
    if data is None:
        findings.anomaly("provision_missing", "", entry=name)
        return None
    return read_provision(data, findings, entry=name, now=now)


def _check_bundle_id(info: InfoFields, prov: ProvisionFacts | None, findings: Findings) -> None:
    if prov is None or not prov.application_identifier or not info.bundle_id:
        return
    prefixes = prov.app_id_prefix + ([prov.team_id] if prov.team_id else [])
    if not app_id_covers(prov.application_identifier, info.bundle_id, prefixes):
        detail = f"Info.plist {info.bundle_id}, profile {prov.application_identifier}"
        findings.anomaly("ipa_bundle_id_mismatch", detail)
