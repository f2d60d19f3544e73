"""Components, intent filters and meta-data, read the way PackageParser reads them."""

from __future__ import annotations

from typing import Literal, cast

from chaincut.extractors.apk.axml import XmlAttribute, XmlElement
from chaincut.extractors.apk.axml import attrs as A
from chaincut.extractors.apk.resolver import ResourceResolver
from chaincut.facts.models import Component, IntentFilter, MetaData

COMPONENT_TAGS = ("activity", "activity-alias", "service", "receiver", "provider")
ComponentKind = Literal["activity", "activity-alias", "service", "receiver", "provider"]
MAIN = "android.intent.action.MAIN"
LAUNCHER = "android.intent.category.LAUNCHER"


def qualify(package: str | None, name: str | None) -> str | None:
    """Class name as Android resolves it: ".Foo" and "Foo" are relative to the package."""
    if not name:
        return name
    if name.startswith("."):
        return f"{package or ''}{name}"
    if "." not in name and package:
        return f"{package}.{name}"
    return name


def attr_text(el: XmlElement, res_id: int, resolver: ResourceResolver | None) -> str | None:
    a = el.attr(res_id, A.NAMES.get(res_id))
    return value_text(a, resolver) if a is not None else None


def value_text(a: XmlAttribute, resolver: ResourceResolver | None) -> str | None:
    """A value as text; string references resolved through the resource table."""
    if a.is_reference() and resolver is not None:
        resolved = resolver.resolve_string(a.data)
        if resolved is not None:
            return resolved
    return a.as_str()


def intent_filter(el: XmlElement) -> IntentFilter:
    def names(tag: str) -> list[str]:
        return [v for c in el.iter(tag) if (v := attr_text(c, A.NAME, None))]

    data = el.iter("data")

    def values(res_id: int) -> list[str]:
        return [v for d in data if (v := attr_text(d, res_id, None))]

    verify = el.attr(A.AUTO_VERIFY, "autoVerify")
    return IntentFilter(
        actions=names("action"),
        categories=names("category"),
        schemes=values(A.SCHEME),
        hosts=values(A.HOST),
        paths=[*values(A.PATH), *values(A.PATH_PREFIX), *values(A.PATH_PATTERN)],
        mime_types=values(A.MIME_TYPE),
        auto_verify=bool(verify and verify.as_bool()),
    )


def component(el: XmlElement, package: str | None, target_sdk: int | None) -> Component:
    exported_attr = el.attr(A.EXPORTED, "exported")
    exported = exported_attr.as_bool() if exported_attr is not None else None
    enabled_attr = el.attr(A.ENABLED, "enabled")
    filters = [intent_filter(f) for f in el.iter("intent-filter")]
    if exported is not None:
        effective = exported
    elif el.name == "provider":
        effective = (target_sdk or 1) < 17
    else:
        effective = bool(filters)
    return Component(
        kind=cast(ComponentKind, el.name),
        name=qualify(package, attr_text(el, A.NAME, None)) or "",
        exported=exported,
        effectively_exported=effective,
        enabled=not (enabled_attr is not None and enabled_attr.as_bool() is False),
        permission=attr_text(el, A.PERMISSION, None),
        target_activity=qualify(package, attr_text(el, A.TARGET_ACTIVITY, None)),
        authorities=attr_text(el, A.AUTHORITIES, None),
        intent_filters=filters,
    )


def is_launcher(comp: Component) -> bool:
    return any(MAIN in f.actions and LAUNCHER in f.categories for f in comp.intent_filters)


def meta_data(el: XmlElement, owner: str | None, resolver: ResourceResolver | None) -> MetaData:
    value_attr = el.attr(A.VALUE, "value")
    resource_attr = el.attr(A.RESOURCE, "resource")
    resource = f"@0x{resource_attr.data:08x}" if resource_attr is not None else None
    if value_attr is not None:
        value = value_text(value_attr, resolver)
    elif resource_attr is not None:
        value = value_text(resource_attr, resolver)
    else:
        value = None
    return MetaData(
        name=attr_text(el, A.NAME, None) or "",
        value=value,
        resource=resource,
        component=owner,
    )
