"""DSA public keys, recognised without touching cryptography's deprecated public names.

cryptography 51 deprecates DSA: reading ``dsa.DSAPublicKey`` from its module warns, so an
``isinstance`` against it printed a ``CryptographyDeprecationWarning`` on every command.
Android still installs apps whose v1, v2 or v3 signers use DSA (apksig's corpus has them,
and old or repackaged fraud apps carry them), and chaincut only *reads* those signatures,
so it keeps verifying them. The class is taken from the warning-free alias cryptography
keeps for its own checks (``_DSAPublicKey``, 51 and later), or from the public name on
releases that predate the deprecation. If a future release drops DSA altogether, DSA keys no
longer load and their signers are reported as unverifiable: nothing here crashes.
"""

from __future__ import annotations

import warnings
from typing import Protocol, TypeGuard

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import dsa
from cryptography.utils import CryptographyDeprecationWarning


class DSAKey(Protocol):
    """What chaincut uses of a DSA public key."""

    @property
    def key_size(self) -> int: ...

    def verify(self, signature: bytes, data: bytes, algorithm: hashes.HashAlgorithm) -> None: ...


def _dsa_public_key_type() -> type | None:
    alias = getattr(dsa, "_DSAPublicKey", None)
    if isinstance(alias, type):
        return alias
    with warnings.catch_warnings():
        # Only reached on releases without the alias; asking for the name is not using DSA.
        warnings.simplefilter("ignore", CryptographyDeprecationWarning)
        public = getattr(dsa, "DSAPublicKey", None)
    return public if isinstance(public, type) else None


DSA_PUBLIC_KEY: type | None = _dsa_public_key_type()


def is_dsa_public_key(key: object) -> TypeGuard[DSAKey]:
    """True for a DSA public key loaded by cryptography."""
    return DSA_PUBLIC_KEY is not None and isinstance(key, DSA_PUBLIC_KEY)
