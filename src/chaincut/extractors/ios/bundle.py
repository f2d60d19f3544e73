"""The layout of Payload/X.app: which app, its frameworks, extensions, notable files, icons.

Builder detection downstream keys on names: uni-app/DCloud (``__UNI__``, ``Pandora/``),
APICloud, Cordova (``www/``, ``cordova.js``), React Native (``main.jsbundle``) and
Flutter (``Flutter.framework``). Only names are read here, never contents.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

MAX_LIST = 100
MAX_NOTABLE = 50
_APP = re.compile(r"^Payload/([^/]+\.app)/")
_NOTABLE = re.compile(
    r"(?i)(^www/|/www/|__UNI__|uni-?app|dcloud|pandora/|apicloud|cordova(\.js|_plugins)|"
    r"main\.jsbundle|flutter\.framework|flutter_assets|react|unity|cocos|\.html?$|"
    r"\.js$|capacitor|ionic|weex|hbuilder)"
)
_ICON = re.compile(r"(?i)^(appicon|icon)[^/]*\.png$")


@dataclass(slots=True)
class Layout:
    """What the entry names say about the bundle."""

    app_dirs: list[str] = field(default_factory=list)  # "Payload/X.app", in archive order
    app_dir: str | None = None
    frameworks: list[str] = field(default_factory=list)
    plugins: list[str] = field(default_factory=list)
    bundle_files: list[str] = field(default_factory=list)
    icon_files: list[str] = field(default_factory=list)  # relative to the app dir
    lproj_strings: list[str] = field(default_factory=list)  # full entry names
    code_signature: bool = False


def app_dirs(names: list[str]) -> list[str]:
    """Every top-level Payload/X.app directory, in order of first appearance."""
    found: dict[str, None] = {}
    for name in names:
        m = _APP.match(name)
        if m:
            found.setdefault(f"Payload/{m.group(1)}", None)
    return list(found)


def choose_app(dirs: list[str], names: set[str]) -> str | None:
    """The first app directory that has an Info.plist, else the first one."""
    for d in dirs:
        if f"{d}/Info.plist" in names:
            return d
    return dirs[0] if dirs else None


def layout(names: list[str], icon_names: list[str]) -> Layout:
    """Scan entry names once; the app directory is chosen here."""
    out = Layout(app_dirs=app_dirs(names))
    out.app_dir = choose_app(out.app_dirs, set(names))
    if out.app_dir is None:
        return out
    prefix = out.app_dir + "/"
    for name in names:
        if name.startswith(prefix):
            _one(out, name[len(prefix) :], icon_names)
    out.lproj_strings = [prefix + n for n in names_under(names, prefix) if _is_lproj_strings(n)][
        :40
    ]
    return out


def names_under(names: list[str], prefix: str) -> list[str]:
    return [n[len(prefix) :] for n in names if n.startswith(prefix)]


def _is_lproj_strings(rel: str) -> bool:
    parts = rel.split("/")
    return len(parts) == 2 and parts[0].endswith(".lproj") and parts[1] == "InfoPlist.strings"


def _one(out: Layout, rel: str, icon_names: list[str]) -> None:
    parts = rel.split("/")
    if parts[0] == "Frameworks" and len(parts) > 1:
        _add(out.frameworks, parts[1], lambda n: n.endswith((".framework", ".dylib")))
    elif parts[0] == "PlugIns" and len(parts) > 1:
        _add(out.plugins, parts[1], lambda n: n.endswith(".appex"))
    if rel == "_CodeSignature/CodeResources":
        out.code_signature = True
    if len(parts) == 1 and _is_icon(rel, icon_names):
        _add(out.icon_files, rel, lambda n: True)
    if _NOTABLE.search(rel) and len(out.bundle_files) < MAX_NOTABLE:
        short = "/".join(parts[:4]) + ("/" if len(parts) > 4 else "")
        if short not in out.bundle_files:
            out.bundle_files.append(short)


def _add(target: list[str], value: str, ok: Callable[[str], bool]) -> None:
    if ok(value) and value not in target and len(target) < MAX_LIST:
        target.append(value)


def _is_icon(rel: str, icon_names: list[str]) -> bool:
    if not rel.lower().endswith(".png"):
        return False
    return bool(_ICON.match(rel)) or any(rel.startswith(n) for n in icon_names)
