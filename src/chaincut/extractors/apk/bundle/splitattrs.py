"""The split-related attributes of a manifest root, as PackageParser reads them."""

from __future__ import annotations

from dataclasses import dataclass, field

from chaincut.extractors.apk.axml import XmlElement

IS_FEATURE_SPLIT = 0x0101055B
IS_SPLIT_REQUIRED = 0x01010591
REQUIRED_SPLIT_TYPES = 0x0101064E
SPLIT_TYPES = 0x0101064F
ICON = 0x01010002


@dataclass(slots=True)
class SplitAttrs:
    name: str | None = None  # <manifest split="...">
    config_for_split: str | None = None
    is_feature_split: bool = False
    split_required: bool | None = None
    required_split_types: list[str] = field(default_factory=list)
    split_types: list[str] = field(default_factory=list)
    icon_ref: int | None = None  # <application android:icon>, resolved across splits


def _types(root: XmlElement, res_id: int) -> list[str]:
    attr = root.attr(res_id, None)
    text = attr.as_str() if attr is not None else None
    return [t.strip() for t in (text or "").split(",") if t.strip()]


def read_split_attrs(root: XmlElement | None) -> SplitAttrs:
    """``split``/``configForSplit`` are plain attributes; the rest are android: ones.

    isSplitRequired sits on <application> since API 29 (and on <manifest> in the Q preview),
    so both places are read.
    """
    out = SplitAttrs()
    if root is None:
        return out
    split = root.attr_named("split")
    out.name = (split.as_str() or None) if split is not None else None
    config_for = root.attr_named("configForSplit")
    out.config_for_split = (config_for.as_str() or None) if config_for is not None else None
    feature = root.attr(IS_FEATURE_SPLIT, "isFeatureSplit")
    out.is_feature_split = bool(feature is not None and feature.as_bool())
    app = root.find("application")
    for el in (root, app):
        required = el.attr(IS_SPLIT_REQUIRED, "isSplitRequired") if el is not None else None
        if required is not None and required.as_bool() is not None:
            out.split_required = required.as_bool()
    icon = app.attr(ICON, "icon") if app is not None else None
    out.icon_ref = icon.data if icon is not None and icon.is_reference() else None
    out.required_split_types = _types(root, REQUIRED_SPLIT_TYPES)
    out.split_types = _types(root, SPLIT_TYPES)
    return out
