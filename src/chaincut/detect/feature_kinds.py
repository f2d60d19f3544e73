"""The vocabulary of feature kinds rules may name, with each kind's value type.

This registry is what the rule linter checks kinds against and what the table in
docs/rules.md is generated from (``python -m chaincut.detect.feature_kinds``; a test
keeps the page current). Adding a feature kind means adding it here first.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from typing import Literal

ValueType = Literal["str", "int", "bool"]


@dataclass(frozen=True, slots=True)
class KindSpec:
    type: ValueType
    scopes: str  # artifact kinds that produce it
    description: str


def _k(type_: ValueType, scopes: str, description: str) -> KindSpec:
    return KindSpec(type_, scopes, description)


FEATURE_KINDS: dict[str, KindSpec] = {
    # every artifact
    "artifact.kind": _k("str", "all", "apk, dex, ipa, page, url, qr, mobileconfig, other"),
    "format": _k("str", "all", "what the content is: zip, dex, pe, elf, ..."),
    "size": _k("int", "all", "file size in bytes"),
    "anomaly": _k("str", "all", "anomaly code (docs/anomalies.md)"),
    "server.ip_url": _k("str", "all", "a URL whose server is a public IP address (common or not)"),
    "indicator.common": _k("str", "all", "kind of an indicator that is common infrastructure"),
    "link.platform": _k("str", "all", "known platform serving a linked domain (platforms.yaml)"),
    "link.platform_kind": _k("str", "all", "its kind: shortener, distribution, free_hosting..."),
    "label": _k("str", "apk ipa mobileconfig itms", "app label / display name (every locale)"),
    "string": _k(
        "str", "apk ipa page", "string resources, labels, H5 page titles and visible text"
    ),
    "wording.category": _k(
        "str", "apk ipa mobileconfig itms page", "fraud category the wording alone points at"
    ),
    "wording.score": _k("int", "apk ipa mobileconfig itms page", "points of that wording"),
    "wording.terms": _k("str", "apk ipa mobileconfig itms page", "terms that decided it"),
    # Android
    "package": _k("str", "apk", "package name"),
    "application": _k("str", "apk", "Application class name"),
    "main_activity": _k("str", "apk", "launcher activity class name"),
    "permission": _k("str", "apk", "requested permission"),
    "api": _k("str", "apk dex", "framework API referenced by DEX code: class.method"),
    "class_package": _k("str", "apk dex", "package of a class defined in DEX code"),
    "component": _k("str", "apk", "manifest component as kind:name (activity:..., receiver:...)"),
    "component.exported": _k("str", "apk", "effectively exported component as kind:name"),
    "component.action": _k("str", "apk", "intent action per component kind: receiver:ACTION"),
    "intent_action": _k("str", "apk", "intent-filter action of any component"),
    "meta_data": _k("str", "apk", "meta-data name"),
    "meta_data.value": _k("str", "apk", "meta-data as name=value"),
    "entry": _k("str", "apk", "ZIP entry name (bounded)"),
    "native_lib": _k("str", "apk", "native library file name (libfoo.so)"),
    "config": _k("str", "apk", "embedded builder config value as name=value (start_url=...)"),
    "debuggable": _k("bool", "apk", "android:debuggable"),
    "min_sdk": _k("int", "apk", "minSdkVersion"),
    "target_sdk": _k("int", "apk", "targetSdkVersion"),
    "dex.classes": _k("int", "apk dex", "classes defined in all DEX files"),
    "dex.count": _k("int", "apk dex", "number of DEX files"),
    "cert.self_signed": _k("bool", "apk", "the first signer certificate is self-signed"),
    "cert.age_days": _k("int", "apk", "days from the certificate's notBefore to scan time"),
    "cert.validity_days": _k("int", "apk", "days from notBefore to notAfter"),
    "cert.known_key": _k("str", "apk", "known key name (aosp_testkey, android_debug, ...)"),
    "cert.subject": _k("str", "apk", "subject DN of a signer certificate"),
    "signing.verified": _k("bool", "apk", "every signature present verifies"),
    "signing.scheme": _k("str", "apk", "signature scheme present: v1, v2, v3, v31"),
    "builder": _k("str", "apk ipa", "recognised app builder id (knowledge/data/builders.yaml)"),
    "builder.webview": _k("bool", "apk", "a recognised builder runs the app as web pages"),
    "builder_app_id": _k("str", "apk", "builder account app id as builder:id"),
    "packer": _k("str", "apk", "recognised packer id (knowledge/data/packers.yaml)"),
    "sdk": _k("str", "apk ipa", "recognised SDK id (knowledge/data/sdks.yaml)"),
    "sdk_category": _k("str", "apk ipa", "category of a recognised SDK"),
    "sdk_app_key": _k("str", "apk", "SDK app key as sdk:key"),
    # iOS
    "ios.distribution": _k("str", "ipa", "enterprise, ad_hoc, development, app_store, unknown"),
    "ios.device_count": _k("int", "ipa", "devices listed in the provisioning profile"),
    "ios.all_devices": _k("bool", "ipa", "ProvisionsAllDevices (enterprise)"),
    "ios.team_id": _k("str", "ipa", "team identifier of the provisioning profile"),
    "ios.bundle_id": _k("str", "ipa itms", "bundle identifier"),
    "ios.framework": _k("str", "ipa", "embedded framework name"),
    "ios.url_scheme": _k("str", "ipa", "URL scheme the app registers"),
    "ios.usage": _k("str", "ipa", "NS*UsageDescription key (privacy permission asked for)"),
    "ios.ats_arbitrary_loads": _k("bool", "ipa", "App Transport Security allows plain HTTP"),
    "profile.payload_type": _k("str", "mobileconfig", "PayloadType of a profile payload"),
    "profile.dangerous": _k("str", "mobileconfig", "dangerous payload type (root CA, VPN, MDM...)"),
    "profile.web_clip": _k("str", "mobileconfig", "web clip URL"),
    "profile.udid_service": _k("str", "mobileconfig",
                               "URL a 'Profile Service' profile posts the phone's UDID to"),
    "profile.signed": _k("bool", "mobileconfig", "the profile is CMS-signed"),
    "profile.removal_disallowed": _k("bool", "mobileconfig", "the profile cannot be removed"),
    "itms.ipa_url": _k("str", "itms", "IPA download URL of an itms-services manifest"),
    # links, pages, QR codes
    "url.shortener": _k("str", "url page qr", "shortening service name"),
    "url.platform": _k("str", "url page qr", "known distribution / hosting platform id"),
    "url.platform_kind": _k("str", "url page qr", "distribution, super_signature, free_hosting..."),
    "url.ip_host": _k("bool", "url page qr", "a link's host is an IP literal"),
    "url.punycode": _k("bool", "url page qr", "a link's host is an internationalised name"),
    "url.mixed_scripts": _k("bool", "url", "the host mixes scripts (confusables)"),
    "url.userinfo": _k("bool", "url", "user:pass@ in the URL"),
    "url.brand_token": _k("str", "url qr", "brand name/id seen in host or path"),
    "url.suffix": _k("str", "url qr", "public suffix of the link's host (vip, com.cn)"),
    "url.risky_suffix": _k("bool", "url qr", "the host sits on a high-abuse suffix"),
    "url.link_kind": _k("str", "url", "what the URL points to: apk, ipa, itms_services, ..."),
    "page.download": _k("str", "page", "kind of a download offered: apk, ipa, mobileconfig..."),
    "page.redirect": _k("str", "page", "meta-refresh / JavaScript redirect target"),
    "page.ua_branching": _k("str", "page", "hint that the page branches on the user agent"),
    "page.wechat_block": _k("bool", "page", "'open in browser' overlay for in-app browsers"),
    "page.hidden_link": _k("str", "page",
                           "how a script hid a link (base64, percent, char codes, reversed)"),
    "page.brand": _k("str", "page", "brand id whose name appears on the page"),
    "qr.payload_kind": _k("str", "qr page", "url, itms_services, payment, chat, wifi, text..."),
}

# Kinds formed as prefix + an open suffix: indicator.<indicator kind> (url, domain, ip,
# email, phone, package, cert_sha256, ...), never the common ones.
KIND_FAMILIES: dict[str, KindSpec] = {
    "indicator.": _k("str", "all", "non-common indicator of that kind (indicator.url, ...)"),
}
FAMILY_SUFFIX = re.compile(r"^[a-z0-9_]+$")


def kind_spec(kind: str) -> KindSpec | None:
    """The spec of ``kind``, or None when rules may not name it."""
    spec = FEATURE_KINDS.get(kind)
    if spec is not None:
        return spec
    for prefix, fam in KIND_FAMILIES.items():
        if kind.startswith(prefix) and FAMILY_SUFFIX.match(kind[len(prefix) :]):
            return fam
    return None


def markdown_table() -> str:
    """The feature-kind table of docs/rules.md."""
    lines = ["| kind | value | produced for | meaning |", "|---|---|---|---|"]
    items = [*FEATURE_KINDS.items(), *((p + "*", s) for p, s in KIND_FAMILIES.items())]
    for kind, spec in items:
        lines.append(f"| `{kind}` | {spec.type} | {spec.scopes} | {spec.description} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(markdown_table())
