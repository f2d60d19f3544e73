"""What an indicator kind is worth as a link, and what part of a chain it plays.

Priors encode how specific a kind is to one operation: a signing key or a builder account
is owned by one party, a domain is rented and moved, a package name is copied freely.
Roles say which gray-industry trade a shared indicator belongs to, so that a supplier can
be named ("the developer whose key signs for three gangs"), not only counted.
"""

from __future__ import annotations

from chaincut.knowledge.kb import public_address
from chaincut.result.models import Role

STRONG = 1.0
MEDIUM = 0.6
WEAK = 0.2
UNKNOWN_PRIOR = 0.4
# An indicator seen only as an unverified claim (a certificate whose signature does not
# verify: repackaged, tampered, truncated) is evidence but anyone can copy it into a
# package, so it links at a fraction of its kind's weight (docs/linking.md).
UNVERIFIED_CLAIM_FACTOR = 0.5

# A developer's identities (signing key, builder account, the account's e-mail) are the
# trade the gray industry rents out most: one developer signs and builds for many gangs,
# and its bundle sits whole on every app it made. They vote at medium weight, so that two
# gangs one developer serves are not held together by the developer's bundle against their
# own accounts; they still glue, pivot and are named as suppliers (docs/linking.md).
KIND_PRIORS: dict[str, float] = {
    "cert_sha256": MEDIUM,
    "builder_app_id": MEDIUM,
    "sdk_app_key": STRONG,
    "team_id": STRONG,
    "analytics_id": STRONG,
    "cs_key": STRONG,
    "customer_service": STRONG,
    "payment": STRONG,
    "payment_key": STRONG,
    "payment_endpoint": STRONG,
    "phone": STRONG,
    "email": MEDIUM,
    "qq": STRONG,
    "wechat": STRONG,
    "parent": STRONG,
    "packer": MEDIUM,
    "sign_service": MEDIUM,
    "domain": MEDIUM,
    "ip": WEAK,  # shared hosting: many tenants behind one address (listed, never glue)
    "url": MEDIUM,
    "host": MEDIUM,
    "param": MEDIUM,
    "package": WEAK,
    "bundle_id": WEAK,
    "path": WEAK,
    "file": MEDIUM,  # a package's file name, on its download links (derive.file_key)
}

KIND_ROLES: dict[str, Role] = {
    "cert_sha256": "developer",
    "builder_app_id": "developer",
    "package": "developer",
    "bundle_id": "developer",
    "packer": "packager",
    "sign_service": "packager",
    "team_id": "distributor",
    "analytics_id": "distributor",
    "parent": "distributor",
    "file": "distributor",  # the name a package is handed out under, on download links
    "domain": "server",
    "ip": "server",
    "url": "server",
    "host": "server",
    "path": "server",
    "payment": "payment",
    "payment_key": "payment",
    "payment_endpoint": "payment",
    "phone": "contact",
    "email": "contact",
    "qq": "contact",
    "wechat": "contact",
    "cs_key": "contact",
    "customer_service": "contact",
    "sdk_app_key": "contact",
}

# roles an indicator may carry from the engine that are more specific than its kind's
SPECIFIC_ROLES: dict[str, Role] = {
    "packager": "packager",
    "distributor": "distributor",
    "payment": "payment",
}

# artifact kinds that are delivery steps: a domain seen on them hosts downloads, not backends
DELIVERY_KINDS: frozenset[str] = frozenset({"url", "page", "qr", "mobileconfig"})

NETWORK_KINDS: frozenset[str] = frozenset({"domain", "url", "host", "ip"})


def kind_prior(kind: str, value: str) -> float:
    """Link weight prior of one indicator; private and reserved addresses link nothing."""
    if kind == "ip" and not public_address(value):
        return 0.0
    return KIND_PRIORS.get(kind, UNKNOWN_PRIOR)


def claim_prior(kind: str, value: str, claimed_only: bool) -> float:
    """``kind_prior``, lowered when every sighting of the indicator is an unverified claim."""
    prior = kind_prior(kind, value)
    return prior * UNVERIFIED_CLAIM_FACTOR if claimed_only else prior


def role_of(kind: str, given: str | None, delivery_share: float) -> Role:
    """Role of a shared indicator from its kind, the engine's hint and where it recurs.

    A network indicator seen mostly on delivery artifacts (download pages, QR payloads,
    profiles) is a distributor; inside packages it is a server backend.
    """
    specific = SPECIFIC_ROLES.get(given or "")
    if specific is not None:
        return specific
    if kind in NETWORK_KINDS and delivery_share > 0.5:
        return "distributor"
    return KIND_ROLES.get(kind, "unknown")
