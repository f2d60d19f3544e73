"""Learn a brand entry from a genuine package, and write brand registry files atomically.

``chaincut brands add GENUINE.apk --id ID`` records what makes the genuine app genuine
(package or bundle id, the signer's certificate or team, its labels, its icon) so that
an official package signed by anyone else, or a copy of the icon, is recognised later.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from chaincut.facts.models import FactsDocument
from chaincut.knowledge.brands import BRAND_ID, CATEGORIES, Brand, BrandError, _load_file

ICON_DIR = "icons"
ICON_SUFFIX = {b"\x89PNG": ".png", b"RIFF": ".webp", b"\xff\xd8\xff": ".jpg", b"GIF8": ".gif"}


class LearnError(ValueError):
    """The package cannot teach a brand entry; the message says why in one line."""


def _suffix(data: bytes) -> str:
    for magic, suffix in ICON_SUFFIX.items():
        if data.startswith(magic):
            return suffix
    return ".img"


def _apk_entry(
    doc: FactsDocument, blobs: Mapping[str, bytes]
) -> tuple[dict[str, Any], bytes | None]:
    apk = doc.apk
    if apk is None or not apk.package:
        raise LearnError(f"{doc.path}: no package name could be read from this APK")
    certs = [s.certificates[0] for s in apk.signing.signers if s.certificates]
    certs = certs or [c.sha256 for c in apk.signing.certificates[:1]]
    if not certs:
        raise LearnError(f"{doc.path}: the APK is not signed; a genuine app always is")
    labels = [apk.label, *apk.labels.values()]
    icon = apk.icon.best_sha256 if apk.icon else None
    fields = {"packages": [apk.package], "certs": list(dict.fromkeys(certs)), "names": labels}
    return fields, blobs.get(icon) if icon else None


def _ipa_entry(
    doc: FactsDocument, blobs: Mapping[str, bytes]
) -> tuple[dict[str, Any], bytes | None]:
    ipa = doc.ipa
    if ipa is None or not ipa.bundle_id:
        raise LearnError(f"{doc.path}: no bundle id could be read from this IPA")
    team = ipa.provision.team_id if ipa.provision else None
    labels = [ipa.display_name, ipa.name, *ipa.localized_names.values()]
    fields: dict[str, Any] = {"bundle_ids": [ipa.bundle_id], "names": labels}
    if team:
        fields["team_ids"] = [team]
    return fields, blobs.get(ipa.icon) if ipa.icon else None


def learned_fields(
    doc: FactsDocument, blobs: Mapping[str, bytes]
) -> tuple[dict[str, Any], bytes | None]:
    """(registry fields, icon bytes) learned from an extracted genuine APK or IPA."""
    if doc.kind == "apk":
        return _apk_entry(doc, blobs)
    if doc.kind == "ipa":
        return _ipa_entry(doc, blobs)
    reason = f" ({doc.errors[0]})" if doc.errors else ""
    raise LearnError(f"{doc.path}: not an Android or iOS app package (read as {doc.kind}){reason}")


def read_entries(path: Path) -> list[dict[str, Any]]:
    """The raw entries of an existing registry file ([] when it does not exist yet);
    BrandError when it exists but is not a valid registry (it is then left untouched)."""
    if not path.exists():
        return []
    _load_file(path)  # validates, with one clear line on error
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [dict(e) for e in raw["brands"]]


def _union(*lists: Any) -> list[str]:
    out: list[str] = []
    for values in lists:
        for v in values or []:
            if isinstance(v, str) and v.strip() and v.strip() not in out:
                out.append(v.strip())
    return out


def merge_entry(
    base: Mapping[str, Any] | None,
    learned: Mapping[str, Any],
    *,
    brand_id: str,
    category: str | None,
    name: str | None,
) -> dict[str, Any]:
    """The entry to write: what the file (or the default registry) had, plus what was
    learned; ``name`` becomes the display name, ``category`` replaces the old one."""
    if not BRAND_ID.match(brand_id):
        raise LearnError(f"brand id {brand_id!r} must match [a-z0-9_-]+")
    if category is not None and category not in CATEGORIES:
        raise LearnError(f"category {category!r} is not one of {', '.join(CATEGORIES)}")
    base = dict(base or {})
    entry: dict[str, Any] = {"id": brand_id}
    entry["names"] = _union([name] if name else [], base.get("names"), learned.get("names"))
    if not entry["names"]:
        entry["names"] = [brand_id]
    entry["category"] = category or base.get("category") or "other"
    for key in ("packages", "certs", "bundle_ids", "team_ids", "domains", "icons", "tokens"):
        values = _union(base.get(key), learned.get(key))
        if values:
            entry[key] = values
    Brand.model_validate(entry)  # what we write must load
    return entry


def write_icon(registry: Path, brand_id: str, data: bytes) -> str:
    """Write the icon next to the registry; the path to record, relative to the YAML."""
    rel = f"{ICON_DIR}/{brand_id}{_suffix(data)}"
    atomic_write(registry.parent / rel, data)
    return rel


def write_registry(path: Path, entries: list[dict[str, Any]]) -> None:
    """Dump a registry file atomically (a crash never leaves half a file)."""
    header = (
        "# chaincut brand registry (interfaces.md section 1), written by `chaincut brands add`\n"
    )
    body = yaml.safe_dump({"brands": entries}, allow_unicode=True, sort_keys=False, width=100)
    atomic_write(path, (header + body).encode("utf-8"))


def atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


__all__ = ["BrandError", "LearnError", "learned_fields", "merge_entry", "read_entries"]
