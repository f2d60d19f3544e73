"""Certificate facts that survive certificates the crypto library parses only lazily.

cryptography decodes names on first access, so a certificate that loads can still raise
ValueError later (e.g. a corrupt subject). Such a certificate is fingerprinted and kept
without decoded fields, and treated as unusable for chains and verification.
"""

from __future__ import annotations

from cryptography import x509

from chaincut.extractors.apk.signing.certs import certificate_facts, load_cert
from chaincut.facts.models import CertificateFacts


def read_certificate(der: bytes) -> tuple[x509.Certificate | None, CertificateFacts]:
    """(parsed certificate or None when unusable, facts); never raises."""
    cert, _ = load_cert(der)
    if cert is not None:
        try:
            cert.subject, cert.issuer  # noqa: B018 -- force the lazy name decoding here
            return cert, certificate_facts(der, cert)
        except ValueError:
            pass
    return None, certificate_facts(der, None)
