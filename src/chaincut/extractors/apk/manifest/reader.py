"""Read an APK's manifest facts from its decoded binary XML tree."""

from __future__ import annotations

from chaincut.extractors.apk.axml import XmlAttribute, XmlElement
from chaincut.extractors.apk.axml import attrs as A
from chaincut.extractors.apk.manifest import components as C
from chaincut.extractors.apk.manifest.facts import ManifestFacts
from chaincut.extractors.apk.resolver import ResourceResolver
from chaincut.extractors.findings import Findings
from chaincut.facts.models import Component, MetaData

PERMISSION_TAGS = ("uses-permission", "uses-permission-sdk-23", "uses-permission-sdk-m")


def _int(el: XmlElement | None, res_id: int) -> int | None:
    if el is None:
        return None
    a = el.attr(res_id, A.NAMES.get(res_id))
    return a.as_int() if a is not None else None


def _bool(el: XmlElement | None, res_id: int) -> bool | None:
    if el is None:
        return None
    a = el.attr(res_id, A.NAMES.get(res_id))
    return a.as_bool() if a is not None else None


def _ref(el: XmlElement | None, res_id: int) -> int | None:
    if el is None:
        return None
    a = el.attr(res_id, A.NAMES.get(res_id))
    return a.data if a is not None and a.is_reference() else None


def read_manifest(
    root: XmlElement | None, findings: Findings, resolver: ResourceResolver | None = None
) -> ManifestFacts:
    """Manifest facts; missing parts stay None (the XML reader already said why)."""
    if root is None:
        return ManifestFacts()
    if root.name != "manifest":
        findings.anomaly("axml_bad_root_chunk", f"root element is <{root.name}>")
    pkg_attr = next(
        (a for a in root.attributes if a.name == "package" and a.namespace_uri is None), None
    )
    package = pkg_attr.as_str() if pkg_attr else None
    sdk = next(iter(root.iter("uses-sdk")), None)
    app = next(iter(root.iter("application")), None)
    target_sdk = _int(sdk, A.TARGET_SDK)
    comps = _components(app, package, target_sdk)
    meta = _meta(app, package, resolver)
    label = _label_attr(app, comps)
    return ManifestFacts(
        package=package,
        version_code=_int(root, A.VERSION_CODE),
        version_name=C.attr_text(root, A.VERSION_NAME, resolver),
        min_sdk=_int(sdk, A.MIN_SDK),
        target_sdk=target_sdk,
        max_sdk=_int(sdk, A.MAX_SDK),
        compile_sdk=_int(root, A.COMPILE_SDK),
        application=C.qualify(package, C.attr_text(app, A.NAME, None)) if app else None,
        debuggable=bool(_bool(app, A.DEBUGGABLE)),
        allow_backup=_bool(app, A.ALLOW_BACKUP),
        uses_cleartext_traffic=_bool(app, A.USES_CLEARTEXT),
        network_security_config=_nsc(app, resolver),
        permissions=_permissions(root),
        declared_permissions=_declared(root),
        main_activity=_launcher(comps),
        components=comps,
        meta_data=_meta_dict(meta),
        meta_data_entries=meta,
        label_ref=label.data if label is not None and label.is_reference() else None,
        label_literal=label.as_str() if label is not None and not label.is_reference() else None,
        icon_ref=_ref(app, A.ICON),
        round_icon_ref=_ref(app, A.ROUND_ICON),
        target_sandbox=_int(root, A.TARGET_SANDBOX),
    )


def _label_attr(app: XmlElement | None, comps: list[Component]) -> XmlAttribute | None:
    """The application's label or, lacking one, the launcher activity's (what the launcher
    shows under the icon, and what the victim sees)."""
    if app is None:
        return None
    label = app.attr(A.LABEL, "label")
    if label is not None:
        return label
    elements = [el for el in app.children if el.name in C.COMPONENT_TAGS]
    for comp, el in zip(comps, elements, strict=False):
        if comp.kind in ("activity", "activity-alias") and C.is_launcher(comp):
            return el.attr(A.LABEL, "label")
    return None


def _components(app: XmlElement | None, package: str | None, target: int | None) -> list[Component]:
    if app is None:
        return []
    return [C.component(el, package, target) for el in app.children if el.name in C.COMPONENT_TAGS]


def _meta(
    app: XmlElement | None, package: str | None, resolver: ResourceResolver | None
) -> list[MetaData]:
    if app is None:
        return []
    out = [C.meta_data(m, None, resolver) for m in app.iter("meta-data")]
    for el in app.children:
        if el.name in C.COMPONENT_TAGS:
            owner = C.qualify(package, C.attr_text(el, A.NAME, None))
            out.extend(C.meta_data(m, owner, resolver) for m in el.iter("meta-data"))
    return out


def _meta_dict(meta: list[MetaData]) -> dict[str, str]:
    """Name -> value, first declaration wins (application level comes first)."""
    out: dict[str, str] = {}
    for m in meta:
        if m.name:
            out.setdefault(m.name, m.value or "")
    return out


def _permissions(root: XmlElement) -> list[str]:
    seen: dict[str, None] = {}
    for el in root.children:
        if el.name in PERMISSION_TAGS and (name := C.attr_text(el, A.NAME, None)):
            seen.setdefault(name, None)
    return list(seen)


def _declared(root: XmlElement) -> list[dict[str, str]]:
    out = []
    for el in root.iter("permission"):
        name = C.attr_text(el, A.NAME, None)
        if name:
            level = el.attr(A.PROTECTION_LEVEL, "protectionLevel")
            out.append({"name": name, "protection_level": _level(level.data if level else 0)})
    return out


LEVELS = {0: "normal", 1: "dangerous", 2: "signature", 3: "signatureOrSystem"}


def _level(data: int) -> str:
    base = LEVELS.get(data & 0xF, str(data & 0xF))
    return base if not data >> 4 else f"{base}|0x{data & ~0xF:x}"


def _launcher(comps: list[Component]) -> str | None:
    for comp in comps:
        if comp.kind in ("activity", "activity-alias") and C.is_launcher(comp):
            return comp.name
    return None


def _nsc(app: XmlElement | None, resolver: ResourceResolver | None) -> str | None:
    ref = _ref(app, A.NETWORK_SECURITY_CONFIG)
    if ref is None:
        return None
    name = resolver.name_of(ref) if resolver is not None else None
    return f"@{name}" if name else f"@0x{ref:08x}"
