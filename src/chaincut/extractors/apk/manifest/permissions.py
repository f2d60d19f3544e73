"""Requested (<uses-permission*>) and declared (<permission>) permissions."""

from __future__ import annotations

from chaincut.extractors.apk.axml import XmlElement
from chaincut.extractors.apk.axml import attrs as A
from chaincut.extractors.apk.manifest.values import Ctx

# uses-permission-sdk-m is PackageParser's older spelling of uses-permission-sdk-23.
USES_TAGS = ("uses-permission", "uses-permission-sdk-23", "uses-permission-sdk-m")
BASES = {0: "normal", 1: "dangerous", 2: "signature", 3: "signatureOrSystem", 4: "internal"}
# Flag names as framework-res (API 29) defines android:protectionLevel.
FLAGS = (
    (0x10, "privileged"), (0x20, "development"), (0x40, "appop"), (0x80, "pre23"),
    (0x100, "installer"), (0x200, "verifier"), (0x400, "preinstalled"), (0x800, "setup"),
    (0x1000, "instant"), (0x2000, "runtime"), (0x4000, "oem"), (0x8000, "vendorPrivileged"),
    (0x10000, "textClassifier"), (0x20000, "wellbeing"), (0x40000, "documenter"),
    (0x80000, "configurator"), (0x100000, "incidentReportApprover"), (0x200000, "appPredictor"),
)  # fmt: skip
KNOWN_FLAG_BITS = 0xF | sum(bit for bit, _ in FLAGS)


def requested(root: XmlElement, ctx: Ctx) -> list[str]:
    """Permission names in order, deduplicated; only literal names count on Android."""
    seen: dict[str, None] = {}
    for el in root.children:
        if el.name in USES_TAGS and (name := ctx.literal(el, A.NAME)):
            seen.setdefault(name, None)
    return list(seen)


def declared(root: XmlElement, ctx: Ctx) -> list[dict[str, str]]:
    out = []
    for el in root.iter("permission"):
        name = ctx.text(el, A.NAME)
        if name:
            level = ctx.integer(el, A.PROTECTION_LEVEL)
            out.append({"name": name, "protection_level": protection_text(level or 0)})
    return out


def protection_text(level: int) -> str:
    """``signature|privileged``, as PermissionInfo.protectionToString writes it."""
    level &= 0xFFFFFFFF
    parts = [BASES.get(level & 0xF, f"0x{level & 0xF:x}")]
    parts += [name for bit, name in FLAGS if level & bit]
    unknown = level & ~KNOWN_FLAG_BITS
    if unknown:
        parts.append(f"0x{unknown:x}")
    return "|".join(parts)
