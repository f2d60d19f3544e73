"""Text sections of the facts view for iOS artifacts: IPA, profiles, itms manifests.

Kept apart from facts_text so the APK view stays short; each function prints what an
analyst checks first (distribution channel, team, web clip targets, dangerous payloads).
"""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape

from chaincut.facts.ios import IpaFacts, ItmsManifestFacts, MobileconfigFacts, ProvisionFacts

MAX_LIST = 12


def _items(values: list[str]) -> str:
    shown = ", ".join(escape(v) for v in values[:MAX_LIST])
    more = len(values) - MAX_LIST
    return f"{shown} (+{more} more)" if more > 0 else shown


def ipa_section(console: Console, ipa: IpaFacts) -> None:
    """Bundle identity, notable contents, then the provisioning profile."""
    if ipa.app_dir or ipa.bundle_id:
        console.print(
            f"bundle [bold]{escape(ipa.bundle_id or '?')}[/] version {escape(ipa.version or '')}"
            f" ({escape(ipa.build or '')}), min iOS {escape(ipa.minimum_os or '?')}"
        )
        console.print(
            f"name [bold]{escape(ipa.display_name or '')}[/] in {escape(ipa.app_dir or '')}"
        )
    if ipa.localized_names:
        console.print("names " + _items([f"{k}={v}" for k, v in ipa.localized_names.items()]))
    if ipa.url_schemes:
        console.print(f"url schemes: {_items(ipa.url_schemes)}")
    if ipa.frameworks:
        console.print(f"frameworks ({len(ipa.frameworks)}): {_items(ipa.frameworks)}")
    if ipa.bundle_files:
        console.print(f"notable files: {_items(ipa.bundle_files)}")
    if ipa.encrypted is not None:
        state = "[yellow]encrypted (App Store)[/]" if ipa.encrypted else "not encrypted"
        console.print(
            f"executable {escape(ipa.executable or '?')}: {ipa.executable_size} bytes, {state}"
        )
    if ipa.provision is not None:
        _provision(console, ipa.provision)


def _provision(console: Console, prov: ProvisionFacts) -> None:
    devices = "all devices" if prov.provisions_all_devices else f"{prov.device_count} devices"
    console.print(
        f"profile [bold]{prov.distribution}[/] ({devices}), team {escape(prov.team_id or '?')}"
        f" {escape(prov.team_name or '')}, expires {escape(prov.expiration_date or '?')}"
    )
    if prov.application_identifier:
        console.print(f"  app id {escape(prov.application_identifier)}")
    for cert in prov.certificates:
        console.print(f"  cert {cert.sha256} {escape(cert.subject)}")


def mobileconfig_section(console: Console, mc: MobileconfigFacts) -> None:
    """Profile identity, signer, then one line per payload (dangerous ones marked)."""
    signed = "unsigned"
    if mc.signed:
        ok = {True: "[green]valid[/]", False: "[red]invalid[/]", None: "unchecked"}
        who = escape(mc.signer.subject if mc.signer else "?")
        signed = f"signed ({ok[mc.signature_valid]}) by {who}"
    console.print(
        f"profile [bold]{escape(mc.display_name or '?')}[/] {escape(mc.identifier or '')}, {signed}"
    )
    for p in mc.payloads:
        mark = f" [red]dangerous[/]: {escape(p.risk)}" if p.dangerous else ""
        target = p.url or ", ".join(p.servers) or (p.certificate.subject if p.certificate else "")
        console.print(
            f"  {escape(p.type)} {escape(p.label or p.display_name or '')} {escape(target)}{mark}"
        )


def itms_section(console: Console, m: ItmsManifestFacts) -> None:
    """What the install link installs, and from where."""
    console.print(
        f"itms manifest [bold]{escape(m.bundle_id or '?')}[/] {escape(m.bundle_version or '')}"
        f" {escape(m.title or '')}"
    )
    for url in m.ipa_urls:
        console.print(f"  ipa {escape(url)}")
