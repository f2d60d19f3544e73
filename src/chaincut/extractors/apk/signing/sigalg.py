"""Signature algorithms of APK Signature Scheme v2/v3 (and the v3 lineage), by 32-bit ID.

Each ID fixes the key type, the hash, the padding and which whole-APK content digest the
signer commits to. ``pick_to_verify`` mirrors apksig's getSignaturesToVerify: per minimum
platform version, the strongest digest wins; every pick must verify.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import load_der_public_key

from chaincut.extractors.apk.signing.dsakeys import is_dsa_public_key

Content = Literal["CHUNKED_SHA256", "CHUNKED_SHA512", "VERITY_CHUNKED_SHA256"]
KeyKind = Literal["RSA", "EC", "DSA"]
SDK_N = 24
SDK_P = 28

# Strength order of content digests (apksig compareContentDigestAlgorithm).
CONTENT_RANK: dict[str, int] = {
    "CHUNKED_SHA256": 0,
    "VERITY_CHUNKED_SHA256": 1,
    "CHUNKED_SHA512": 2,
}


@dataclass(frozen=True, slots=True)
class SigAlg:
    id: int
    name: str
    key: KeyKind
    hash: Literal["sha256", "sha512"]
    pss: bool
    content: Content
    min_sdk: int


_ALGS = (
    SigAlg(0x0101, "RSA_PSS_WITH_SHA256", "RSA", "sha256", True, "CHUNKED_SHA256", SDK_N),
    SigAlg(0x0102, "RSA_PSS_WITH_SHA512", "RSA", "sha512", True, "CHUNKED_SHA512", SDK_N),
    SigAlg(0x0103, "RSA_PKCS1_V1_5_WITH_SHA256", "RSA", "sha256", False, "CHUNKED_SHA256", SDK_N),
    SigAlg(0x0104, "RSA_PKCS1_V1_5_WITH_SHA512", "RSA", "sha512", False, "CHUNKED_SHA512", SDK_N),
    SigAlg(0x0201, "ECDSA_WITH_SHA256", "EC", "sha256", False, "CHUNKED_SHA256", SDK_N),
    SigAlg(0x0202, "ECDSA_WITH_SHA512", "EC", "sha512", False, "CHUNKED_SHA512", SDK_N),
    SigAlg(0x0301, "DSA_WITH_SHA256", "DSA", "sha256", False, "CHUNKED_SHA256", SDK_N),
    SigAlg(
        0x0421,
        "VERITY_RSA_PKCS1_V1_5_WITH_SHA256",
        "RSA",
        "sha256",
        False,
        "VERITY_CHUNKED_SHA256",
        SDK_P,
    ),
    SigAlg(
        0x0423, "VERITY_ECDSA_WITH_SHA256", "EC", "sha256", False, "VERITY_CHUNKED_SHA256", SDK_P
    ),
    SigAlg(
        0x0425, "VERITY_DSA_WITH_SHA256", "DSA", "sha256", False, "VERITY_CHUNKED_SHA256", SDK_P
    ),
)
ALGORITHMS: dict[int, SigAlg] = {a.id: a for a in _ALGS}

_KEY_CHECKS: dict[str, Callable[[object], bool]] = {
    "RSA": lambda key: isinstance(key, rsa.RSAPublicKey),
    "EC": lambda key: isinstance(key, ec.EllipticCurvePublicKey),
    "DSA": is_dsa_public_key,
}


class KeyError_(ValueError):
    """The public key bytes do not decode as a key of the algorithm's type."""


def algorithm_name(alg_id: int) -> str:
    alg = ALGORITHMS.get(alg_id)
    return alg.name if alg else f"UNKNOWN_0x{alg_id:04x}"


def load_key(spki: bytes, kind: KeyKind) -> object:
    """Decode SubjectPublicKeyInfo DER as Java's KeyFactory.getInstance(kind) would."""
    try:
        key = load_der_public_key(spki)
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
        raise KeyError_(str(exc)) from exc
    if not _KEY_CHECKS[kind](key):
        raise KeyError_(f"key is not {kind}")
    return key


def verify(alg: SigAlg, key: object, data: bytes | memoryview, signature: bytes) -> bool:
    """True when ``signature`` verifies over ``data``; malformed signatures are just False."""
    digest: hashes.HashAlgorithm = hashes.SHA256() if alg.hash == "sha256" else hashes.SHA512()
    if not _KEY_CHECKS[alg.key](key):
        return False  # Java's initVerify rejects a key of the wrong type
    try:
        if isinstance(key, rsa.RSAPublicKey):
            pad: padding.AsymmetricPadding = (
                padding.PSS(mgf=padding.MGF1(digest), salt_length=digest.digest_size)
                if alg.pss
                else padding.PKCS1v15()
            )
            key.verify(signature, bytes(data), pad, digest)
        elif isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(signature, bytes(data), ec.ECDSA(digest))
        elif is_dsa_public_key(key):
            key.verify(signature, bytes(data), digest)
        else:
            return False
    except (InvalidSignature, ValueError, TypeError, UnsupportedAlgorithm):
        return False
    return True


def pick_to_verify(
    sigs: list[tuple[SigAlg, bytes]], min_sdk: int, max_sdk: int
) -> list[tuple[SigAlg, bytes]] | str:
    """Signatures Android would check on [min_sdk, max_sdk], or the reason there are none."""
    best: dict[int, tuple[SigAlg, bytes]] = {}
    lowest = None
    for alg, sig in sigs:
        if alg.min_sdk > max_sdk:
            continue
        lowest = alg.min_sdk if lowest is None else min(lowest, alg.min_sdk)
        cur = best.get(alg.min_sdk)
        if cur is None or CONTENT_RANK[alg.content] > CONTENT_RANK[cur[0].content]:
            best[alg.min_sdk] = (alg, sig)
    if lowest is None:
        return "no supported signature algorithm"
    if min_sdk < lowest:
        return f"no signature algorithm supported on API level {min_sdk} (lowest is {lowest})"
    return sorted(best.values(), key=lambda item: item[0].id)
