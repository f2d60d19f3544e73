"""Read an APK's manifest facts from its decoded binary XML tree.

Each value is read as PackageParser reads it (by resource id, with Android's defaults
and precedence); where an app could not install because of a value, the value is still
reported and the reason is an anomaly: the fraud analyst wants the evidence either way.
"""

from __future__ import annotations

import re

from chaincut.extractors.apk.axml import XmlAttribute, XmlElement
from chaincut.extractors.apk.axml import attrs as A
from chaincut.extractors.apk.axml import values as V
from chaincut.extractors.apk.axml.model import parse_int
from chaincut.extractors.apk.manifest import components as C
from chaincut.extractors.apk.manifest import permissions as P
from chaincut.extractors.apk.manifest.facts import ManifestFacts
from chaincut.extractors.apk.manifest.metadata import meta_dict, read_meta
from chaincut.extractors.apk.manifest.sdk import read_sdk
from chaincut.extractors.apk.manifest.values import Ctx
from chaincut.extractors.apk.resolver import ResourceResolver
from chaincut.extractors.findings import Findings
from chaincut.facts.models import Component

# PackageParser.validateName: dot-separated segments, each [A-Za-z][A-Za-z0-9_]*, two or more.
PACKAGE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z][A-Za-z0-9_]*)+")


def read_manifest(
    root: XmlElement | None, findings: Findings, resolver: ResourceResolver | None = None
) -> ManifestFacts:
    """Manifest facts; what cannot be read stays None (anomalies say why). Never raises."""
    if root is None:
        return ManifestFacts()
    ctx = Ctx(findings, resolver, by_name=not _has_ids(root))
    if root.name != "manifest":
        ctx.note("manifest_bad_root", f"root element is <{root.name}>", root.offset)
    ctx.package = _package(root, ctx)
    min_sdk, target_sdk, max_sdk = read_sdk(root, ctx)
    app = _application(root, ctx)
    effective_target = target_sdk or min_sdk or 1
    app_permission = ctx.text(app, A.PERMISSION)
    pairs = C.read_components(app, ctx, effective_target, app_permission) if app else []
    comps = [c for c, _ in pairs]
    meta = read_meta(app, [(c.name, el) for c, el in pairs], ctx)
    label = _label(app, pairs, ctx)
    return ManifestFacts(
        package=ctx.package,
        version_code=_version_code(root, ctx),
        version_name=ctx.text(root, A.VERSION_NAME),
        min_sdk=min_sdk,
        target_sdk=target_sdk,
        max_sdk=max_sdk,
        compile_sdk=ctx.integer(root, A.COMPILE_SDK),
        application=ctx.qualify(ctx.text(app, A.NAME)),
        debuggable=ctx.boolean(app, A.DEBUGGABLE) is True,
        allow_backup=ctx.boolean(app, A.ALLOW_BACKUP),
        uses_cleartext_traffic=ctx.boolean(app, A.USES_CLEARTEXT),
        network_security_config=_resource_name(ctx.ref(app, A.NETWORK_SECURITY_CONFIG), ctx),
        permissions=P.requested(root, ctx),
        declared_permissions=P.declared(root, ctx),
        main_activity=C.main_activity(comps),
        components=comps,
        meta_data=meta_dict(meta),
        meta_data_entries=meta,
        label_ref=label.data if label is not None and label.is_reference() else None,
        label_literal=label.as_str() if label is not None and not label.is_reference() else None,
        icon_ref=ctx.ref(app, A.ICON),
        round_icon_ref=ctx.ref(app, A.ROUND_ICON),
        target_sandbox=ctx.integer(root, A.TARGET_SANDBOX),
    )


def _has_ids(root: XmlElement) -> bool:
    return any(a.resource_id is not None for el in root.walk() for a in el.attributes)


def _package(root: XmlElement, ctx: Ctx) -> str | None:
    """``package`` is found by name with no namespace (getAttributeValue(null, "package"))."""
    attr = root.attr_named("package")
    if attr is None:
        attr = next((a for a in root.attributes if a.name == "package"), None)
        ctx.note("manifest_no_package", "namespaced package attribute" if attr else "absent")
    name = attr.as_str() if attr is not None else None
    if name is not None and not PACKAGE_NAME.fullmatch(name):
        ctx.note("manifest_bad_package_name", repr(name[:200]))
    return name


def _application(root: XmlElement, ctx: Ctx) -> XmlElement | None:
    """The first <application>; PackageParser skips any later one."""
    apps = root.iter("application")
    if len(apps) > 1:
        ctx.note("manifest_duplicate_element", f"{len(apps)} <application>; the first counts")
    return apps[0] if apps else None


def _version_code(root: XmlElement, ctx: Ctx) -> int | None:
    """getInteger(versionCode), combined with versionCodeMajor into the long version code."""
    low = _code_part(ctx.attr(root, A.VERSION_CODE), ctx)
    major = ctx.integer(root, A.VERSION_CODE_MAJOR)
    if low is None or not major:
        return low
    return (major << 32) | (low & 0xFFFFFFFF)


def _code_part(a: XmlAttribute | None, ctx: Ctx) -> int | None:
    if a is None:
        return None
    if V.is_int_type(a.value_type):
        return V.signed32(a.data)
    text = ctx.resolve(a) if a.is_reference() else a.raw
    number = parse_int(text) if text is not None else None
    if not a.is_reference():
        ctx.note("manifest_version_code_not_int", f"versionCode={a.as_str()!r}")
    return number


def _label(
    app: XmlElement | None, pairs: list[tuple[Component, XmlElement]], ctx: Ctx
) -> XmlAttribute | None:
    """The application's label or, lacking one, the launcher activity's (what the launcher
    shows under the icon, and what the victim sees)."""
    label = ctx.attr(app, A.LABEL)
    if label is not None or app is None:
        return label
    for comp, el in pairs:
        if comp.kind in ("activity", "activity-alias") and C.is_launcher(comp):
            return ctx.attr(el, A.LABEL)
    return None


def _resource_name(ref: int | None, ctx: Ctx) -> str | None:
    if ref is None:
        return None
    name = ctx.resolver.name_of(ref) if ctx.resolver is not None else None
    return f"@{name}" if name else f"@0x{ref:08x}"
