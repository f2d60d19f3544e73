"""Builders' embedded configuration files: app id, name, start URL, version, server URL.

A WebView shell keeps the site it loads in its builder's config (DCloud's manifest.json
``launch_path``, Cordova's ``<content src>``, Capacitor's ``server.url``), and builder
accounts leave their app id there. Which files and which values is knowledge
(``knowledge/data/builders.yaml``: ``configs``); this module only reads them, bounded: a few
files, a few hundred KB each, regexes with bounded repetition over the decoded text.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from fnmatch import fnmatchcase, translate
from html import escape

from chaincut.extractors.apk.axml import parse_axml
from chaincut.extractors.apk.axml.model import XmlElement
from chaincut.extractors.findings import Findings
from chaincut.extractors.indicators import find_indicators
from chaincut.extractors.zip import ZipArchive, ZipEntry, ZipEntryError
from chaincut.facts.models import EmbeddedConfig, Indicator, Location

MAX_CONFIG = 256 * 1024  # bytes read per config file
MAX_CONFIGS = 16  # files read per APK
MAX_VALUE = 512  # characters kept per value
MAX_RENDER = 256 * 1024  # characters of XML text rendered from binary XML
# what a builder's config names: its servers, and the developer account's e-mail (APICloud
# and Cordova ``<author email=…>``, DCloud ``developer.email``): one developer's apps for
# several gangs carry it, so it names the developer whichever gang's app it sits in
URL_KINDS = frozenset({"url", "domain", "ip", "email"})


@dataclass(frozen=True, slots=True)
class ConfigSpec:
    """One config glob of one builder, with its compiled value regexes."""

    builder: str
    glob: str
    format: str
    values: tuple[tuple[str, re.Pattern[str]], ...]


@functools.cache
def config_specs() -> tuple[ConfigSpec, ...]:
    """The config files the shipped knowledge base names (loaded once per process)."""
    from chaincut.knowledge.kb import load_knowledge  # knowledge is data: read lazily

    specs: list[ConfigSpec] = []
    for builder in load_knowledge().builders.values():
        for cfg in builder.configs:
            values = tuple((k, re.compile(v)) for k, v in cfg.values.items())
            specs.append(ConfigSpec(builder.id, cfg.glob, cfg.format, values))
    return tuple(specs)


@functools.cache
def _prefilter() -> re.Pattern[str] | None:
    """One regex over every config glob: most entries are rejected by a single match."""
    globs = {spec.glob for spec in config_specs()}
    return re.compile("|".join(f"(?:{translate(g)})" for g in sorted(globs))) if globs else None


def _matches(
    entries: list[ZipEntry], specs: tuple[ConfigSpec, ...]
) -> list[tuple[ZipEntry, list[ConfigSpec]]]:
    found: list[tuple[ZipEntry, list[ConfigSpec]]] = []
    pre = _prefilter()
    for e in entries:
        if pre is None or e.uncompressed_size > MAX_CONFIG or not pre.match(e.name):
            continue
        hit = [s for s in specs if fnmatchcase(e.name, s.glob)]
        if hit:
            found.append((e, hit))
            if len(found) >= MAX_CONFIGS:
                break
    return found


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def render_axml(root: XmlElement) -> str:
    """Binary XML back to XML text (elements and attributes; enough for the regexes)."""
    parts: list[str] = []
    size = 0
    for el in root.walk():
        attrs = " ".join(f'{a.name}="{escape(a.as_str() or "")}"' for a in el.attributes)
        line = f"<{el.name} {attrs}>" if attrs else f"<{el.name}>"
        parts.append(line)
        size += len(line) + 1
        if size > MAX_RENDER:
            break
    return "\n".join(parts)


def _text(data: bytes, fmt: str, entry: str) -> str:
    if fmt != "axml":
        return _decode(data)
    root = parse_axml(data, Findings(), entry=entry)  # a config's oddities are not the app's
    return render_axml(root) if root is not None else ""


def _unescape(raw: str, fmt: str) -> str:
    """A JSON string's escapes (``\\u6f14``, ``\\/``) decoded; other formats as they are."""
    if fmt != "json" or "\\" not in raw:
        return raw
    try:
        value = json.loads(f'"{raw}"')
    except ValueError:
        return raw
    return value if isinstance(value, str) else raw


def _values(text: str, specs: list[ConfigSpec]) -> tuple[str | None, dict[str, str]]:
    """Values of the first spec that yields any (builders can share a file name)."""
    for spec in specs:
        values: dict[str, str] = {}
        for name, pattern in spec.values:
            m = pattern.search(text)
            value = _unescape(m.group(1), spec.format).strip() if m else ""
            if value:
                values[name] = value[:MAX_VALUE]
        if values:
            return spec.builder, values
    return (specs[0].builder if len(specs) == 1 else None), {}


def no_configs() -> tuple[list[EmbeddedConfig], list[Indicator]]:
    """The typed empty result (what ``guarded`` falls back to)."""
    return [], []


def read_configs(
    archive: ZipArchive, entries: list[ZipEntry]
) -> tuple[list[EmbeddedConfig], list[Indicator]]:
    """Embedded configs and the URLs, domains, IPs and e-mails they name (at the entry)."""
    specs = config_specs()
    configs: list[EmbeddedConfig] = []
    found: list[Indicator] = []
    for entry, hit in _matches(entries, specs):
        try:
            data = archive.read(entry, max_size=MAX_CONFIG)
        except ZipEntryError:
            continue  # the ZIP reader's own pass records why
        text = _text(data, hit[0].format, entry.name)
        builder, values = _values(text, hit)
        configs.append(EmbeddedConfig(entry=entry.name, builder=builder, values=values))
        where = Location(entry=entry.name)
        found.extend(i for i in find_indicators(text, location=where) if i.kind in URL_KINDS)
        found.extend(_account_emails(values, where))
    return configs, found


EMAIL = re.compile(
    r"^[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})+$"
)


def _account_emails(values: dict[str, str], where: Location) -> list[Indicator]:
    """The developer account's e-mail a config names (a value named ``…email``).

    The field says it is an e-mail, so it is taken whatever its domain's suffix: the
    free-text scan above keeps only hosts under a known public suffix.
    """
    return [
        Indicator(kind="email", value=v.lower(), location=where)
        for name, v in values.items()
        if name.endswith("email") and EMAIL.match(v)
    ]
