"""Write a real, signed APK from an :class:`AppSpec`, in pure Python and in milliseconds.

The APK holds what Android (and chaincut) read: a binary manifest, a resources.arsc with
the label (default and per-locale) and the icon path, a DEX, assets, native libraries and a
v1 (optionally v2) signature. Nothing is faked at the container level: ``aapt dump badging``
reads these files.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from chaincut.extractors.apk.axml import attrs as A
from chaincut.sim import arsc
from chaincut.sim.axml import T_DEC, T_REF, T_STRING, manifest
from chaincut.sim.dexapp import app_dex
from chaincut.sim.jarsign import sign_apk
from chaincut.sim.keys import Signer
from chaincut.sim.zipw import ZipItem

LABEL_ID = 0x7F010000
ICON_ID = 0x7F020000
ICON_PATH = "res/mipmap-xxhdpi-v4/ic_launcher.png"
MAIN = "android.intent.action.MAIN"
LAUNCHER = "android.intent.category.LAUNCHER"


@dataclass(frozen=True)
class AppSpec:
    """Everything that goes into one simulated APK."""

    package: str
    label: str
    signer: Signer
    labels: dict[str, str] = field(default_factory=dict)  # "zh-rCN" → label
    version_code: int = 1
    version_name: str = "1.0"
    min_sdk: int = 21
    target_sdk: int = 30
    application: str | None = None
    main_activity: str = ""
    services: tuple[str, ...] = ()
    receivers: tuple[str, ...] = ()
    permissions: tuple[str, ...] = ()
    meta_data: tuple[tuple[str, str], ...] = ()
    classes: tuple[str, ...] = ()  # extra DEX classes (builder runtime, SDKs, packer stub)
    calls: tuple[tuple[str, str], ...] = ()  # framework (class, method) references
    strings: tuple[str, ...] = ()  # DEX string constants
    assets: tuple[tuple[str, bytes], ...] = ()
    native_libs: tuple[tuple[str, bytes], ...] = ()  # full entry names under lib/
    icon: bytes | None = None
    v2: bool = False


def _node(tag: str, attrs: dict[str, Any], children: list[Any] | None = None) -> Any:
    return (tag, attrs, children or [])


def _named(tag: str, name: str, **extra: tuple[int, int, Any]) -> Any:
    return _node(tag, {"name": (A.NAME, T_STRING, name), **extra})


def _application(spec: AppSpec) -> Any:
    main = _named("activity", spec.main_activity, exported=(A.EXPORTED, 0x12, 0xFFFFFFFF))
    launcher = _node("intent-filter", {}, [_named("action", MAIN), _named("category", LAUNCHER)])
    kids: list[Any] = [(main[0], main[1], [launcher])]
    kids += [_named("service", s) for s in spec.services]
    kids += [_named("receiver", r) for r in spec.receivers]
    kids += [
        _named("meta-data", k, value=(A.VALUE, T_STRING, v)) for k, v in spec.meta_data
    ]
    attrs: dict[str, Any] = {"label": (A.LABEL, T_REF, LABEL_ID)}
    if spec.icon is not None:
        attrs["icon"] = (A.ICON, T_REF, ICON_ID)
    if spec.application:
        attrs["name"] = (A.NAME, T_STRING, spec.application)
    return _node("application", attrs, kids)


def manifest_xml(spec: AppSpec) -> bytes:
    """The binary AndroidManifest.xml."""
    sdk = _node(
        "uses-sdk",
        {
            "minSdkVersion": (A.MIN_SDK, T_DEC, spec.min_sdk),
            "targetSdkVersion": (A.TARGET_SDK, T_DEC, spec.target_sdk),
        },
    )
    perms = [_named("uses-permission", p) for p in spec.permissions]
    root = {
        "versionCode": (A.VERSION_CODE, T_DEC, spec.version_code),
        "versionName": (A.VERSION_NAME, T_STRING, spec.version_name),
        "package": (0, T_STRING, spec.package),
    }
    return manifest(root, children=[sdk, *perms, _application(spec)])


def _locale(tag: str) -> bytes:
    lang, _, region = tag.partition("-r")
    return arsc.config(lang=lang, country=region)


def resources(spec: AppSpec) -> bytes:
    """resources.arsc: string/app_name (default + locales) and mipmap/ic_launcher."""
    values = [spec.label, *spec.labels.values(), ICON_PATH]
    children = [arsc.type_spec(1, 1), arsc.type_chunk(1, [arsc.entry(0, arsc.STRING, 0)])]
    for i, tag in enumerate(spec.labels, start=1):
        entries: Sequence[bytes | None] = [arsc.entry(0, arsc.STRING, i)]
        children.append(arsc.type_chunk(1, entries, cfg=_locale(tag)))
    children.append(arsc.type_spec(2, 1))
    icon_entry = [arsc.entry(1, arsc.STRING, len(values) - 1)]
    children.append(arsc.type_chunk(2, icon_entry, cfg=arsc.config(density=480)))
    pkg = arsc.package(0x7F, spec.package, ["string", "mipmap"], ["app_name", "ic_launcher"],
                       children)  # fmt: skip
    return arsc.table(arsc.string_pool(values), [pkg])


def _dex(spec: AppSpec) -> bytes:
    classes = [c for c in (spec.application, spec.main_activity) if c]
    classes += [*spec.services, *spec.receivers, *spec.classes]
    supers = {spec.main_activity: "android.app.Activity"} if spec.main_activity else {}
    return app_dex(classes, spec.calls, spec.strings, supers)


def build_apk(spec: AppSpec) -> bytes:
    """The signed APK bytes for ``spec`` (deterministic)."""
    items = [
        ZipItem("AndroidManifest.xml", manifest_xml(spec)),
        ZipItem("classes.dex", _dex(spec)),
        ZipItem("resources.arsc", resources(spec), stored=True),
    ]
    if spec.icon is not None:
        items.append(ZipItem(ICON_PATH, spec.icon, stored=True))
    items += [ZipItem(name, data) for name, data in spec.assets]
    items += [ZipItem(name, data, stored=True, align=4096) for name, data in spec.native_libs]
    return sign_apk(items, spec.signer, v2=spec.v2)
