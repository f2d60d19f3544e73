"""<meta-data>: SDK keys, C2 endpoints and channel ids often hide here.

PackageParser.parseMetaData puts ``android:resource`` (when set) in the Bundle as the
resource id and ignores ``android:value``; otherwise the typed value goes in. We keep
both the reference (``@0x7f...``) and its resolved text, since the text is the finding.
"""

from __future__ import annotations

from chaincut.extractors.apk.axml import XmlElement
from chaincut.extractors.apk.axml import attrs as A
from chaincut.extractors.apk.manifest.values import Ctx
from chaincut.facts.models import MetaData


def read_meta(
    app: XmlElement | None, components: list[tuple[str, XmlElement]], ctx: Ctx
) -> list[MetaData]:
    """Application-level entries first, then each component's, in document order."""
    if app is None:
        return []
    out = [m for el in app.iter("meta-data") if (m := _entry(el, None, ctx))]
    for owner, comp in components:
        out.extend(m for el in comp.iter("meta-data") if (m := _entry(el, owner or None, ctx)))
    return out


def _entry(el: XmlElement, owner: str | None, ctx: Ctx) -> MetaData | None:
    name = ctx.text(el, A.NAME)
    if not name:
        ctx.note("manifest_component_without_name", "<meta-data> without android:name", el.offset)
        return None
    resource = ctx.attr(el, A.RESOURCE)
    if resource is not None and resource.is_reference():
        resolved = ctx.resolver.resolve_string(resource.data) if ctx.resolver else None
        return MetaData(
            name=name, value=resolved, resource=f"@0x{resource.data:08x}", component=owner
        )
    return MetaData(name=name, value=ctx.text(el, A.VALUE), component=owner)


def meta_dict(entries: list[MetaData]) -> dict[str, str]:
    """name -> value. At application level a repeated name overwrites (Bundle.put);
    component entries only fill names the application does not set."""
    app: dict[str, str] = {}
    rest: dict[str, str] = {}
    for m in entries:
        text = m.value if m.value is not None else (m.resource or "")
        if m.component is None:
            app[m.name] = text
        else:
            rest.setdefault(m.name, text)
    return {**rest, **app}
