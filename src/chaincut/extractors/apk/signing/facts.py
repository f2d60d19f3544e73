"""Turn scheme results into SignerFacts/CertificateFacts and report their anomalies."""

from __future__ import annotations

from cryptography import x509

from chaincut.extractors.apk.signing import sigalg
from chaincut.extractors.apk.signing.certs import certificate_facts, fingerprint, load_cert
from chaincut.extractors.apk.signing.lineage import ALL_CAPABILITIES
from chaincut.extractors.apk.signing.v1 import V1Result
from chaincut.extractors.apk.signing.v2v3 import SchemeResult, Signer
from chaincut.extractors.findings import Findings
from chaincut.facts.models import CertificateFacts, SignerFacts

MAX_CERTS = 256


def _signer_reason(scheme: SchemeResult, signer: Signer, checked: bool) -> tuple[bool | None, str]:
    if not checked:
        return None, "not verified (verification skipped)"
    if signer.errors:
        return False, signer.errors[0][1]
    if scheme.errors:
        return False, scheme.errors[0][1]
    if not scheme.verified:
        return False, "scheme did not verify"
    return True, "verified"


def block_signers(scheme: SchemeResult, checked: bool) -> list[SignerFacts]:
    out: list[SignerFacts] = []
    for signer in scheme.signers:
        verified, reason = _signer_reason(scheme, signer, checked)
        out.append(
            SignerFacts(
                scheme=scheme.scheme,
                certificates=[fingerprint(d) for d in signer.certs],
                min_sdk=signer.min_sdk,
                max_sdk=signer.max_sdk,
                lineage=[fingerprint(n.der) for n in signer.lineage],
                verified=verified,
                reason=reason,
                digest_algorithms=[sigalg.algorithm_name(a) for a in signer.sig_algs],
            )
        )
    return out


def v1_signers(v1: V1Result, checked: bool) -> list[SignerFacts]:
    out: list[SignerFacts] = []
    for signer in v1.signers:
        if not checked:
            verified, reason = None, "not verified (verification skipped)"
        elif signer.errors:
            verified, reason = False, signer.errors[0][1]
        elif v1.verified and signer.used:
            verified, reason = True, "verified"
        elif v1.errors:
            verified, reason = False, v1.errors[0][1]
        else:
            verified, reason = False, "ignored: its .SF does not cover the APK"
        out.append(
            SignerFacts(
                scheme="v1",
                certificates=[fingerprint(d) for d in signer.chain],
                verified=verified,
                reason=reason,
                digest_algorithms=[signer.digest_algorithm] if signer.digest_algorithm else [],
                name=signer.name,
            )
        )
    return out


def orphan_signers(v1: V1Result) -> list[SignerFacts]:
    """Signature blocks without their .SF: never signers, their certificates a claim."""
    return [
        SignerFacts(
            scheme="v1",
            certificates=[fingerprint(d) for d in certs],
            verified=False,
            reason=f"{name} has no .SF file, so it signs nothing",
            name=name,
        )
        for name, certs in v1.orphans
    ]


def certificates(ordered: list[bytes], findings: Findings) -> list[CertificateFacts]:
    """Deduplicated facts, in the order given (effective signer certificates first)."""
    seen: set[str] = set()
    out: list[CertificateFacts] = []
    for der in ordered:
        sha = fingerprint(der)
        if sha in seen or len(out) >= MAX_CERTS:
            continue
        seen.add(sha)
        cert, strict = load_cert(der)
        if cert is None:
            findings.anomaly("signing_certificate_unparsable", f"certificate {sha[:16]}")
        elif not strict:
            findings.anomaly("signing_certificate_not_der", f"certificate {sha[:16]}")
        facts = certificate_facts(der, cert)
        _validity(facts, cert, findings)
        out.append(facts)
    return out


def mark_verified(
    certs: list[CertificateFacts], signers: list[SignerFacts], apk_verified: bool, apk_reason: str
) -> list[CertificateFacts]:
    """Say of every certificate whether a verified signature vouches for it, and if not why.

    A certificate is verified only when the APK verifies and a verified signer carries it
    (in its chain or rotation lineage); every other one is a claim, kept as evidence.
    """
    vouched: set[str] = set()
    why: dict[str, str] = {}
    for signer in signers:
        named = signer.name and signer.name not in signer.reason
        label = f"{signer.scheme} signer" + (f" {signer.name}" if named else "")
        for sha in [*signer.certificates, *signer.lineage]:
            if signer.verified:
                vouched.add(sha)
            else:
                why.setdefault(sha, f"{label}: {signer.reason or 'does not verify'}")
    out: list[CertificateFacts] = []
    for cert in certs:
        if apk_verified and cert.sha256 in vouched:
            update: dict[str, object] = {"verified": True, "reason": "verified"}
        elif not apk_verified and (cert.sha256 in vouched or cert.sha256 not in why):
            update = {"verified": False, "reason": f"the APK does not verify: {apk_reason}"}
        else:
            update = {"verified": False, "reason": why.get(cert.sha256, "no verified signer")}
        out.append(cert.model_copy(update=update))
    return out


def _validity(facts: CertificateFacts, cert: x509.Certificate | None, findings: Findings) -> None:
    if cert is None or facts.not_before is None or facts.not_after is None:
        return
    if facts.not_before > facts.not_after:
        findings.anomaly(
            "signing_certificate_validity_odd",
            f"certificate {facts.sha256[:16]} validity ends before it starts",
        )


def report_scheme(scheme: SchemeResult, findings: Findings) -> None:
    for code, words in scheme.errors:
        findings.anomaly(code, f"{scheme.scheme}: {words}")
    seen: set[bytes] = set()
    for signer in scheme.signers:
        for code, words in [*signer.errors, *signer.warnings]:
            findings.anomaly(code, f"{scheme.scheme} signer #{signer.index + 1}: {words}")
        if signer.certs and signer.certs[0] in seen:
            findings.anomaly(
                "signing_duplicate_signer", f"{scheme.scheme} signer #{signer.index + 1}"
            )
        if signer.certs:
            seen.add(signer.certs[0])
        for number, node in enumerate(signer.lineage[:-1], 1):
            if node.flags & ALL_CAPABILITIES != ALL_CAPABILITIES:
                findings.anomaly(
                    "signing_lineage_capabilities_dropped",
                    f"{scheme.scheme} lineage certificate #{number} flags 0x{node.flags:x}",
                )


def report_v1(v1: V1Result, findings: Findings) -> None:
    if not v1.present:
        return  # no JAR signature at all: its missing parts are not anomalies
    for code, words in [*v1.errors, *v1.warnings]:
        findings.anomaly(code, f"v1: {words}")
    seen: set[bytes] = set()
    for signer in v1.signers:
        for code, words in signer.errors:
            findings.anomaly(code, f"v1 {words}", entry=signer.name)
        if signer.chain and signer.chain[0] in seen:
            findings.anomaly("signing_duplicate_signer", "v1", entry=signer.name)
        if signer.chain:
            seen.add(signer.chain[0])
