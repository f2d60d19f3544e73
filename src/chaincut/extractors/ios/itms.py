"""itms-services manifests: the plist an iPhone fetches to install an IPA from a web page.

``itms-services://?action=download-manifest&url=...`` on a fraud page points here; the
software-package URL is where the IPA really lives, often on another host than the page.
"""

from __future__ import annotations

from chaincut.extractors.findings import Findings
from chaincut.extractors.ios.values import items, mapping, number_text, text
from chaincut.extractors.plist import read_plist
from chaincut.facts.ios import ItmsAsset, ItmsManifestFacts

MAX_ASSETS = 50


def read_itms_manifest(buf: bytes, findings: Findings) -> ItmsManifestFacts:
    """Facts of the first item (iOS installs only that one); never raises."""
    root = read_plist(buf, findings, entry="manifest").dict()
    entries = items(root.get("items"))
    if not entries:
        findings.anomaly("itms_no_items", "")
        return ItmsManifestFacts()
    item = mapping(entries[0])
    meta = mapping(item.get("metadata"))
    assets: list[ItmsAsset] = []
    for index, raw in enumerate(items(item.get("assets"))[:MAX_ASSETS]):
        asset = mapping(raw)
        kind, url = text(asset.get("kind"), 100), text(asset.get("url"))
        if kind is None or url is None:
            findings.anomaly("itms_bad_asset", f"assets[{index}]")
            continue
        assets.append(ItmsAsset(kind=kind, url=url))
    return ItmsManifestFacts(
        bundle_id=text(meta.get("bundle-identifier"), 300),
        bundle_version=number_text(meta.get("bundle-version")),
        title=text(meta.get("title"), 300),
        subtitle=text(meta.get("subtitle"), 300),
        kind=text(meta.get("kind"), 100),
        ipa_urls=[a.url for a in assets if a.kind == "software-package"],
        assets=assets,
    )
