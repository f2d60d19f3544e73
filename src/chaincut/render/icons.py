"""Which blob is an artifact's icon, so reports and impersonation use the same one."""

from __future__ import annotations

from collections.abc import Mapping

from chaincut.facts.models import FactsDocument


def icon_sha256(doc: FactsDocument) -> str | None:
    """The sha256 of the icon the artifact shows a user (launcher icon, web clip icon)."""
    if doc.apk and doc.apk.icon and doc.apk.icon.best_sha256:
        return doc.apk.icon.best_sha256
    if doc.ipa and doc.ipa.icon:
        return doc.ipa.icon
    if doc.mobileconfig:
        for payload in doc.mobileconfig.payloads:
            if payload.icon:
                return payload.icon
    return None


def icon_bytes(doc: FactsDocument, blobs: Mapping[str, bytes]) -> bytes | None:
    key = icon_sha256(doc)
    return blobs.get(key) if key else None
