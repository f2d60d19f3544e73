"""Provisioning profiles (embedded.mobileprovision): who may run the app, and on what.

The distribution type is the key fact for fraud triage: enterprise profiles
(ProvisionsAllDevices) and ad-hoc "super signature" profiles (up to 100 registered UDIDs,
bought per device) are how fake apps reach iPhones without App Store review.
"""

from __future__ import annotations

from datetime import UTC, datetime

from chaincut.extractors.cms import looks_signed_data, read_signed_data
from chaincut.extractors.cms.certfacts import read_certificate
from chaincut.extractors.findings import Findings
from chaincut.extractors.ios.values import flag, items, mapping, text, texts
from chaincut.extractors.plist import PlistValue, plist_format, plist_to_json_safe, read_plist
from chaincut.facts.ios import Distribution, ProvisionFacts
from chaincut.facts.models import CertificateFacts

MAX_CERTS = 50
MAX_ENTITLEMENTS = 200


def read_provision(
    buf: bytes, findings: Findings, *, entry: str | None = None, now: datetime | None = None
) -> ProvisionFacts:
    """Facts of a profile, signed or bare; ``now`` (default: the clock) decides expiry."""
    signer: CertificateFacts | None = None
    valid: bool | None = None
    signed = looks_signed_data(buf)
    content: bytes | None = buf
    if signed:
        message = read_signed_data(buf, findings, entry=entry)
        content, signer, valid = message.content, message.signer, message.signature_valid
        if signer is not None and "apple" not in signer.subject.lower():
            findings.anomaly("provision_signer_not_apple", signer.subject[:200], entry=entry)
    elif plist_format(buf) is not None:
        findings.anomaly("provision_unsigned", "", entry=entry)
    if content is None:
        return ProvisionFacts(signer=signer, cms_signed=signed, signature_valid=valid)
    if plist_format(content) is None:
        findings.anomaly("provision_not_plist", f"{content[:16]!r}", entry=entry)
        return ProvisionFacts(signer=signer, cms_signed=signed, signature_valid=valid)
    root = read_plist(content, findings, entry=entry).dict()
    facts = _facts(root, findings, entry).model_copy(
        update={"signer": signer, "cms_signed": signed, "signature_valid": valid}
    )
    _check_expiry(facts, findings, entry, now or datetime.now(UTC))
    return facts


def _facts(root: dict[str, PlistValue], findings: Findings, entry: str | None) -> ProvisionFacts:
    ent = mapping(root.get("Entitlements"))
    devices = items(root.get("ProvisionedDevices"))
    all_devices = flag(root.get("ProvisionsAllDevices")) is True
    task_allow = flag(ent.get("get-task-allow"))
    teams = texts(root.get("TeamIdentifier"))
    return ProvisionFacts(
        name=text(root.get("Name")),
        uuid=text(root.get("UUID")),
        team_id=teams[0] if teams else None,
        team_name=text(root.get("TeamName")),
        app_id_name=text(root.get("AppIDName")),
        application_identifier=text(ent.get("application-identifier")),
        app_id_prefix=texts(root.get("ApplicationIdentifierPrefix")),
        platforms=texts(root.get("Platform")),
        creation_date=text(root.get("CreationDate")),
        expiration_date=text(root.get("ExpirationDate")),
        distribution=distribution(all_devices, len(devices), task_allow),
        provisions_all_devices=all_devices,
        device_count=len(devices),
        get_task_allow=task_allow,
        aps_environment=text(ent.get("aps-environment")),
        entitlements={
            k[:200]: plist_to_json_safe(v)[:2000] for k, v in list(ent.items())[:MAX_ENTITLEMENTS]
        },
        certificates=_certificates(root.get("DeveloperCertificates"), findings, entry),
    )


def distribution(all_devices: bool, device_count: int, get_task_allow: bool | None) -> Distribution:
    """enterprise / ad_hoc / development / app_store from the profile's device rules."""
    if all_devices:
        return "enterprise"
    if device_count:
        if get_task_allow is True:
            return "development"
        return "ad_hoc" if get_task_allow is False else "unknown"
    return "app_store" if get_task_allow is not True else "unknown"


def _certificates(
    value: PlistValue, findings: Findings, entry: str | None
) -> list[CertificateFacts]:
    out: list[CertificateFacts] = []
    for item in items(value)[:MAX_CERTS]:
        if not isinstance(item, bytes):
            findings.anomaly("provision_bad_certificate", type(item).__name__, entry=entry)
            continue
        cert, facts = read_certificate(item)
        if cert is None:
            findings.anomaly("provision_bad_certificate", f"{len(item)} bytes", entry=entry)
        out.append(facts)
    return out


def _check_expiry(
    facts: ProvisionFacts, findings: Findings, entry: str | None, now: datetime
) -> None:
    expires = parse_iso(facts.expiration_date)
    if expires is not None and expires < now:
        scanned = now.strftime("%Y-%m-%dT%H:%M:%SZ")
        created = facts.creation_date
        detail = f"expired {facts.expiration_date} (created {created}), scanned {scanned}"
        findings.anomaly("provision_expired", detail, entry=entry)


def parse_iso(value: str | None) -> datetime | None:
    """A plist date string back to an aware datetime (None when absent or odd)."""
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def app_id_covers(application_identifier: str, bundle_id: str, prefixes: list[str]) -> bool:
    """Whether a profile's application-identifier (TEAM.bundle, wildcards) covers bundle_id."""
    app_id = application_identifier
    for prefix in prefixes:
        if app_id.startswith(prefix + "."):
            app_id = app_id[len(prefix) + 1 :]
            break
    else:
        if "." in app_id:
            app_id = app_id.split(".", 1)[1]
    if app_id == "*":
        return True
    if app_id.endswith(".*"):
        return bundle_id.startswith(app_id[:-1])
    return app_id == bundle_id
