"""Check a SignerInfo: messageDigest against the content, then the signature itself.

Only what a profile needs: RSA PKCS#1 v1.5, RSA-PSS and ECDSA with SHA-1/2 digests.
Anything else is reported as unsupported rather than guessed at.
"""

from __future__ import annotations

import hashlib
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

OID_MESSAGE_DIGEST = "1.2.840.113549.1.9.4"
OID_SIGNING_TIME = "1.2.840.113549.1.9.5"
_HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    "sha1": hashes.SHA1,
    "sha224": hashes.SHA224,
    "sha256": hashes.SHA256,
    "sha384": hashes.SHA384,
    "sha512": hashes.SHA512,
}


class VerifyProblem(Exception):
    """Why a signature could not be judged or did not verify; ``code`` is a CMS code."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


def signed_attribute(info: Any, oid: str) -> Any:
    """The single value of a signed attribute, or None."""
    attrs = info["signed_attrs"]
    if not attrs.contents:
        return None
    for attr in attrs:
        if attr["type"].dotted == oid:
            values = list(attr["values"])
            return values[0] if values else None
    return None


def verify_signer(info: Any, cert: x509.Certificate, content: bytes) -> None:
    """Raise VerifyProblem unless the signer's digest and signature both check out."""
    digest_name = str(info["digest_algorithm"]["algorithm"].native)
    if digest_name not in _HASHES:
        raise VerifyProblem("cms_unsupported_algorithm", f"digest {digest_name}")
    data = content
    if info["signed_attrs"].contents:
        expected = signed_attribute(info, OID_MESSAGE_DIGEST)
        if expected is None:
            raise VerifyProblem("cms_digest_mismatch", "no messageDigest signed attribute")
        if hashlib.new(digest_name, content).digest() != expected.native:
            raise VerifyProblem("cms_digest_mismatch", f"{digest_name} of the content differs")
        data = b"\x31" + info["signed_attrs"].dump()[1:]  # signed as a SET, not [0]
    _check(info, cert, _HASHES[digest_name](), data)


def _check(info: Any, cert: x509.Certificate, algorithm: hashes.HashAlgorithm, data: bytes) -> None:
    sig_algo = info["signature_algorithm"]
    signature = info["signature"].native
    try:
        kind = sig_algo.signature_algo
        key = cert.public_key()
    except (ValueError, TypeError, UnsupportedAlgorithm, KeyError) as exc:
        raise VerifyProblem("cms_unsupported_algorithm", f"signature algorithm: {exc}") from None
    try:
        if kind == "rsassa_pkcs1v15" and isinstance(key, rsa.RSAPublicKey):
            key.verify(signature, data, padding.PKCS1v15(), algorithm)
        elif kind == "rsassa_pss" and isinstance(key, rsa.RSAPublicKey):
            pss = padding.PSS(padding.MGF1(algorithm), padding.PSS.AUTO)
            key.verify(signature, data, pss, algorithm)
        elif kind == "ecdsa" and isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(signature, data, ec.ECDSA(algorithm))
        else:
            raise VerifyProblem("cms_unsupported_algorithm", f"{kind} with {type(key).__name__}")
    except (InvalidSignature, ValueError, TypeError, UnsupportedAlgorithm):
        raise VerifyProblem("cms_signature_invalid", "signature does not verify") from None
