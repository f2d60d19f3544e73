"""Combine the schemes the way apksigner's ApkVerifier does, and say why in words.

Order: v3.1 (Android 13+ rotation; unknown to apksigner 31), v3 (if any, must verify),
v2 (when minSdk < 28 or no v3), the target-sandbox and
target-SDK rules, v1 (when minSdk < 24 or no v2/v3), then the cross checks: v1 and v2
must name the same signers, and v3's oldest lineage certificate must be the v1/v2 signer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from chaincut.extractors.apk.signing.v1 import V1Result
from chaincut.extractors.apk.signing.v2v3 import SchemeResult

SDK_N = 24
SDK_P = 28
SDK_R = 30


@dataclass(slots=True)
class Verdict:
    verified: bool = False
    reason: str = ""
    used: set[str] = field(default_factory=set)  # schemes whose result counted
    signer_certs: list[bytes] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)


@dataclass(slots=True)
class Inputs:
    min_sdk: int
    target_sdk: int | None
    target_sandbox: int | None
    v3: SchemeResult | None
    v2: SchemeResult | None
    v1: V1Result
    v31: SchemeResult | None = None


def decide(i: Inputs) -> Verdict:
    out = Verdict()
    found: set[int] = set()
    if i.v31 is not None:
        out.used.add("v31")
        if not i.v31.verified:
            return _fail(out, f"v3.1 signature does not verify: {i.v31.first_error()}")
    if i.v3 is not None:
        found.add(3)
        out.used.add("v3")
        if not i.v3.verified:
            return _fail(out, f"v3 signature does not verify: {i.v3.first_error()}")
    if i.v2 is not None and (i.min_sdk < SDK_P or not found):
        found.add(2)
        out.used.add("v2")
        if not i.v2.verified:
            return _fail(out, f"v2 signature does not verify: {i.v2.first_error()}")
    if (i.target_sandbox or 0) > 1 and not found:
        return _fail(out, f"target sandbox version {i.target_sandbox} requires v2 or newer")
    if (i.target_sdk or 0) >= SDK_R and not found:
        return _fail(out, f"target SDK {i.target_sdk} requires signature scheme v2 or newer")
    if not found and not i.v1.present:
        return _fail(out, "not signed: no JAR (v1), v2, v3 or v3.1 signature")
    if i.min_sdk < SDK_N or not found:
        out.used.add("v1")
        if not i.v1.verified:
            words = i.v1.errors[0][1] if i.v1.errors else _v1_signer_error(i.v1)
            return _fail(out, f"JAR signature (v1) does not verify: {words}")
    problem = _cross_checks(i, out.used)
    if problem:
        return _fail(out, problem)
    out.verified = True
    out.signer_certs = _signer_certs(i, out.used)
    out.reason = _success_words(i, out.used)
    return out


def _fail(out: Verdict, reason: str) -> Verdict:
    out.verified = False
    out.reason = reason
    return out


def _v1_signer_error(v1: V1Result) -> str:
    for signer in v1.signers:
        if signer.errors:
            return signer.errors[0][1]
    return "no usable JAR signer"


def _v1_certs(v1: V1Result) -> list[bytes]:
    return [s.chain[0] for s in v1.signers if s.used and s.chain]


def _cross_checks(i: Inputs, used: set[str]) -> str:
    v1_ok = "v1" in used and i.v1.verified
    v2_ok = "v2" in used and i.v2 is not None and i.v2.verified
    if v1_ok and v2_ok and i.v2 is not None:
        v1_certs = _v1_certs(i.v1)
        v2_certs = [s.certs[0] for s in i.v2.signers]
        if set(v1_certs) != set(v2_certs):
            return "v1 and v2 signatures name different signers"
    if "v3" in used and i.v3 is not None and (v1_ok or v2_ok):
        v2_certs = [s.certs[0] for s in i.v2.signers] if i.v2 else []
        old = _v1_certs(i.v1) if v1_ok else v2_certs
        if len(old) != 1:
            return "v3 allows a single past signer but v1/v2 have several"
        if not i.v3.lineage:
            if len(i.v3.signers) != 1 or i.v3.signers[0].certs[0] != old[0]:
                return "v3 signer differs from the v1/v2 signer and there is no rotation lineage"
        elif i.v3.lineage[0].der != old[0]:
            return "v1/v2 signer is not the oldest certificate of the v3 rotation lineage"
    return ""


def _signer_certs(i: Inputs, used: set[str]) -> list[bytes]:
    if "v31" in used and i.v31 is not None:
        newest = max(i.v31.signers, key=lambda s: (s.max_sdk or 0, s.min_sdk or 0))
        return newest.certs[:1]
    if "v3" in used and i.v3 is not None:
        newest = max(i.v3.signers, key=lambda s: (s.max_sdk or 0, s.min_sdk or 0))
        return newest.certs[:1]
    if "v2" in used and i.v2 is not None:
        return [s.certs[0] for s in i.v2.signers]
    return _v1_certs(i.v1)


def _success_words(i: Inputs, used: set[str]) -> str:
    order = [s for s in ("v31", "v3", "v2", "v1") if s in used]
    words = f"verifies with {', '.join(order)} for API {i.min_sdk}+"
    if "v1" not in used and i.v1.present:
        words += "; v1 not needed at this minSdk"
    return words
