"""The launcher icon of a split app, looked up in its density splits.

bundletool moves density-qualified resources (``mipmap-xxhdpi/ic_launcher.png``) out of the
base into ``config.<density>`` splits, with the same resource ids: the base manifest names
the icon, a density split's resource table and files hold it. The base's own bitmap wins
when it has one; otherwise the densest split that resolves the id does.
"""

from __future__ import annotations

from chaincut.extractors.apk.arsc import ResourceTable
from chaincut.extractors.apk.bundle.splits import Part
from chaincut.extractors.apk.extract import MAX_ARSC, RESOURCES
from chaincut.extractors.apk.icon import resolve_icon
from chaincut.extractors.findings import Findings
from chaincut.extractors.zip import ZipEntryError
from chaincut.facts.models import IconFacts

DENSITY_ORDER = ("xxxhdpi", "xxhdpi", "xhdpi", "hdpi", "tvdpi", "mdpi", "ldpi", "nodpi")


def _rank(part: Part) -> int:
    config = (part.attrs.name or "").rsplit(".", 1)[-1]
    return DENSITY_ORDER.index(config) if config in DENSITY_ORDER else len(DENSITY_ORDER)


def split_icon(base: Part, others: list[Part]) -> tuple[IconFacts | None, dict[str, bytes]]:
    """(icon facts, blobs) from a density split when the base has no bitmap of its own."""
    own = base.result.facts.icon
    if (own is not None and own.best is not None) or base.attrs.icon_ref is None:
        return own, dict(base.result.blobs)
    for part in sorted((p for p in others if p.archive is not None), key=_rank):
        archive = part.archive
        if archive is None or archive.get(RESOURCES) is None:
            continue
        scratch = Findings()  # the split's own extraction already reported its oddities
        try:
            table = ResourceTable.parse(archive.read(RESOURCES, max_size=MAX_ARSC), scratch)
        except ZipEntryError:
            continue
        found = resolve_icon(base.attrs.icon_ref, table, archive, scratch)
        if found is None or found.facts.best is None:
            continue
        files = [
            f.model_copy(update={"entry": f"{part.entry}!/{f.entry}"}) for f in found.facts.files
        ]
        facts = found.facts.model_copy(
            update={"best": f"{part.entry}!/{found.facts.best}", "files": files}
        )
        return facts, dict(found.blobs)
    return own, dict(base.result.blobs)
