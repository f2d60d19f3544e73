"""Take one URL apart offline: host forms, IP tricks, disguises, platform, target kind.

No network and no DNS: everything comes from the string, the bundled public suffix
list and chaincut's data files. Oddities become anomalies; nothing raises.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import unquote

from chaincut.extractors.findings import Findings
from chaincut.extractors.url import host as hosts
from chaincut.extractors.url.kinds import itms_manifest, link_kind
from chaincut.extractors.url.parse import SPECIAL, UrlParts, split_url
from chaincut.facts.web import UrlFacts
from chaincut.knowledge.confusables import mixed_scripts, skeleton
from chaincut.knowledge.platforms import platform_for

DEFAULT_PORTS = {"http": 80, "https": 443, "ftp": 21, "ws": 80, "wss": 443}
NO_HOST_OK = {"itms-services", "mailto", "tel", "sms", "data", "javascript", "about", "blob"}


@dataclass(frozen=True, slots=True)
class HostFacts:
    host: str | None = None
    host_unicode: str | None = None
    ip: str | None = None
    ip_private: bool | None = None
    punycode: bool = False
    name: bool = False  # a valid DNS name (not an IP literal, not malformed)


def analyse_url(text: str) -> UrlFacts:
    """The facts of one URL (anomalies discarded; see :func:`analyse`)."""
    return analyse(text, Findings())


def analyse(text: str, findings: Findings) -> UrlFacts:
    """The facts of one URL, reporting its disguises to ``findings``."""
    parts = split_url(text, findings)
    hf = _host(parts, findings)
    port = _port(parts, findings)
    named = hf.host if hf.name else None
    split = hosts.split(named) if named else hosts.Split(None, None, None, None)
    platform = platform_for(named) if named else None
    skel = skeleton(hf.host_unicode or named) if named else None
    mixed = any(mixed_scripts(label) for label in (hf.host_unicode or "").split("."))
    _host_anomalies(hf, skel, mixed, findings)
    if parts.userinfo is not None:
        findings.anomaly("url_userinfo", f"'{parts.userinfo[:80]}@' before the host")
    brands = _brands(parts, hf, split)
    if brands:
        findings.anomaly("url_brand_token", ", ".join(brands))
    if platform is not None and platform.kind == "shortener":
        findings.anomaly("url_shortener", platform.name)
    kind = link_kind(parts.scheme, hf.host, parts.path, parts.query, platform)
    return UrlFacts(
        url=text,
        normalized=_normalized(parts, hf, port),
        scheme=parts.scheme,
        host=hf.host,
        host_unicode=hf.host_unicode if hf.host_unicode != hf.host else None,
        skeleton=skel,
        registrable_domain=split.registrable,
        subdomain=split.subdomain,
        suffix=split.suffix,
        ip=hf.ip,
        ip_private=hf.ip_private,
        port=port,
        path=parts.path,
        query=parts.query,
        fragment=parts.fragment,
        userinfo=parts.userinfo is not None,
        punycode=hf.punycode,
        mixed_scripts=mixed,
        brand_tokens=brands,
        shortener=platform.name if platform and platform.kind == "shortener" else None,
        platform=platform.name if platform and platform.kind != "shortener" else None,
        platform_kind=platform.kind if platform else None,
        link_kind=kind,
        itms_manifest_url=itms_manifest(parts.query) if kind == "itms_services" else None,
    )


def _host(parts: UrlParts, findings: Findings) -> HostFacts:
    raw = unquote(parts.host or "")
    if not raw:
        needs_host = parts.scheme not in NO_HOST_OK and parts.host is not None
        if parts.scheme in SPECIAL or (parts.scheme and needs_host):
            findings.anomaly("url_no_host", parts.scheme or "")
        return HostFacts()
    if parts.bracketed:
        return _ipv6(raw, findings)
    if hosts.ends_in_number(raw):
        return _ipv4(raw, findings)
    try:
        name = hosts.to_ascii(raw)
    except (ValueError, UnicodeError) as exc:
        findings.anomaly("url_invalid_host", str(exc)[:160])
        return HostFacts(host=_raw_host(raw))
    return HostFacts(host=name.ascii, host_unicode=name.unicode, punycode=name.punycode, name=True)


def _raw_host(raw: str) -> str | None:
    """A host that failed validation, kept only when it is ASCII (the field's contract)."""
    return raw.lower()[:253] if raw.isascii() and raw.isprintable() else None


def _ipv4(raw: str, findings: Findings) -> HostFacts:
    try:
        addr = hosts.parse_ipv4(raw)
    except hosts.InvalidIPv4:
        findings.anomaly("url_invalid_ipv4", raw[:80])
        return HostFacts(host=_raw_host(raw))
    findings.anomaly("url_ip_host", str(addr))
    if raw.rstrip(".") != str(addr):
        findings.anomaly("url_ip_obfuscated", f"'{raw[:80]}' is {addr}")
    return _ip_facts(addr, findings)


def _ipv6(raw: str, findings: Findings) -> HostFacts:
    try:
        addr = ipaddress.IPv6Address(raw.split("%", 1)[0])
    except ValueError:
        findings.anomaly("url_invalid_host", f"[{raw[:80]}] is not an IPv6 address")
        return HostFacts(host=_raw_host(raw))
    findings.anomaly("url_ip_host", str(addr))
    return _ip_facts(addr, findings)


def _ip_facts(addr: ipaddress.IPv4Address | ipaddress.IPv6Address, findings: Findings) -> HostFacts:
    private = hosts.is_private(addr)
    if private:
        findings.anomaly("url_private_ip", str(addr))
    shown = str(addr) if addr.version == 4 else f"[{addr}]"
    return HostFacts(host=shown, ip=str(addr), ip_private=private)


def _port(parts: UrlParts, findings: Findings) -> int | None:
    if not parts.port:
        return None
    if not parts.port.isdigit() or len(parts.port) > 5 or int(parts.port) > 65535:
        findings.anomaly("url_invalid_port", parts.port[:40])
        return None
    port = int(parts.port)
    if parts.scheme in DEFAULT_PORTS and port != DEFAULT_PORTS[parts.scheme]:
        findings.anomaly("url_nonstandard_port", str(port))
    return port


def _host_anomalies(hf: HostFacts, skel: str | None, mixed: bool, findings: Findings) -> None:
    if hf.punycode:
        findings.anomaly("url_punycode_host", f"{hf.host} is {hf.host_unicode}")
    if mixed:
        findings.anomaly("url_mixed_scripts", hf.host_unicode or "")
    unicode_host = hf.host_unicode or ""
    if skel and not unicode_host.isascii() and skel.isascii():
        findings.anomaly("url_confusable_host", f"{unicode_host} looks like {skel}")


def _brands(parts: UrlParts, hf: HostFacts, split: hosts.Split) -> list[str]:
    """Brand ids named in host labels (as seen: their skeletons too), userinfo or path."""
    labels: list[str] = []
    if hf.name and hf.host and split.registrable and split.suffix:
        shown = hf.host_unicode or hf.host
        for host in {hf.host, shown, skeleton(shown)}:
            if host.endswith("." + split.suffix):
                labels += host[: -len(split.suffix) - 1].split(".")
    if parts.userinfo:
        labels.append(unquote(parts.userinfo).lower())
    path = unquote(parts.path).lower()
    segments = [s for s in path.split("/") if s]
    # a brand's Chinese name spelt in the host ("工商银行.top", sent as xn--...) names the
    # brand as surely as its Latin abbreviation does
    shown_host = hf.host_unicode if hf.host_unicode and not hf.host_unicode.isascii() else ""
    from chaincut.extractors.url.brands import find_brand_tokens  # the registry: on first use

    return find_brand_tokens(labels + segments, f"{path}\n{shown_host}", split.registrable)


def _normalized(parts: UrlParts, hf: HostFacts, port: int | None) -> str | None:
    if not hf.host or not parts.scheme:
        return None
    user = f"{parts.userinfo}@" if parts.userinfo is not None else ""
    port_text = f":{port}" if port is not None else ""
    query = f"?{parts.query}" if parts.query else ""
    fragment = f"#{parts.fragment}" if parts.fragment else ""
    return f"{parts.scheme}://{user}{hf.host}{port_text}{parts.path or '/'}{query}{fragment}"
