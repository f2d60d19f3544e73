"""Info.plist fields, and localized names from *.lproj/InfoPlist.strings.

The display name is what the victim sees under the icon (often a bank's name); URL
schemes and queried schemes reveal deep links and which payment/bank apps are probed;
App Transport Security exceptions show cleartext back ends.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from chaincut.extractors.findings import Findings
from chaincut.extractors.ios.values import flag, items, mapping, number_text, text, texts
from chaincut.extractors.plist import PlistValue, read_plist

MAX_USAGE = 60
_STRINGS_NAME = re.compile(
    r'^\s*"?(CFBundleDisplayName|CFBundleName)"?\s*=\s*"((?:[^"\\]|\\.)*)"\s*;', re.MULTILINE
)


@dataclass(slots=True)
class InfoFields:
    """The Info.plist facts an IpaFacts takes (kept typed between the two stages)."""

    bundle_id: str | None = None
    display_name: str | None = None
    name: str | None = None
    version: str | None = None
    build: str | None = None
    executable: str | None = None
    minimum_os: str | None = None
    url_schemes: list[str] = field(default_factory=list)
    queried_schemes: list[str] = field(default_factory=list)
    ats_arbitrary_loads: bool = False
    ats_exception_domains: list[str] = field(default_factory=list)
    usage_descriptions: dict[str, str] = field(default_factory=dict)
    icon_names: list[str] = field(default_factory=list)  # CFBundleIconFiles prefixes


def info_fields(root: dict[str, PlistValue]) -> InfoFields:
    """Typed Info.plist facts; absent or mistyped keys stay empty."""
    ats = mapping(root.get("NSAppTransportSecurity"))
    name = text(root.get("CFBundleName"), 300)
    return InfoFields(
        bundle_id=text(root.get("CFBundleIdentifier"), 300),
        display_name=text(root.get("CFBundleDisplayName"), 300) or name,
        name=name,
        version=number_text(root.get("CFBundleShortVersionString")),
        build=number_text(root.get("CFBundleVersion")),
        executable=text(root.get("CFBundleExecutable"), 300),
        minimum_os=number_text(root.get("MinimumOSVersion")),
        url_schemes=_url_schemes(root.get("CFBundleURLTypes")),
        queried_schemes=texts(root.get("LSApplicationQueriesSchemes")),
        ats_arbitrary_loads=flag(ats.get("NSAllowsArbitraryLoads")) is True,
        ats_exception_domains=list(mapping(ats.get("NSExceptionDomains")))[:200],
        usage_descriptions={
            k: v[:500]
            for k, v in list(root.items())
            if k.startswith("NS") and k.endswith("UsageDescription") and isinstance(v, str)
        },
        icon_names=_icon_names(root),
    )


def _url_schemes(value: PlistValue) -> list[str]:
    out: list[str] = []
    for url_type in items(value)[:100]:
        for scheme in texts(mapping(url_type).get("CFBundleURLSchemes")):
            if scheme not in out:
                out.append(scheme)
    return out


def _icon_names(root: dict[str, PlistValue]) -> list[str]:
    names = texts(root.get("CFBundleIconFiles")) + texts(root.get("CFBundleIconFile"))
    for key in ("CFBundleIcons", "CFBundleIcons~ipad"):
        primary = mapping(mapping(root.get(key)).get("CFBundlePrimaryIcon"))
        names += texts(primary.get("CFBundleIconFiles"))
        names += texts(primary.get("CFBundleIconName"))
    return list(dict.fromkeys(n for n in names if n))


def strings_display_name(data: bytes, findings: Findings, entry: str) -> str | None:
    """CFBundleDisplayName (else CFBundleName) from an InfoPlist.strings file.

    Old-style text (UTF-16 with BOM or UTF-8) is matched with a regex, a binary plist
    is decoded; anything else yields None.
    """
    if data.startswith(b"bplist00"):
        root = read_plist(data, findings, entry=entry).dict()
        return text(root.get("CFBundleDisplayName"), 300) or text(root.get("CFBundleName"), 300)
    found: dict[str, str] = {}
    for key, value in _STRINGS_NAME.findall(_decode(data)):
        found.setdefault(key, value.replace('\\"', '"')[:300])
    return found.get("CFBundleDisplayName") or found.get("CFBundleName")


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace")
    return data.decode("utf-8-sig", "replace")
