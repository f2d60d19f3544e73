"""Read a CMS SignedData blob: content, certificates, signer, and whether it verifies.

Provisioning profiles and signed configuration profiles are SignedData around a plist.
asn1crypto parses lazily, so any field access on a hostile blob may raise; every access
sits behind one guard and turns into an anomaly, keeping what was read before it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from asn1crypto import cms
from asn1crypto import core as asn1_core
from cryptography import x509

from chaincut.extractors.cms.certfacts import read_certificate
from chaincut.extractors.cms.der import indefinite_end, outer
from chaincut.extractors.cms.verify import (
    OID_SIGNING_TIME,
    VerifyProblem,
    signed_attribute,
    verify_signer,
)
from chaincut.extractors.findings import Findings
from chaincut.facts.models import CertificateFacts

OID_SIGNED_DATA = "1.2.840.113549.1.7.2"
MAX_CERTS = 32
MAX_CMS = 32 * 1024 * 1024


@dataclass(slots=True)
class SignedMessage:
    """What a SignedData holds. ``signature_valid`` is None when it could not be judged."""

    content: bytes | None = None
    content_type: str | None = None
    certificates: list[CertificateFacts] = field(default_factory=list)
    signer: CertificateFacts | None = None
    signer_chain: list[CertificateFacts] = field(default_factory=list)  # signer first
    signature_valid: bool | None = None
    signing_time: str | None = None


def read_signed_data(buf: bytes, findings: Findings, *, entry: str | None = None) -> SignedMessage:
    """Everything readable from ``buf``; never raises."""
    out = SignedMessage()
    if len(buf) > MAX_CMS:
        findings.anomaly("cms_invalid", f"{len(buf)} bytes is over the limit", entry=entry)
        return out
    blob = _framed(buf, findings, entry)
    try:
        _read(blob, out, findings, entry)
    except Exception as exc:  # asn1crypto raises many exception types on garbage
        findings.anomaly("cms_invalid", f"{type(exc).__name__}: {str(exc)[:120]}", entry=entry)
    return out


def _framed(buf: bytes, findings: Findings, entry: str | None) -> bytes:
    """The blob without trailing bytes, reporting truncation, appended data, BER lengths."""
    head = outer(buf)
    if head is None:
        return buf
    end = head.end
    if end is None:
        findings.anomaly("cms_indefinite_length", "outer SEQUENCE", entry=entry)
        end = indefinite_end(buf)
        if end is None:
            findings.anomaly("cms_truncated", "indefinite-length content never ends", entry=entry)
            return buf
    if end > len(buf):
        findings.anomaly("cms_truncated", f"declares {end} bytes, has {len(buf)}", entry=entry)
    elif end < len(buf):
        findings.anomaly("cms_trailing_data", f"{len(buf) - end} bytes after the blob", entry=entry)
        return buf[:end]
    return buf


def _read(blob: bytes, out: SignedMessage, findings: Findings, entry: str | None) -> None:
    info = cms.ContentInfo.load(blob)
    if info["content_type"].dotted != OID_SIGNED_DATA:
        findings.anomaly("cms_not_signed_data", info["content_type"].dotted, entry=entry)
        return
    signed = info["content"]
    encap = signed["encap_content_info"]
    out.content_type = encap["content_type"].dotted
    content = encap["content"]
    if isinstance(content, asn1_core.Void) or content.contents is None:
        findings.anomaly("cms_no_content", "", entry=entry)
    else:
        native = content.native
        out.content = native if isinstance(native, bytes) else content.contents
    bag = _certificates(signed, out, findings, entry)
    _signer(signed, bag, out, findings, entry)


def _certificates(
    signed: Any, out: SignedMessage, findings: Findings, entry: str | None
) -> list[tuple[bytes, x509.Certificate | None, CertificateFacts]]:
    certs = signed["certificates"]
    raw = [] if isinstance(certs, asn1_core.Void) else [c.chosen.dump() for c in certs]
    if len(raw) > MAX_CERTS:
        findings.anomaly("cms_too_many_certificates", f"{len(raw)} certificates", entry=entry)
    bag = []
    for der in raw[:MAX_CERTS]:
        cert, facts = read_certificate(der)
        if cert is None:
            findings.anomaly("cms_bad_certificate", f"{len(der)} bytes", entry=entry)
        bag.append((der, cert, facts))
        out.certificates.append(facts)
    return bag


def _signer(
    signed: Any,
    bag: list[tuple[bytes, x509.Certificate | None, CertificateFacts]],
    out: SignedMessage,
    findings: Findings,
    entry: str | None,
) -> None:
    infos = list(signed["signer_infos"])
    if not infos:
        findings.anomaly("cms_no_signer", "", entry=entry)
        return
    info = infos[0]
    time = signed_attribute(info, OID_SIGNING_TIME)
    if time is not None:
        out.signing_time = time.native.isoformat().replace("+00:00", "Z")
    found = _find(info["sid"], bag)
    if found is None:
        findings.anomaly("cms_signer_certificate_missing", "", entry=entry)
        return
    _, cert, facts = found
    out.signer = facts
    out.signer_chain = _chain(found, bag)
    if cert is None or out.content is None:
        return
    try:
        verify_signer(info, cert, out.content)
    except VerifyProblem as problem:
        findings.anomaly(problem.code, problem.detail, entry=entry)
        out.signature_valid = False if problem.code != "cms_unsupported_algorithm" else None
        return
    out.signature_valid = True


def _find(
    sid: Any, bag: list[tuple[bytes, x509.Certificate | None, CertificateFacts]]
) -> tuple[bytes, x509.Certificate | None, CertificateFacts] | None:
    for item in bag:
        cert = item[1]
        if cert is None:
            continue
        if sid.name == "issuer_and_serial_number":
            chosen = sid.chosen
            if cert.serial_number == chosen["serial_number"].native and _same_issuer(
                cert, chosen["issuer"]
            ):
                return item
        elif sid.name == "subject_key_identifier" and _ski(cert) == sid.chosen.native:
            return item
    return None


def _same_issuer(cert: x509.Certificate, issuer: Any) -> bool:
    try:
        return bool(cert.issuer.public_bytes() == issuer.dump())
    except ValueError:
        return False


def _ski(cert: x509.Certificate) -> bytes | None:
    try:
        ext = cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier)
    except (x509.ExtensionNotFound, ValueError):
        return None
    return ext.value.digest


def _chain(
    leaf: tuple[bytes, x509.Certificate | None, CertificateFacts],
    bag: list[tuple[bytes, x509.Certificate | None, CertificateFacts]],
) -> list[CertificateFacts]:
    """Signer, then issuers found by subject name among the bag's certificates."""
    chain, current = [leaf[2]], leaf[1]
    unused = [item for item in bag if item is not leaf and item[1] is not None]
    while current is not None and current.subject != current.issuer and unused:
        nxt = next((item for item in unused if item[1] and item[1].subject == current.issuer), None)
        if nxt is None:
            break
        unused.remove(nxt)
        chain.append(nxt[2])
        current = nxt[1]
    return chain
