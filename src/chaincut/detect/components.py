"""Recognise builders, packers and SDKs from facts, with evidence and embedded keys.

The clues are knowledge (``knowledge/data/{builders,packers,sdks}.yaml``); this module
turns them into an index once per knowledge base (package prefixes in a dict, entry globs
in one pre-filter regex) so that recognition costs one pass over the facts.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatchcase, translate
from typing import Literal

from chaincut.detect.features import FeatureSet
from chaincut.facts.models import ApkFacts, FactsDocument
from chaincut.knowledge.kb import KnowledgeBase
from chaincut.knowledge.schema import Builder, Recognisable
from chaincut.result.models import Component, ResultIndicator, Role

ComponentKind = Literal["builder", "packer", "sdk"]
MAX_EVIDENCE = 6
MAX_KEY = 128
SDK_ROLES: dict[str, Role] = {
    "install_attribution": "distributor",
    "im": "contact",
    "customer_service": "contact",
    "payment": "payment",
}


KeyRegex = tuple[str, str | None, re.Pattern[str] | None]


@dataclass
class _Index:
    """Clue lookups for one knowledge base (built once, read-only afterwards)."""

    items: dict[str, tuple[ComponentKind, Recognisable]] = field(default_factory=dict)
    packages: dict[str, list[str]] = field(default_factory=dict)  # prefix -> component keys
    classes: dict[str, list[str]] = field(default_factory=dict)
    meta: dict[str, list[str]] = field(default_factory=dict)
    perms: dict[str, list[str]] = field(default_factory=dict)
    entry_globs: list[tuple[re.Pattern[str], str]] = field(default_factory=list)
    entry_prefilter: re.Pattern[str] | None = None
    lib_globs: list[tuple[str, str]] = field(default_factory=list)
    lib_prefilter: re.Pattern[str] | None = None  # matches a name iff some lib glob does
    fw_globs: list[tuple[str, str]] = field(default_factory=list)
    key_regex: dict[str, list[KeyRegex]] = field(default_factory=dict)


def _add(table: dict[str, list[str]], names: Sequence[str], key: str) -> None:
    for name in names:
        table.setdefault(name, []).append(key)


def _index_item(idx: _Index, key: str, item: Recognisable) -> None:
    c = item.clues
    _add(idx.packages, c.class_packages, key)
    _add(idx.classes, c.classes, key)
    _add(idx.meta, c.meta_data, key)
    _add(idx.perms, c.permissions, key)
    idx.entry_globs.extend((re.compile(translate(g)), key) for g in c.entries)
    idx.lib_globs.extend((g, key) for g in c.native_libs)
    idx.fw_globs.extend((g, key) for g in c.ios_frameworks)
    idx.key_regex[key] = [
        (k.source, k.name, re.compile(k.regex) if k.regex else None) for k in item.keys
    ]


@functools.lru_cache(maxsize=8)
def _index(kb: KnowledgeBase) -> _Index:
    idx = _Index()
    tables: list[tuple[ComponentKind, Sequence[Recognisable]]] = [
        ("builder", list(kb.builders.values())),
        ("packer", list(kb.packers.values())),
        ("sdk", list(kb.sdks.values())),
    ]
    for kind, items in tables:
        for item in items:
            key = f"{kind}:{item.id}"
            idx.items[key] = (kind, item)
            _index_item(idx, key, item)
    if idx.entry_globs:
        idx.entry_prefilter = re.compile("|".join(f"(?:{p.pattern})" for p, _ in idx.entry_globs))
    if idx.lib_globs:  # fnmatchcase is a match of fnmatch.translate's pattern
        idx.lib_prefilter = re.compile("|".join(f"(?:{translate(g)})" for g, _ in idx.lib_globs))
    return idx


class _Hits:
    """Clue hits per component key, with a readable evidence line each."""

    def __init__(self) -> None:
        self.by_key: dict[str, list[str]] = {}

    def add(self, keys: Sequence[str], evidence: str) -> None:
        for key in keys:
            lines = self.by_key.setdefault(key, [])
            if evidence not in lines:
                lines.append(evidence)


def _package_prefixes(pkg: str) -> list[str]:
    """``a``, ``a.b``, ``a.b.c``: built step by step, not re-joined per prefix."""
    out: list[str] = []
    prefix = None
    for part in pkg.split("."):
        prefix = part if prefix is None else f"{prefix}.{part}"
        out.append(prefix)
    return out


def _apk_hits(apk: ApkFacts, idx: _Index, hits: _Hits) -> None:
    # each dotted prefix once, in first-seen order (a repeat would add nothing: hits keep
    # one line per evidence)
    seen: set[str] = set()
    for d in apk.dex:
        for pkg in d.packages:
            for prefix in _package_prefixes(pkg):
                if prefix in seen:
                    continue
                seen.add(prefix)
                if prefix in idx.packages:
                    hits.add(idx.packages[prefix], f"class package {prefix}")
    names = [apk.application, apk.main_activity, *(c.name for c in apk.components)]
    for name in names:
        if name and name in idx.classes:
            hits.add(idx.classes[name], f"class {name}")
    for m in apk.meta_data_entries:
        if m.name in idx.meta:
            hits.add(idx.meta[m.name], f"meta-data {m.name}")
    for p in apk.permissions:
        if p in idx.perms:
            hits.add(idx.perms[p], f"permission {p}")
    if idx.entry_prefilter is not None:
        for e in apk.entries:
            if idx.entry_prefilter.match(e.name):
                for pattern, key in idx.entry_globs:
                    if pattern.match(e.name):
                        hits.add([key], f"entry {e.name}")
    for lib in apk.native_libs:
        base = lib.rsplit("/", 1)[-1]
        if idx.lib_prefilter is not None and idx.lib_prefilter.match(base) is None:
            continue  # one regex says no glob matches
        for glob, key in idx.lib_globs:
            if fnmatchcase(base, glob):
                hits.add([key], f"native library {base}")


def _keys(apk: ApkFacts | None, key: str, idx: _Index) -> list[str]:
    """Embedded app ids / app keys of a recognised component, validated by their regex."""
    if apk is None:
        return []
    out: list[str] = []
    builder = key.split(":", 1)[1]
    for source, name, pattern in idx.key_regex.get(key, []):
        values: list[str] = []
        if source == "meta_data" and name:
            values = [m.value for m in apk.meta_data_entries if m.name == name and m.value]
        elif source == "string" and name and name in apk.strings:
            values = [apk.strings[name]]
        elif source == "config" and name:
            values = [
                c.values[name]
                for c in apk.embedded_configs
                if c.builder == builder and name in c.values
            ]
        elif source == "entry" and pattern is not None:
            values = [m.group(1) for e in apk.entries if (m := pattern.match(e.name))]
            pattern = None  # the entry regex already validated the value
        for v in values:
            v = v.strip()[:MAX_KEY]
            if v.startswith("appid="):
                v = v[6:]
            if v and (pattern is None or pattern.match(v)) and v not in out:
                out.append(v)
    return out


def _shell(apk: ApkFacts, builder: Builder, doc: FactsDocument, kb: KnowledgeBase) -> list[str]:
    """Evidence that ``apk`` is a bare WebView shell, or [] when it is not."""
    h = builder.shell
    if h is None:
        return []
    classes = sum(d.classes for d in apk.dex)
    if not apk.dex or classes > h.max_classes:
        return []
    refs = {r for d in apk.dex for r in d.api_refs}
    apis = [a for a in h.apis if a in refs]
    if not apis:
        return []
    urls = [
        i.value
        for i in doc.indicators
        if i.kind == "url"
        and i.value.startswith(("http://", "https://"))
        and not kb.is_common("url", i.value)
    ]
    if h.remote_url and not urls:
        return []
    evidence = [f"{classes} classes of its own code", f"calls {apis[0]}"]
    return evidence + ([f"remote URL {urls[0]}"] if urls else [])


def _recognise(doc: FactsDocument, kb: KnowledgeBase) -> list[Component]:
    idx = _index(kb)
    hits = _Hits()
    apk = doc.apk
    if apk is not None:
        _apk_hits(apk, idx, hits)
    if doc.ipa is not None:
        for fw in doc.ipa.frameworks:
            for glob, key in idx.fw_globs:
                if fnmatchcase(fw, glob):
                    hits.add([key], f"framework {fw}")
    out: list[Component] = []
    for key, evidence in hits.by_key.items():
        kind, item = idx.items[key]
        if len(evidence) < item.clues.min_hits:
            continue
        keys = _keys(apk, key, idx)
        out.append(
            Component(
                kind=kind,
                id=item.id,
                name=item.name,
                evidence=evidence[:MAX_EVIDENCE],
                app_key=keys[0] if keys else None,
            )
        )
    if apk is not None and not any(c.kind == "builder" for c in out):
        for builder in kb.builders.values():
            if evidence := _shell(apk, builder, doc, kb):
                out.append(
                    Component(kind="builder", id=builder.id, name=builder.name, evidence=evidence)
                )
    order = {"builder": 0, "packer": 1, "sdk": 2}
    return sorted(out, key=lambda c: (order[c.kind], c.id))


def recognise(doc: FactsDocument, features_or_kb: FeatureSet | KnowledgeBase) -> list[Component]:
    """Builders, packers and SDKs in ``doc``; from a FeatureSet, those it already holds."""
    if isinstance(features_or_kb, FeatureSet):
        return list(features_or_kb.components)
    return _recognise(doc, features_or_kb)


def recognise_into(doc: FactsDocument, kb: KnowledgeBase, fs: FeatureSet) -> None:
    """Recognise components and add them to ``fs`` as builder/packer/sdk features."""
    components = _recognise(doc, kb)
    fs.components = tuple(components)
    for c in components:
        fs.add(c.kind, c.id)
        if c.kind == "sdk":
            fs.add("sdk_category", kb.sdks[c.id].category)
            if c.app_key:
                fs.add("sdk_app_key", f"{c.id}:{c.app_key}")
        elif c.kind == "builder":
            builder = kb.builders.get(c.id)
            if builder is not None and builder.webview:
                fs.add("builder.webview", True)
            if c.app_key:
                fs.add("builder_app_id", f"{c.id}:{c.app_key}")


def component_role(c: Component, kb: KnowledgeBase | None = None) -> Role:
    """The part of the chain a component's key plays."""
    if c.kind == "builder":
        return "developer"
    if c.kind == "packer":
        return "packager"
    sdk = kb.sdks.get(c.id) if kb is not None else None
    return SDK_ROLES.get(sdk.category, "developer") if sdk is not None else "developer"


def indicators_from_components(
    components: Sequence[Component], kb: KnowledgeBase | None = None
) -> list[ResultIndicator]:
    """Builder app ids and SDK keys (links between apps of one account), and packers
    (a packaging service: common, never a link on its own)."""
    from chaincut.knowledge.kb import load_knowledge

    kb = kb or load_knowledge()
    out: list[ResultIndicator] = []
    for c in components:
        role = component_role(c, kb)
        if c.kind == "packer":
            out.append(ResultIndicator(kind="packer", value=c.id, role=role, common=True))
        elif c.app_key:
            kind = "builder_app_id" if c.kind == "builder" else "sdk_app_key"
            # the bare key is what the SDK's console and an outside tool look up;
            # whose key it is travels beside it (interfaces.md sections 3 and 4)
            out.append(ResultIndicator(kind=kind, value=c.app_key, role=role, provider=c.id))
    return out
