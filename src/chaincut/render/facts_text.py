"""A readable terminal view of facts documents, for an analyst's first look."""

from __future__ import annotations

from typing import TextIO

from rich.console import Console
from rich.markup import escape

from chaincut.facts.models import ApkFacts, DexFacts, FactsDocument, Location
from chaincut.render.facts_text_ios import ipa_section, itms_section, mobileconfig_section
from chaincut.render.facts_text_web import web_sections

MAX_LIST = 12


def _items(values: list[str], limit: int = MAX_LIST) -> str:
    shown = ", ".join(escape(v) for v in values[:limit])
    more = len(values) - limit
    return f"{shown} (+{more} more)" if more > 0 else shown


class TextRenderer:
    name = "text"
    description = "a readable summary per file"

    def begin(self, out: TextIO) -> None:
        return None

    def write(self, out: TextIO, doc: FactsDocument) -> None:
        console = Console(file=out, highlight=False, soft_wrap=True)
        console.rule(f"[bold]{escape(doc.path)}")
        console.print(
            f"kind [bold]{doc.kind}[/] ({doc.format}), {doc.size:,} bytes, sha256 {doc.sha256}"
        )
        if doc.apk:
            _apk(console, doc.apk)
        if doc.dex:
            _dex(console, [doc.dex])
        if doc.ipa:
            ipa_section(console, doc.ipa)
        if doc.mobileconfig:
            mobileconfig_section(console, doc.mobileconfig)
        if doc.itms_manifest:
            itms_section(console, doc.itms_manifest)
        web_sections(console, doc)  # links, landing pages, QR images
        if doc.indicators:
            by_kind: dict[str, list[str]] = {}
            for ind in doc.indicators:
                by_kind.setdefault(ind.kind, []).append(ind.value)
            for kind, values in by_kind.items():
                console.print(f"[cyan]{kind}[/]: {_items(values)}")
        for a in doc.anomalies:
            where = _where(a.location)
            console.print(f"[yellow]anomaly[/] {a.code}: {escape(a.detail)}{escape(where)}")
        for e in doc.errors:
            console.print(f"[red]error[/] {escape(e)}")
        console.print()

    def end(self, out: TextIO) -> None:
        return None


def _where(loc: Location | None) -> str:
    if loc is None:
        return ""
    offset = "" if loc.offset is None else f"+{loc.offset}"
    return f" @ {loc.entry or ''}{offset}"


def _apk(console: Console, apk: ApkFacts) -> None:
    console.print(
        f"package [bold]{escape(apk.package or '?')}[/] version {apk.version_code} "
        f"({escape(apk.version_name or '')}), sdk min {apk.min_sdk} target {apk.target_sdk}"
    )
    console.print(f"label [bold]{escape(apk.label or '')}[/]")
    others = {k: v for k, v in apk.labels.items() if k != "default" and v != apk.label}
    if others:
        console.print("labels " + _items([f"{k}={v}" for k, v in others.items()]))
    if apk.main_activity:
        console.print(f"launcher {escape(apk.main_activity)}")
    if apk.permissions:
        console.print(f"permissions ({len(apk.permissions)}): {_items(apk.permissions)}")
    if apk.meta_data:
        console.print("meta-data " + _items([f"{k}={v}" for k, v in apk.meta_data.items()]))
    s = apk.signing
    schemes = ",".join(k for k, v in s.schemes.items() if v) or "none"
    mark = "[green]verified[/]" if s.verified else "[red]not verified[/]"
    console.print(f"signing {schemes}: {mark} {escape(s.reason)}")
    for c in s.certificates:
        known = f" [magenta]{c.known_key}[/]" if c.known_key else ""
        console.print(f"  cert {c.sha256} {escape(c.subject)}{known}")
    _dex(console, apk.dex)
    if apk.native_libs:
        console.print(f"native libs ({len(apk.native_libs)}): {_items(apk.native_libs)}")


def _dex(console: Console, dexes: list[DexFacts]) -> None:
    for d in dexes:
        console.print(
            f"dex {escape(d.name)}: {d.strings:,} strings, {d.classes:,} classes, "
            f"{d.methods:,} methods"
        )
