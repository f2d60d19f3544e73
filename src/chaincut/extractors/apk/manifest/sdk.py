"""<uses-sdk>: minimum, target and maximum API levels.

PackageParser reads a TYPE_STRING version as a platform *codename* (a preview SDK),
anything else as a number. We report codenames as the API level they became, so
facts stay numeric and comparable, and say so in an anomaly.
"""

from __future__ import annotations

from chaincut.extractors.apk.axml import XmlElement
from chaincut.extractors.apk.axml import attrs as A
from chaincut.extractors.apk.axml import values as V
from chaincut.extractors.apk.axml.model import parse_int
from chaincut.extractors.apk.manifest.values import Ctx

# Preview codenames and the API level each release got ("Donut" is aapt's own special case).
CODENAMES: dict[str, int] = {
    "Donut": 4, "L": 21, "M": 23, "N": 24, "O": 26, "P": 28, "Q": 29, "R": 30, "S": 31,
    "Sv2": 32, "Tiramisu": 33, "UpsideDownCake": 34, "VanillaIceCream": 35, "Baklava": 36,
}  # fmt: skip


def read_sdk(root: XmlElement, ctx: Ctx) -> tuple[int | None, int | None, int | None]:
    """(min, target, max); the last <uses-sdk> wins as each one overwrites the previous."""
    elements = root.iter("uses-sdk")
    if not elements:
        return None, None, None
    if len(elements) > 1:
        ctx.note("manifest_duplicate_element", f"{len(elements)} <uses-sdk>; the last one counts")
    el = elements[-1]
    return (
        _version(el, A.MIN_SDK, ctx),
        _version(el, A.TARGET_SDK, ctx),
        _version(el, A.MAX_SDK, ctx),
    )


def _version(el: XmlElement, res_id: int, ctx: Ctx) -> int | None:
    a = ctx.attr(el, res_id)
    if a is None:
        return None
    if V.is_int_type(a.value_type):
        return V.signed32(a.data)
    text = ctx.resolve(a) if a.is_reference() else a.raw
    if text is None:
        return None
    return _from_text(a.name, text, ctx)


def _from_text(name: str, text: str, ctx: Ctx) -> int | None:
    level = CODENAMES.get(text.strip())
    if level is not None:
        ctx.note("manifest_sdk_codename", f"{name}={text!r} read as {level}")
        return level
    number = parse_int(text)
    if number is None:
        ctx.note("manifest_bad_sdk_version", f"{name}={text!r}")
        return None
    ctx.note("manifest_sdk_codename", f"{name}={text!r} is a string; Android reads a codename")
    return number
