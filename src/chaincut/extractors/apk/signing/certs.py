"""X.509 signing certificates: parse leniently, fingerprint the bytes as stored, name known keys.

Fingerprints are over the DER exactly as it sits in the APK (what apksigner prints), even
when the encoding is BER and has to be re-encoded for the crypto library to read it.
"""

from __future__ import annotations

import hashlib
import json
import warnings
from functools import cache
from importlib import resources
from typing import Any

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa
from cryptography.x509.oid import NameOID

from chaincut.extractors.apk.signing.dsakeys import is_dsa_public_key
from chaincut.facts.models import CertificateFacts

# cryptography warns (UserWarning) about out-of-spec name attributes, e.g. a three-letter
# country; APK signing certificates are self-made and often out of spec. That is not a
# message for the user's terminal; the certificate is still read and fingerprinted.
warnings.filterwarnings("ignore", message="Attribute's length must be", category=UserWarning)

_NAME_OVERRIDES = {NameOID.EMAIL_ADDRESS: "EMAILADDRESS"}


def load_cert(der: bytes) -> tuple[x509.Certificate | None, bool]:
    """The parsed certificate and whether it was strict DER; (None, False) if unparsable."""
    try:
        return x509.load_der_x509_certificate(der), True
    except (ValueError, x509.InvalidVersion):  # InvalidVersion is not a ValueError
        pass
    try:
        parsed = asn1_x509.Certificate.load(der)
        parsed.native  # noqa: B018 -- force a full parse so garbage fails here
        return x509.load_der_x509_certificate(parsed.dump(force=True)), False
    except Exception:  # asn1crypto raises many types on hostile input
        return None, False


def name_string(name: x509.Name) -> str:
    """RFC 4514 string (most specific first, as Java's getName() prints it)."""
    try:
        return name.rfc4514_string(_NAME_OVERRIDES)
    except ValueError:
        return "<undecodable name>"


def _attrs(name: x509.Name) -> dict[str, str]:
    out: dict[str, str] = {}
    try:
        for attr in name:
            key = _NAME_OVERRIDES.get(attr.oid) or attr.rfc4514_attribute_name
            out[key] = str(attr.value)
    except (ValueError, TypeError):
        return {}
    return out


@cache
def _known() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("known_keys.json").read_text()
    data: dict[str, Any] = json.loads(text)
    return data


def known_key(sha256: str, cert: x509.Certificate | None) -> str | None:
    """Name of a public/test key this certificate belongs to, if any."""
    known = _known()
    hit = known["fingerprints"].get(sha256)
    if hit is not None:
        return str(hit["name"])
    if cert is None:
        return None
    try:
        subject = _attrs(cert.subject)
    except (ValueError, TypeError):  # names decode lazily: a bad one raises here
        return None
    for entry in known["subjects"]:
        if subject == entry["subject"]:
            return str(entry["name"])
    return None


def _key(cert: x509.Certificate) -> tuple[str | None, int | None]:
    try:
        key = cert.public_key()
    except (ValueError, TypeError, UnsupportedAlgorithm):
        return None, None
    if isinstance(key, rsa.RSAPublicKey):
        return "RSA", key.key_size
    if isinstance(key, ec.EllipticCurvePublicKey):
        return "EC", key.curve.key_size
    if is_dsa_public_key(key):
        return "DSA", key.key_size
    if isinstance(key, ed25519.Ed25519PublicKey):
        return "Ed25519", 256
    if isinstance(key, ed448.Ed448PublicKey):
        return "Ed448", 456
    return type(key).__name__, None


def _self_signed(cert: x509.Certificate) -> bool:
    try:
        if cert.subject != cert.issuer:
            return False
        cert.verify_directly_issued_by(cert)
    except Exception:  # unsupported algorithm, bad signature, odd key: not provably self-signed
        return False
    return True


def _name(cert: x509.Certificate, which: str) -> str:
    """cryptography decodes names lazily: a broken one raises on first access."""
    try:
        return name_string(cert.subject if which == "subject" else cert.issuer)
    except (ValueError, TypeError):  # lazy decoding
        return "<undecodable name>"


def _serial(cert: x509.Certificate) -> str:
    try:
        return format(cert.serial_number, "x")
    except (ValueError, TypeError):  # lazy decoding
        return ""


def _iso(cert: x509.Certificate, which: str) -> str | None:
    try:
        value = cert.not_valid_before_utc if which == "before" else cert.not_valid_after_utc
    except (ValueError, TypeError):  # lazy decoding
        return None
    return value.isoformat()


def _sig_name(cert: x509.Certificate) -> str | None:
    try:
        oid = cert.signature_algorithm_oid
    except (ValueError, TypeError):  # lazy decoding
        return None
    return str(getattr(oid, "_name", None) or oid.dotted_string)


def fingerprint(der: bytes) -> str:
    return hashlib.sha256(der).hexdigest()


def certificate_facts(der: bytes, cert: x509.Certificate | None) -> CertificateFacts:
    """Facts about one certificate; fields that cannot be decoded stay empty."""
    sha256 = fingerprint(der)
    base: dict[str, Any] = {
        "sha256": sha256,
        "sha1": hashlib.sha1(der).hexdigest(),
        "md5": hashlib.md5(der).hexdigest(),
        "known_key": known_key(sha256, cert),
    }
    if cert is None:
        return CertificateFacts(
            **base,
            subject="",
            issuer="",
            serial="",
            not_before=None,
            not_after=None,
            self_signed=False,
        )
    key_type, key_bits = _key(cert)
    return CertificateFacts(
        **base,
        subject=_name(cert, "subject"),
        issuer=_name(cert, "issuer"),
        serial=_serial(cert),
        not_before=_iso(cert, "before"),
        not_after=_iso(cert, "after"),
        self_signed=_self_signed(cert),
        key_type=key_type,
        key_bits=key_bits,
        signature_algorithm=_sig_name(cert),
    )
