"""Components and intent filters, read the way PackageParser reads them.

Defaults matter more than values here: an activity without android:exported is
exported when it has an intent filter (before API 31 that was silent), a provider
is exported by default when the app targets API < 17, and a component without its
own permission inherits the application's.
"""

from __future__ import annotations

from typing import Literal, cast

from chaincut.extractors.apk.axml import XmlElement
from chaincut.extractors.apk.axml import attrs as A
from chaincut.extractors.apk.manifest.values import Ctx
from chaincut.facts.models import Component, IntentFilter

COMPONENT_TAGS = ("activity", "activity-alias", "service", "receiver", "provider")
ComponentKind = Literal["activity", "activity-alias", "service", "receiver", "provider"]
MAIN = "android.intent.action.MAIN"
LAUNCHER = "android.intent.category.LAUNCHER"
PROVIDER_EXPORT_DEFAULT_BELOW = 17  # JELLY_BEAN_MR1
EXPORTED_REQUIRED_FROM = 31  # S: filters without android:exported fail to install
PATH_ATTRS = (A.PATH, A.PATH_PREFIX, A.PATH_PATTERN, A.PATH_SUFFIX, A.PATH_ADVANCED_PATTERN)


def read_components(
    app: XmlElement, ctx: Ctx, target_sdk: int, app_permission: str | None
) -> list[tuple[Component, XmlElement]]:
    """Every component directly under <application>, with the element it came from."""
    app_enabled = ctx.boolean(app, A.ENABLED) is not False
    out: list[tuple[Component, XmlElement]] = []
    activities: set[str] = set()
    for el in app.children:
        if el.name not in COMPONENT_TAGS:
            continue
        comp = _component(el, ctx, target_sdk, app_permission, app_enabled)
        if el.name == "activity":
            activities.add(comp.name)
        elif el.name == "activity-alias" and comp.target_activity not in activities:
            ctx.note("manifest_alias_target_missing", f"{comp.name} -> {comp.target_activity}",
                     el.offset)  # fmt: skip
        out.append((comp, el))
    return out


def _component(
    el: XmlElement, ctx: Ctx, target_sdk: int, app_permission: str | None, app_enabled: bool
) -> Component:
    name = ctx.qualify(ctx.text(el, A.NAME))
    if not name:
        ctx.note("manifest_component_without_name", f"<{el.name}>", el.offset)
    filters = [intent_filter(f, ctx) for f in el.iter("intent-filter")]
    exported = ctx.boolean(el, A.EXPORTED)
    if exported is None and filters and el.name != "provider" and target_sdk >= 31:
        ctx.note("manifest_missing_exported", f"<{el.name}> {name}", el.offset)
    return Component(
        kind=cast(ComponentKind, el.name),
        name=name or "",
        exported=exported,
        effectively_exported=_effective(el.name, exported, bool(filters), target_sdk),
        enabled=app_enabled and ctx.boolean(el, A.ENABLED) is not False,
        permission=_permission(el, ctx) or app_permission,
        target_activity=ctx.qualify(ctx.text(el, A.TARGET_ACTIVITY)),
        authorities=ctx.text(el, A.AUTHORITIES),
        intent_filters=filters,
    )


def _effective(kind: str, exported: bool | None, has_filters: bool, target_sdk: int) -> bool:
    if exported is not None:
        return exported
    if kind == "provider":
        return target_sdk < PROVIDER_EXPORT_DEFAULT_BELOW
    return has_filters


def _permission(el: XmlElement, ctx: Ctx) -> str | None:
    own = ctx.text(el, A.PERMISSION)
    if own is None and el.name == "provider":
        return ctx.text(el, A.READ_PERMISSION) or ctx.text(el, A.WRITE_PERMISSION)
    return own


def intent_filter(el: XmlElement, ctx: Ctx) -> IntentFilter:
    data = el.iter("data")

    def names(tag: str) -> list[str]:
        return [v for c in el.iter(tag) if (v := ctx.text(c, A.NAME))]

    def values(*res_ids: int) -> list[str]:
        return [v for d in data for r in res_ids if (v := ctx.text(d, r))]

    return IntentFilter(
        actions=names("action"),
        categories=names("category"),
        schemes=values(A.SCHEME),
        hosts=values(A.HOST),
        paths=values(*PATH_ATTRS),
        mime_types=values(A.MIME_TYPE),
        auto_verify=ctx.boolean(el, A.AUTO_VERIFY) is True,
    )


def is_launcher(comp: Component) -> bool:
    """MAIN and LAUNCHER in one filter: what the launcher's intent query matches."""
    return any(MAIN in f.actions and LAUNCHER in f.categories for f in comp.intent_filters)


def main_activity(components: list[Component]) -> str | None:
    """The first enabled launcher activity or alias in manifest order (the one
    getLaunchIntentForPackage returns when priorities are equal)."""
    for comp in components:
        if comp.kind in ("activity", "activity-alias") and comp.enabled and is_launcher(comp):
            return comp.name
    return None
