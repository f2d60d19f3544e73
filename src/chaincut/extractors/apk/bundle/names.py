"""What a split serves, read from its name the way bundletool names splits.

``config.arm64_v8a`` (ABI), ``config.xxhdpi`` (density), ``config.zh`` (language),
``feature_chat`` (a feature module) and ``feature_chat.config.xxhdpi`` (a feature's config).
When the manifest carries no ``split`` name, the file name stands in (``split_config.x.apk``
in APKM, ``base-arm64_v8a.apk`` in APKS, ``config.x.apk`` in XAPK).
"""

from __future__ import annotations

import re

ABIS = frozenset(
    {"armeabi", "armeabi_v7a", "arm64_v8a", "x86", "x86_64", "mips", "mips64", "riscv64"}
)
DENSITIES = frozenset(
    {"ldpi", "mdpi", "tvdpi", "hdpi", "xhdpi", "xxhdpi", "xxxhdpi", "nodpi", "anydpi"}
)
LANGUAGE = re.compile(r"^(?:[a-z]{2,3}(?:_[A-Za-z0-9]{2,8})*|b\+[A-Za-z0-9+]+)$")
CONFIG = ".config."


def classify(name: str | None) -> tuple[str, str | None, str | None]:
    """(kind, config, feature) of a split name; the base has no name."""
    if not name:
        return "base", None, None
    feature: str | None = None
    config = None
    if name.startswith("config."):
        config = name[len("config.") :]
    elif CONFIG in name:
        feature, config = name.split(CONFIG, 1)
    else:
        return "feature", None, name
    low = config.lower().replace("-", "_")
    if low in ABIS:
        return "abi", low, feature
    if low in DENSITIES or re.fullmatch(r"\d+dpi", low):
        return "density", low, feature
    if LANGUAGE.match(config):
        return "language", config, feature
    return "other", config, feature


def name_from_file(entry: str) -> str | None:
    """The split name a file name implies ("" for a base APK), or None if it says nothing."""
    stem = entry.rsplit("/", 1)[-1]
    if stem.lower().endswith(".apk"):
        stem = stem[:-4]
    if stem in ("base", "base-master", "universal", "standalone") or stem.startswith(
        ("standalone-", "standalone_")
    ):
        return ""
    if stem.startswith("split_"):
        stem = stem[len("split_") :]
    if "-" in stem and entry.startswith("splits/"):  # bundletool: <module>-<config>.apk
        module, config = stem.split("-", 1)
        if config == "master":
            return "" if module == "base" else module
        return f"config.{config}" if module == "base" else f"{module}.config.{config}"
    return stem or None
