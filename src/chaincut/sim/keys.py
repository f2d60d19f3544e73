"""Deterministic signing keys and certificates for the simulated world.

A world must be byte-identical for one seed, so keys cannot come from the OS random
source: RSA primes are drawn from a ``random.Random`` seeded by the key's name. Keys are
1024-bit (two 512-bit primes, ~50 ms each in pure Python) — the size many fraud apps use,
and fast enough for hundreds of artifacts. RSA PKCS#1 v1.5 signatures are deterministic, so
certificates and signatures over the same bytes are identical too.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

_SMALL_PRIMES = [p for p in range(3, 2000) if all(p % q for q in range(2, int(p**0.5) + 1))]
EXPONENT = 65537
EPOCH = datetime(2023, 1, 1, tzinfo=UTC)


def _probably_prime(n: int, rng: random.Random, rounds: int = 24) -> bool:
    for p in _SMALL_PRIMES:
        if n % p == 0:
            return n == p
    d, s = n - 1, 0
    while d % 2 == 0:
        d, s = d // 2, s + 1
    for _ in range(rounds):
        x = pow(rng.randrange(2, n - 2), d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = x * x % n
            if x == n - 1:
                break
        else:
            return False
    return True


def _prime(bits: int, rng: random.Random) -> int:
    while True:
        candidate = rng.getrandbits(bits) | (3 << (bits - 2)) | 1
        if candidate % EXPONENT != 1 and _probably_prime(candidate, rng):
            return candidate


@lru_cache(maxsize=512)
def rsa_key(name: str, bits: int = 1024) -> rsa.RSAPrivateKey:
    """The RSA key called ``name``: the same name always gives the same key."""
    rng = random.Random(hashlib.sha256(f"chaincut-sim-key:{name}".encode()).digest())
    while True:
        p, q = _prime(bits // 2, rng), _prime(bits // 2, rng)
        if p != q:
            break
    p, q = max(p, q), min(p, q)
    n, phi = p * q, (p - 1) * (q - 1)
    d = pow(EXPONENT, -1, phi)
    numbers = rsa.RSAPrivateNumbers(
        p=p,
        q=q,
        d=d,
        dmp1=d % (p - 1),
        dmq1=d % (q - 1),
        iqmp=pow(q, -1, p),
        public_numbers=rsa.RSAPublicNumbers(EXPONENT, n),
    )
    return numbers.private_key()


@dataclass(frozen=True)
class Signer:
    """A key and its self-signed certificate: one developer's (or brand's) signing identity."""

    name: str
    key: rsa.RSAPrivateKey
    cert: x509.Certificate

    @property
    def cert_der(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.DER)

    @property
    def cert_sha256(self) -> str:
        """What chaincut reports as ``cert_sha256`` (sha256 of the DER certificate)."""
        return hashlib.sha256(self.cert_der).hexdigest()


def _name(common: str, org: str | None) -> x509.Name:
    attrs = [x509.NameAttribute(NameOID.COMMON_NAME, common)]
    if org:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, org))
    attrs.append(x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"))
    return x509.Name(attrs)


@lru_cache(maxsize=512)
def signer(name: str, common: str, org: str | None = None, days_offset: int = 0) -> Signer:
    """A self-signed signer, deterministic in its arguments (serial and dates included)."""
    key = rsa_key(name)
    subject = _name(common, org)
    serial = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big") | 1
    start = EPOCH + timedelta(days=days_offset)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(serial)
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=365 * 25))
        .sign(key, hashes.SHA256())
    )
    return Signer(name=name, key=key, cert=cert)


def issued(name: str, common: str, org: str | None, issuer: Signer, ca: bool = False) -> Signer:
    """A certificate for ``name`` issued by ``issuer`` (fake Apple signers, profile signers)."""
    key = rsa_key(name)
    serial = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big") | 1
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(common, org))
        .issuer_name(issuer.cert.subject)
        .public_key(key.public_key())
        .serial_number(serial)
        .not_valid_before(EPOCH)
        .not_valid_after(EPOCH + timedelta(days=365 * 10))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    return Signer(name=name, key=key, cert=builder.sign(issuer.key, hashes.SHA256()))
