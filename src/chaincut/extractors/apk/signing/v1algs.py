"""Which (digest OID, signature OID) pairs Android accepts in JAR signatures, and from when.

Derived from apksig's OidConstants table. apksigner verifies for API levels [minSdk, any],
so only open-ended ranges matter here: a pair is usable when it is supported from some
level up to the newest. Closed ranges (e.g. 21-23) are useless for that and left out.
"""

from __future__ import annotations

DIGEST_OIDS: dict[str, str] = {
    "1.2.840.113549.2.5": "md5",
    "1.3.14.3.2.26": "sha1",
    "2.16.840.1.101.3.4.2.4": "sha224",
    "2.16.840.1.101.3.4.2.1": "sha256",
    "2.16.840.1.101.3.4.2.2": "sha384",
    "2.16.840.1.101.3.4.2.3": "sha512",
}
RSA, DSA, EC = "1.2.840.113549.1.1.1", "1.2.840.10040.4.1", "1.2.840.10045.2.1"
# signature OID -> (hash, key kind) for OIDs that name their own hash
SIG_OIDS: dict[str, tuple[str, str]] = {
    "1.2.840.113549.1.1.4": ("md5", "RSA"),
    "1.2.840.113549.1.1.5": ("sha1", "RSA"),
    "1.2.840.113549.1.1.14": ("sha224", "RSA"),
    "1.2.840.113549.1.1.11": ("sha256", "RSA"),
    "1.2.840.113549.1.1.12": ("sha384", "RSA"),
    "1.2.840.113549.1.1.13": ("sha512", "RSA"),
    "1.2.840.10040.4.3": ("sha1", "DSA"),
    "2.16.840.1.101.3.4.3.1": ("sha224", "DSA"),
    "2.16.840.1.101.3.4.3.2": ("sha256", "DSA"),
    "1.2.840.10045.4.1": ("sha1", "EC"),
    "1.2.840.10045.4.3.1": ("sha224", "EC"),
    "1.2.840.10045.4.3.2": ("sha256", "EC"),
    "1.2.840.10045.4.3.3": ("sha384", "EC"),
    "1.2.840.10045.4.3.4": ("sha512", "EC"),
}
_KEY_OIDS = {RSA: "RSA", DSA: "DSA", EC: "EC"}

# (digest, signature OID) -> lowest API level of the open-ended supported range.
# Pairs whose range starts at 0 but has a gap (e.g. 0-8 and 21+) count from the later start.
_OPEN_FROM: dict[tuple[str, str], int] = {
    ("md5", RSA): 0,
    ("md5", "1.2.840.113549.1.1.4"): 21,
    ("sha1", RSA): 0,
    ("sha1", "1.2.840.113549.1.1.5"): 0,
    ("sha224", RSA): 21,
    ("sha224", "1.2.840.113549.1.1.14"): 21,
    ("sha256", RSA): 18,
    ("sha256", "1.2.840.113549.1.1.11"): 18,
    ("sha384", RSA): 18,
    ("sha384", "1.2.840.113549.1.1.12"): 21,
    ("sha512", RSA): 18,
    ("sha512", "1.2.840.113549.1.1.13"): 21,
    ("sha1", DSA): 0,
    ("sha1", "1.2.840.10040.4.3"): 9,
    ("sha224", DSA): 22,
    ("sha224", "2.16.840.1.101.3.4.3.1"): 21,
    ("sha256", DSA): 22,
    ("sha256", "2.16.840.1.101.3.4.3.2"): 21,
    ("sha1", EC): 18,
    ("sha224", EC): 21,
    ("sha256", EC): 18,
    ("sha384", EC): 18,
    ("sha512", EC): 18,
    ("sha1", "1.2.840.10045.4.1"): 18,
    ("sha224", "1.2.840.10045.4.3.1"): 21,
    ("sha256", "1.2.840.10045.4.3.2"): 21,
    ("sha384", "1.2.840.10045.4.3.3"): 21,
    ("sha512", "1.2.840.10045.4.3.4"): 21,
}


def supported_from(digest_oid: str, sig_oid: str) -> int | None:
    """Lowest API level from which this pair verifies on every later level, or None."""
    digest = DIGEST_OIDS.get(digest_oid)
    return None if digest is None else _OPEN_FROM.get((digest, sig_oid))


def jca_signature(digest_oid: str, sig_oid: str) -> tuple[str, str]:
    """(hash name, key kind) Java's Signature would use for this pair."""
    if sig_oid in SIG_OIDS:
        return SIG_OIDS[sig_oid]
    return DIGEST_OIDS[digest_oid], _KEY_OIDS[sig_oid]
