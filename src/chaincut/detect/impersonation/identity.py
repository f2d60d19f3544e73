"""Who published it: official identifiers checked against the brand's keys and teams.

The label and icon of a genuine app resemble its brand perfectly, so identity is settled
before resemblance:

* **genuine**: the APK is signed (and verifies) with a certificate in the brand's
  ``certs`` (whatever its package: same key, same publisher); an IPA's provisioning team
  is in the brand's ``team_ids``.
* **impostor by identity** (``certificate`` signal): the brand's official package signed by
  another certificate (0.95, when the brand's certs are known); signed with a public test
  key, unsigned, or failing verification (0.85, even when they are not); the brand's
  certificate on a package whose signature does not verify (0.9: repackaged); the
  official bundle id under another team (0.9) or distributed outside the App Store
  (enterprise / ad-hoc / development profile, itms-services manifest: 0.85).
* **unverified**: the official package or bundle id, properly signed, but the registry
  holds no certificate/team for the brand. Not claimed either way (register it with
  ``chaincut brands add``); the brand is then left out of the resemblance matching, so
  a genuine app is never flagged for looking like itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from chaincut.detect.impersonation.index import BrandIndex
from chaincut.facts.models import ApkFacts, FactsDocument
from chaincut.result.models import Signal

OUTSIDE_STORE = ("enterprise", "ad_hoc", "development")


@dataclass(slots=True)
class Identity:
    genuine: str | None = None
    signals: dict[str, Signal] = field(default_factory=dict)  # brand id -> certificate signal
    unverified: set[str] = field(default_factory=set)  # official ids, no key to check


def _short(sha: str) -> str:
    return sha[:16] + "…" if len(sha) > 16 else sha


def _apk_certs(apk: ApkFacts, vouched_only: bool = False) -> set[str]:
    """Certificates the APK carries; ``vouched_only``: those a verified signature vouches for.

    A claimed certificate (its signer does not verify, or is ignored) can be copied from
    the brand's genuine app into any package, so it never makes an APK the genuine one.
    """
    found = {
        c.sha256.lower()
        for c in apk.signing.certificates
        if not (vouched_only and c.verified is False)
    }
    for signer in apk.signing.signers:
        if vouched_only and signer.verified is False:
            continue
        found.update(s.lower() for s in signer.certificates)
        found.update(s.lower() for s in signer.lineage)
    return found


def _weak_signing(apk: ApkFacts) -> str | None:
    """Why the APK's signing cannot be a brand's release signing, if it cannot."""
    certs = apk.signing.certificates
    if not certs:
        return "is not signed"
    for cert in certs:
        if cert.known_key:
            return f"is signed with the public key '{cert.known_key}'"
    if not apk.signing.verified:
        return "has a signature that does not verify"
    return None


def _registered_certs(index: BrandIndex) -> frozenset[str]:
    """Every certificate the registry names (cached on the index)."""
    return index.derived("certs", lambda: frozenset(c for e in index for c in e.brand.certs))


def _apk(apk: ApkFacts, index: BrandIndex, out: Identity) -> None:
    certs = _apk_certs(apk)
    known = not certs.isdisjoint(_registered_certs(index))
    for entry in index if known else ():
        shared = certs.intersection(entry.brand.certs)
        if not shared:
            continue
        if apk.signing.verified and not shared.isdisjoint(_apk_certs(apk, vouched_only=True)):
            out.genuine = entry.id
            return
        out.signals[entry.id] = Signal(
            kind="certificate",
            score=0.9,
            detail=(
                f"carries {entry.brand.display_name}'s certificate {_short(min(shared))} but "
                "its signature does not verify (repackaged)"
            ),
        )
    if not apk.package or apk.package not in index.owned:
        return
    for entry in index:
        if apk.package not in entry.brand.packages or entry.id in out.signals:
            continue
        weak = _weak_signing(apk)
        shown = sorted(certs)[0] if certs else "none"
        if entry.brand.certs:
            detail = (
                f"uses {entry.brand.display_name}'s official package '{apk.package}' but is "
                f"signed by certificate {_short(shown)}, not the brand's"
            )
            out.signals[entry.id] = Signal(kind="certificate", score=0.95, detail=detail)
        elif weak is not None:
            name = entry.brand.display_name
            detail = f"uses {name}'s official package '{apk.package}' but {weak}"
            out.signals[entry.id] = Signal(kind="certificate", score=0.85, detail=detail)
        else:
            out.unverified.add(entry.id)


def _ipa(doc: FactsDocument, index: BrandIndex, out: Identity) -> None:
    ipa = doc.ipa
    bundle = ipa.bundle_id if ipa else None
    team = ipa.provision.team_id if ipa and ipa.provision else None
    distribution = ipa.provision.distribution if ipa and ipa.provision else "unknown"
    for entry in index:
        if team and team in entry.brand.team_ids:
            out.genuine = entry.id
            return
    for entry in index:
        name = entry.brand.display_name
        if bundle and bundle in entry.brand.bundle_ids:
            if entry.brand.team_ids:
                detail = f"uses {name}'s official bundle id '{bundle}' under team {team or 'none'}"
                out.signals[entry.id] = Signal(kind="certificate", score=0.9, detail=detail)
            elif distribution in OUTSIDE_STORE:
                detail = (
                    f"uses {name}'s official bundle id '{bundle}' with a {distribution} "
                    "profile, outside the App Store"
                )
                out.signals[entry.id] = Signal(kind="certificate", score=0.85, detail=detail)
            else:
                out.unverified.add(entry.id)
        itms = doc.itms_manifest
        if itms and itms.bundle_id and itms.bundle_id in entry.brand.bundle_ids:
            detail = (
                f"installs {name}'s official bundle id '{itms.bundle_id}' through an "
                "itms-services manifest, outside the App Store"
            )
            out.signals[entry.id] = Signal(kind="certificate", score=0.85, detail=detail)


def identify(doc: FactsDocument, index: BrandIndex) -> Identity:
    """Genuine brand, identity-based impostor signals and unverifiable official ids."""
    out = Identity()
    if doc.apk is not None:
        _apk(doc.apk, index, out)
    if out.genuine is None and (doc.ipa is not None or doc.itms_manifest is not None):
        _ipa(doc, index, out)
    if out.genuine is not None:
        out.signals.clear()
    return out
