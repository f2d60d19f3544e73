"""Configuration profiles (.mobileconfig): plain plists or CMS SignedData around one.

A signed profile shows "Verified" on the phone only when the chain ends at a trusted
root; fraud kits sign with self-made or bought certificates, so the signer and its chain
are facts worth linking on, whether or not the signature checks out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from chaincut.extractors.cms import looks_signed_data, read_signed_data
from chaincut.extractors.findings import Findings
from chaincut.extractors.ios.payloads import read_payload
from chaincut.extractors.ios.values import flag, items, text
from chaincut.extractors.plist import PlistValue, plist_format, read_plist
from chaincut.facts.ios import ConfigPayload, MobileconfigFacts

MAX_PAYLOADS = 200


@dataclass(slots=True)
class MobileconfigResult:
    facts: MobileconfigFacts
    blobs: dict[str, bytes] = field(default_factory=dict)


def read_mobileconfig(buf: bytes, findings: Findings) -> MobileconfigResult:
    """Facts of a configuration profile; never raises."""
    signed = looks_signed_data(buf)
    base = MobileconfigFacts(signed=signed)
    content: bytes | None = buf
    if signed:
        msg = read_signed_data(buf, findings, entry="cms")
        content = msg.content
        base = base.model_copy(
            update={
                "signer": msg.signer,
                "signer_chain": msg.signer_chain,
                "signature_valid": msg.signature_valid,
            }
        )
    if content is None:
        return MobileconfigResult(base)
    if plist_format(content) is None:
        findings.anomaly("mobileconfig_not_plist", f"{content[:16]!r}")
        return MobileconfigResult(base)
    plist = read_plist(content, findings, entry="plist")
    if plist.ok and not isinstance(plist.value, dict):
        findings.anomaly("mobileconfig_not_dict", type(plist.value).__name__)
    blobs: dict[str, bytes] = {}
    root = plist.dict()
    if text(root.get("PayloadType"), 200) == PROFILE_SERVICE:
        return MobileconfigResult(_facts(base, root, []).model_copy(
            update=_profile_service(root.get("PayloadContent"), findings)))
    payloads = _payloads(root.get("PayloadContent"), findings, blobs)
    return MobileconfigResult(_facts(base, root, payloads), blobs)


PROFILE_SERVICE = "Profile Service"
MAX_ATTRIBUTES = 32
MAX_URL = 2048  # a longer one is reported, not cut and used as an indicator
SERVICE_URL = re.compile(r"^https?://[^\s/?#]+[^\s]*$", re.I)  # the phone posts to it


def _profile_service(value: PlistValue, findings: Findings) -> dict[str, object]:
    """A "Profile Service" profile asks the phone to post its UDID (and whatever else
    ``DeviceAttributes`` names) to ``URL``. It installs nothing: it is how super-signature
    services collect the device ids they register in an ad-hoc profile before signing
    the IPA for that phone, so the URL names the signing service."""
    content = value if isinstance(value, dict) else {}
    raw = content.get("URL")
    url = raw.strip() if isinstance(raw, str) else None
    if not url or len(url) > MAX_URL or not SERVICE_URL.match(url):
        shown = repr(raw)[:80] if raw is not None else "none"
        findings.anomaly("mobileconfig_bad_payload", f"Profile Service URL is not a web "
                         f"address: {shown}", entry="PayloadContent")
        url = None
    attributes = [a for a in (text(v, 64) for v in items(content.get("DeviceAttributes"))) if a]
    return {"udid_service": url, "device_attributes": attributes[:MAX_ATTRIBUTES]}


def _payloads(
    value: PlistValue, findings: Findings, blobs: dict[str, bytes]
) -> list[ConfigPayload]:
    entries = items(value)
    if len(entries) > MAX_PAYLOADS:
        findings.anomaly("mobileconfig_too_many_payloads", f"{len(entries)} payloads")
    out: list[ConfigPayload] = []
    for index, entry in enumerate(entries[:MAX_PAYLOADS]):
        payload = read_payload(entry, findings, blobs, index)
        if payload is not None:
            out.append(payload)
    return out


def _facts(
    base: MobileconfigFacts, root: dict[str, PlistValue], payloads: list[ConfigPayload]
) -> MobileconfigFacts:
    return base.model_copy(
        update={
            "display_name": text(root.get("PayloadDisplayName"), 300),
            "identifier": text(root.get("PayloadIdentifier"), 300),
            "organization": text(root.get("PayloadOrganization"), 300),
            "description": text(root.get("PayloadDescription")),
            "uuid": text(root.get("PayloadUUID"), 100),
            "profile_type": text(root.get("PayloadType"), 200),
            "removal_disallowed": flag(root.get("PayloadRemovalDisallowed")),
            "payloads": payloads,
            "web_clips": [p.url for p in payloads if p.url and "webClip" in p.type],
            "dangerous_payloads": list(dict.fromkeys(p.type for p in payloads if p.dangerous)),
        }
    )
