"""What the artifact is, said before what is wrong with it.

An investigator reads a report top-down: which app (name, package or bundle id, version),
who signed it (subject, sha256, verified or not), what it may do (the permissions that
matter), and how it reaches victims (side-loaded file, ad-hoc or enterprise profile, link,
QR code). ``describe`` reads these from the facts document once, so every face (text,
HTML, JSON, the web server) shows the same identity block; builders and packers are
already in the result's ``components``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

from chaincut.facts.models import CertificateFacts, FactsDocument

PERMISSIONS_FILE = Path(__file__).resolve().parents[1] / "knowledge" / "data" / "permissions.yaml"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Signer(_Frozen):
    subject: str
    sha256: str
    verified: bool | None = None  # None: not checked (no signature to check it against)
    reason: str = ""


class Permission(_Frozen):
    name: str
    why: str


class Subject(_Frozen):
    """The identity block of a report. Every field is optional: inputs differ."""

    name: str | None = None  # app label, profile or page title, host of a link
    id: str | None = None  # package, bundle id, profile identifier
    version: str | None = None
    signers: list[Signer] = Field(default_factory=list)
    team: str | None = None  # Apple team id and name, as Apple spells them
    permissions: list[Permission] = Field(default_factory=list)  # the ones that matter
    distribution: str | None = None  # how it reaches a victim


@cache
def permission_notes() -> dict[str, str]:
    """Permission → what it lets an app do (knowledge/data/permissions.yaml)."""
    raw = yaml.safe_load(PERMISSIONS_FILE.read_text(encoding="utf-8")) or {}
    found = raw.get("permissions") or {}
    return {str(k): str(v) for k, v in found.items()}


def _signer(cert: CertificateFacts, verified: bool | None, reason: str = "") -> Signer:
    own = getattr(cert, "verified", None)  # per-certificate verdict, when the reader keeps one
    mark = own if isinstance(own, bool) else verified
    why = getattr(cert, "reason", None)
    return Signer(
        subject=cert.subject,
        sha256=cert.sha256,
        verified=mark,
        reason=why if isinstance(why, str) and why else reason,
    )


def _version(name: str | None, code: int | str | None) -> str | None:
    if name and code is not None:
        return f"{name} ({code})"
    return name or (str(code) if code is not None else None)


def _apk(doc: FactsDocument) -> Subject:
    apk = doc.apk
    assert apk is not None
    notes = permission_notes()
    perms = [Permission(name=p, why=notes[p]) for p in apk.permissions if p in notes]
    signing = apk.signing
    schemes = ", ".join(k for k, v in signing.schemes.items() if v) or "unsigned"
    where = "fetched from " + doc.fetch.requested if doc.fetch else "side-loaded APK file"
    return Subject(
        name=apk.label,
        id=apk.package,
        version=_version(apk.version_name, apk.version_code),
        signers=[_signer(c, signing.verified, signing.reason) for c in signing.certificates],
        permissions=perms,
        distribution=f"{where} (signature {schemes})",
    )


def _ipa(doc: FactsDocument) -> Subject:
    ipa = doc.ipa
    assert ipa is not None
    prov = ipa.provision
    team, dist = None, "IPA without a provisioning profile"
    signers: list[Signer] = []
    if prov is not None:
        team = " ".join(x for x in (prov.team_id, prov.team_name) if x) or None
        devices = "all devices" if prov.provisions_all_devices else f"{prov.device_count} devices"
        dist = f"{prov.distribution} profile ({devices})"
        if prov.expiration_date:
            dist += f", expires {prov.expiration_date}"
        signers = [_signer(c, None) for c in prov.certificates]
    return Subject(
        name=ipa.display_name or ipa.name,
        id=ipa.bundle_id,
        version=_version(ipa.version, ipa.build),
        signers=signers,
        team=team,
        distribution=dist,
    )


def _mobileconfig(doc: FactsDocument) -> Subject:
    mc = doc.mobileconfig
    assert mc is not None
    signers = [_signer(mc.signer, mc.signature_valid)] if mc.signer else []
    kinds = sorted({p.type.removeprefix("com.apple.") for p in mc.payloads})
    return Subject(
        name=mc.display_name,
        id=mc.identifier,
        signers=signers,
        team=mc.organization,
        distribution="configuration profile"
        + (f" installing {', '.join(kinds)}" if kinds else "")
        + (" collecting the phone's UDID" if mc.udid_service else "")
        + ("" if mc.signed else ", unsigned"),
    )


def _web(doc: FactsDocument) -> Subject:
    if doc.itms_manifest is not None:
        m = doc.itms_manifest
        return Subject(
            name=m.title,
            id=m.bundle_id,
            version=m.bundle_version,
            distribution="itms-services install manifest: installs an IPA outside the App Store",
        )
    if doc.page is not None:
        p = doc.page
        downloads = f", offers {len(p.downloads)} download(s)" if p.downloads else ""
        return Subject(name=p.title, id=p.url, distribution=f"landing page{downloads}".rstrip())
    if doc.url is not None:
        u = doc.url
        return Subject(name=u.host_unicode or u.host, id=u.registrable_domain,
                       distribution=f"link ({u.link_kind})")  # fmt: skip
    if doc.qr is not None:
        payloads = [c.payload for c in doc.qr.codes]
        return Subject(
            name=payloads[0] if payloads else None,
            distribution=f"QR image with {len(payloads)} code(s)",
        )
    return Subject()


def describe(doc: FactsDocument) -> Subject:
    """The identity block of ``doc``, whatever its kind."""
    if doc.apk is not None:
        return _apk(doc)
    if doc.ipa is not None:
        return _ipa(doc)
    if doc.mobileconfig is not None:
        return _mobileconfig(doc)
    return _web(doc)
