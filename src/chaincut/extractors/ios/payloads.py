"""One PayloadContent entry of a configuration profile, and what it can do to a phone.

Fraud kits use .mobileconfig files to put a bank-looking web clip on the home screen,
and sometimes to take over traffic: a root CA (HTTPS interception), a VPN, a global
proxy, DNS settings or MDM enrolment. Those are marked dangerous with the reason.
"""

from __future__ import annotations

import hashlib

from cryptography.hazmat.primitives.serialization import Encoding, pkcs12

from chaincut.extractors.cms.certfacts import read_certificate
from chaincut.extractors.findings import Findings
from chaincut.extractors.ios.values import flag, items, mapping, text, texts
from chaincut.extractors.plist import PlistValue
from chaincut.facts.ios import ConfigPayload
from chaincut.facts.models import CertificateFacts

MAX_ICON = 1024 * 1024
MAX_SERVERS = 20
RISKS: dict[str, str] = {
    "com.apple.security.root": "installs a root CA: whoever holds its key can intercept HTTPS",
    "com.apple.vpn.managed": "routes the phone's traffic through a VPN server the author chose",
    "com.apple.vpn.managed.applayer": "routes app traffic through the author's per-app VPN",
    "com.apple.proxy.http.global": "sends all web traffic through the author's proxy",
    "com.apple.dnsSettings.managed": "resolves every name through the author's DNS server",
    "com.apple.dnsProxy.managed": "resolves names through the author's DNS proxy app",
    "com.apple.mdm": "enrols the phone in the author's MDM: remote apps, settings and wipe",
    "com.apple.apn.managed": "changes the cellular APN (carrier traffic via the author's proxy)",
    "com.apple.managedCarrier": "changes the cellular APN (carrier traffic via the author's proxy)",
    "com.apple.webcontent-filter": "filters or inspects web traffic through the author's filter",
}
CERT_TYPES = frozenset(
    {
        "com.apple.security.root",
        "com.apple.security.pkcs1",
        "com.apple.security.pem",
        "com.apple.security.pkcs12",
    }
)
SERVER_KEYS = frozenset(
    {
        "RemoteAddress",
        "ProxyServer",
        "ProxyPACURL",
        "ServerAddresses",
        "ServerURL",
        "CheckInURL",
        "ServerName",
        "ProxyURL",
    }
)


def read_payload(
    value: PlistValue, findings: Findings, blobs: dict[str, bytes], index: int
) -> ConfigPayload | None:
    """A typed payload, or None (reported) when the entry has no PayloadType."""
    entry = f"PayloadContent[{index}]"
    payload = mapping(value)
    kind = text(payload.get("PayloadType"), 200)
    if kind is None:
        findings.anomaly("mobileconfig_bad_payload", "no PayloadType", entry=entry)
        return None
    risk = RISKS.get(kind, "")
    cert = _certificate(kind, payload, findings, entry) if kind in CERT_TYPES else None
    if cert is not None and kind != "com.apple.security.root" and cert.self_signed:
        risk = "installs a self-signed CA certificate (trusted for HTTPS once enabled)"
    servers = _servers(payload)
    if kind == "com.apple.wifi.managed" and any(k.startswith("Proxy") for k in payload):
        risk = "joins a Wi-Fi network whose proxy the author chose"
    icon = _icon(payload.get("Icon"), blobs)
    return ConfigPayload(
        type=kind,
        identifier=text(payload.get("PayloadIdentifier"), 300),
        display_name=text(payload.get("PayloadDisplayName"), 300),
        uuid=text(payload.get("PayloadUUID"), 100),
        dangerous=bool(risk),
        risk=risk,
        url=text(payload.get("URL")),
        label=text(payload.get("Label"), 300),
        full_screen=flag(payload.get("FullScreen")),
        is_removable=flag(payload.get("IsRemovable")),
        icon=icon,
        certificate=cert,
        servers=servers,
    )


def _icon(value: PlistValue, blobs: dict[str, bytes]) -> str | None:
    if not isinstance(value, bytes) or not value or len(value) > MAX_ICON:
        return None
    digest = hashlib.sha256(value).hexdigest()
    blobs[digest] = value
    return digest


def _certificate(
    kind: str, payload: dict[str, PlistValue], findings: Findings, entry: str
) -> CertificateFacts | None:
    data = payload.get("PayloadContent")
    if not isinstance(data, bytes) or not data:
        findings.anomaly("mobileconfig_bad_certificate", "no certificate bytes", entry=entry)
        return None
    der = _der(kind, data, text(payload.get("Password"), 200))
    cert, facts = read_certificate(der) if der else (None, None)
    if cert is None:
        findings.anomaly("mobileconfig_bad_certificate", f"{kind}, {len(data)} bytes", entry=entry)
    return facts


def _der(kind: str, data: bytes, password: str | None) -> bytes | None:
    """DER of the payload's certificate (PEM decoded, PKCS#12 opened with its password)."""
    if kind == "com.apple.security.pkcs12":
        try:
            secret = password.encode() if password else None
            _, cert, _ = pkcs12.load_key_and_certificates(data, secret)
        except (ValueError, TypeError):
            return None
        return cert.public_bytes(Encoding.DER) if cert is not None else None
    if b"-----BEGIN CERTIFICATE-----" in data[:4096]:
        from cryptography import x509

        try:
            return x509.load_pem_x509_certificate(data).public_bytes(Encoding.DER)
        except ValueError:
            return None
    return data


def _servers(payload: dict[str, PlistValue]) -> list[str]:
    """Server-like settings anywhere in the payload (VPN, proxy, DNS, MDM), bounded."""
    out: list[str] = []
    stack: list[tuple[PlistValue, int]] = [(payload, 0)]
    while stack and len(out) < MAX_SERVERS:
        node, depth = stack.pop(0)
        for key, value in mapping(node).items():
            if key in SERVER_KEYS:
                out.extend(v for v in texts(value, MAX_SERVERS) if v and v not in out)
            elif depth < 4 and isinstance(value, dict | list):
                stack.extend((v, depth + 1) for v in (items(value) or [value]))
    return out[:MAX_SERVERS]
