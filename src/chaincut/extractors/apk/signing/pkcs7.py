"""Verify a JAR signature block (.RSA/.DSA/.EC, PKCS#7 SignedData) over its .SF file.

Follows apksig's V1SchemeVerifier: which SignerInfos are tried depends on minSdkVersion
(only the first before Android N), algorithms must be supported on every targeted API
level, signed attributes are verified with the IMPLICIT [0] tag swapped for SET, and the
chain is rebuilt from the bag of certificates by issuer name.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from asn1crypto import cms
from asn1crypto import core as asn1_core
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from chaincut.extractors.apk.signing.certs import load_cert
from chaincut.extractors.apk.signing.dsakeys import is_dsa_public_key
from chaincut.extractors.apk.signing.v1algs import (
    DIGEST_OIDS,
    jca_signature,
    supported_from,
)

SDK_KITKAT = 19
SDK_N = 24
MAX_CERTS = 64
OID_SIGNED_DATA = "1.2.840.113549.1.7.2"
OID_CONTENT_TYPE = "1.2.840.113549.1.9.3"
OID_MESSAGE_DIGEST = "1.2.840.113549.1.9.4"
# Extensions Java's X509Certificate understands; any other critical one rejects the signer.
KNOWN_EXTENSIONS = frozenset(
    "2.5.29." + s
    for s in ("9", "14", "15", "16", "17", "18", "19", "30", "31", "32", "33", "35", "36", "37")
) | {"2.5.29.46", "2.5.29.54", "1.3.6.1.5.5.7.1.1", "1.3.6.1.5.5.7.1.11"}
_HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    "md5": hashes.MD5,
    "sha1": hashes.SHA1,
    "sha224": hashes.SHA224,
    "sha256": hashes.SHA256,
    "sha384": hashes.SHA384,
    "sha512": hashes.SHA512,
}


class BlockError(Exception):
    """A failure that ends this signer (apksig adds an error, not just 'did not verify')."""

    def __init__(self, code: str, words: str) -> None:
        super().__init__(words)
        self.code = code
        self.words = words
        self.claimed: list[bytes] = []  # certificates the block carries, verified or not


@dataclass(slots=True)
class BlockResult:
    chain: list[bytes] = field(default_factory=list)  # leaf first
    digest_algorithm: str | None = None


def verify_block(block: bytes, sf: bytes, min_sdk: int, max_sdk: int) -> BlockResult:
    """The verified signer's certificate chain; raises BlockError when it does not verify.

    asn1crypto parses lazily, so a corrupt block can raise on any later field access, not
    only in ``_parse``; every such failure is the block's, and becomes a BlockError here.
    """
    try:
        return _verify_block(block, sf, min_sdk, max_sdk)
    except BlockError as exc:
        exc.claimed = claimed_chain(block)
        raise
    except Exception as exc:  # asn1crypto raises many exception types on garbage
        error = BlockError("v1_pkcs7_unparsable", f"PKCS#7 does not parse: {exc}")
        error.claimed = claimed_chain(block)
        raise error from exc


def claimed_chain(block: bytes) -> list[bytes]:
    """The certificates a block that does not verify claims: its signer's chain first.

    The first SignerInfo's certificate and its issuers lead, as in a verified chain; the
    other certificates of the bag follow. Empty when the block does not parse at all.
    """
    try:
        _, infos, bag = _parse(block)
    except Exception:  # a block that does not parse claims nothing we can read
        return []
    try:  # names and serials decode lazily: a broken one raises here
        found = _find(bag, infos[0]) if infos else None
        chain = _chain(bag, *found) if found is not None else []
    except Exception:
        chain = []
    return chain + [der for der, _, _ in bag if der not in chain]


def _verify_block(block: bytes, sf: bytes, min_sdk: int, max_sdk: int) -> BlockResult:
    signed, infos, bag = _parse(block)
    if not infos:
        raise BlockError("v1_pkcs7_unparsable", "signature block has no signers")
    to_try = infos[:1] if min_sdk < SDK_N else infos
    for info in to_try:
        found = _verify_info(signed, info, bag, sf, min_sdk, max_sdk)
        if found is not None:
            der, cert = found
            return BlockResult(_chain(bag, der, cert), _digest_name(info))
    raise BlockError("v1_signature_invalid", "signature block did not verify against .SF")


def _digest_name(info: Any) -> str | None:
    return DIGEST_OIDS.get(info["digest_algorithm"]["algorithm"].dotted)


def _parse(block: bytes) -> tuple[Any, list[Any], list[tuple[bytes, x509.Certificate, Any]]]:
    try:
        info = cms.ContentInfo.load(block)
        if info["content_type"].dotted != OID_SIGNED_DATA:
            raise BlockError("v1_pkcs7_unparsable", "ContentInfo is not SignedData")
        signed = info["content"]
        infos = list(signed["signer_infos"])
        certs = signed["certificates"]
        # isinstance, not .native: .native would decode every certificate into Python objects
        raw = [] if isinstance(certs, asn1_core.Void) else [c.chosen.dump() for c in certs]
    except BlockError:
        raise
    except Exception as exc:  # asn1crypto raises many exception types on garbage
        raise BlockError("v1_pkcs7_unparsable", f"PKCS#7 does not parse: {exc}") from exc
    bag: list[tuple[bytes, x509.Certificate, Any]] = []
    for der in raw[:MAX_CERTS]:
        cert, _ = load_cert(der)
        if cert is None:
            raise BlockError("v1_pkcs7_unparsable", "a certificate in the signature block is bad")
        bag.append((der, cert, asn1_x509.Certificate.load(der)))
    return signed, infos, bag


def _find(bag: list[tuple[bytes, x509.Certificate, Any]], info: Any) -> tuple[bytes, Any] | None:
    sid = info["sid"]
    if sid.name != "issuer_and_serial_number":
        return None
    issuer, serial = sid.chosen["issuer"], sid.chosen["serial_number"].native
    for der, cert, parsed in bag:
        tbs = parsed["tbs_certificate"]
        if tbs["serial_number"].native != serial:
            continue
        # Byte-equal DER is the common case; asn1crypto's semantic compare (RFC 5280 string
        # prep, slow) only decides when the encodings differ.
        if tbs["issuer"].dump() == issuer.dump() or tbs["issuer"] == issuer:
            return der, cert
    return None


def _verify_info(
    signed: Any,
    info: Any,
    bag: list[tuple[bytes, x509.Certificate, Any]],
    sf: bytes,
    min_sdk: int,
    max_sdk: int,
) -> tuple[bytes, x509.Certificate] | None:
    digest_oid = info["digest_algorithm"]["algorithm"].dotted
    sig_oid = info["signature_algorithm"]["algorithm"].dotted
    lowest = supported_from(digest_oid, sig_oid)
    if lowest is None or lowest > min_sdk:
        raise BlockError(
            "v1_unsupported_algorithm",
            f"digest {digest_oid} with signature {sig_oid} is not supported on API {min_sdk}+",
        )
    found = _find(bag, info)
    if found is None:
        raise BlockError("v1_signer_certificate_missing", "signing certificate not in SignedData")
    der, cert = found
    _check_usage(cert)
    hash_name, key_kind = jca_signature(digest_oid, sig_oid)
    data = _signed_bytes(signed, info, sf, digest_oid, min_sdk)
    if data is None:
        return None
    signature = info["signature"].native
    return (der, cert) if _crypto_verify(cert, key_kind, hash_name, data, signature) else None


def _check_usage(cert: x509.Certificate) -> None:
    try:
        extensions = list(cert.extensions)
    except Exception as exc:  # extension parse failure: Java would not parse the cert either
        raise BlockError("v1_signature_invalid", "certificate extensions unparsable") from exc
    for ext in extensions:
        if ext.critical and ext.oid.dotted_string not in KNOWN_EXTENSIONS:
            raise BlockError("v1_signature_invalid", "unsupported critical extension")
        usage = ext.value
        if isinstance(usage, x509.KeyUsage) and not (
            usage.digital_signature or usage.content_commitment
        ):
            raise BlockError("v1_signature_invalid", "key usage forbids digital signatures")


def _signed_bytes(signed: Any, info: Any, sf: bytes, digest_oid: str, min_sdk: int) -> bytes | None:
    attrs = info["signed_attrs"]
    if not attrs.contents:
        return sf
    if min_sdk < SDK_KITKAT:
        raise BlockError("v1_signature_invalid", "signed attributes are unsafe before API 19")
    values = _attributes(attrs)
    content_type = _single(values, OID_CONTENT_TYPE)
    if content_type is None:
        raise BlockError("v1_signature_invalid", "no content type in signed attributes")
    if content_type.dotted != signed["encap_content_info"]["content_type"].dotted:
        return None
    expected = _single(values, OID_MESSAGE_DIGEST)
    if expected is None:
        raise BlockError("v1_signature_invalid", "no content digest in signed attributes")
    hash_name = DIGEST_OIDS.get(digest_oid, "")
    if hashlib.new(hash_name, sf).digest() != expected.native:
        return None
    encoded: bytes = attrs.dump()
    return b"\x31" + encoded[1:]


def _attributes(attrs: Any) -> dict[str, list[Any]]:
    try:
        out: dict[str, list[Any]] = {}
        for attr in attrs:
            oid = attr["type"].dotted
            if oid in out:
                raise BlockError("v1_pkcs7_unparsable", f"duplicate signed attribute {oid}")
            out[oid] = list(attr["values"])
        return out
    except BlockError:
        raise
    except Exception as exc:
        raise BlockError("v1_pkcs7_unparsable", f"signed attributes unparsable: {exc}") from exc


def _single(values: dict[str, list[Any]], oid: str) -> Any:
    items = values.get(oid)
    if not items:
        return None
    if len(items) > 1:
        raise BlockError("v1_pkcs7_unparsable", f"attribute {oid} has multiple values")
    return items[0]


def _crypto_verify(
    cert: x509.Certificate, key_kind: str, hash_name: str, data: bytes, signature: bytes
) -> bool:
    try:
        key = cert.public_key()
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
        raise BlockError("v1_signature_invalid", f"unusable public key: {exc}") from exc
    algorithm = _HASHES[hash_name]()
    try:
        if key_kind == "RSA" and isinstance(key, rsa.RSAPublicKey):
            key.verify(signature, data, padding.PKCS1v15(), algorithm)
        elif key_kind == "DSA" and is_dsa_public_key(key):
            key.verify(signature, data, algorithm)
        elif key_kind == "EC" and isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(signature, data, ec.ECDSA(algorithm))
        else:
            raise BlockError("v1_signature_invalid", f"{key_kind} signature with another key type")
    except (InvalidSignature, ValueError, TypeError, UnsupportedAlgorithm):
        return False
    return True


def _chain(
    bag: list[tuple[bytes, x509.Certificate, Any]], der: bytes, leaf: x509.Certificate
) -> list[bytes]:
    """Leaf then issuers found by subject name in the bag (apksig getCertificateChain)."""
    unused = [(d, c) for d, c, _ in bag if d != der]
    chain, root = [der], leaf
    while root.subject != root.issuer and len(chain) < MAX_CERTS:
        nxt = next(((d, c) for d, c in unused if c.subject == root.issuer), None)
        if nxt is None:
            break
        unused.remove(nxt)
        chain.append(nxt[0])
        root = nxt[1]
    return chain
