"""APK signatures: v1 (JAR), v2, v3, v3.1 and the APK Signing Block, verified like apksigner.

``read_signing`` never raises on hostile input; everything odd becomes an anomaly and the
verdict (``verified`` + ``reason``) is what ``apksigner verify`` concludes for the same
minSdkVersion. The v3.1 block and source stamps are read and reported but, as in
apksigner 31, do not change the verdict.
"""

from __future__ import annotations

import warnings

from chaincut.extractors.apk.signing import block as blockmod
from chaincut.extractors.apk.signing import facts as factsmod
from chaincut.extractors.apk.signing.digest import Sections
from chaincut.extractors.apk.signing.schemes import DigestCache, first_sdk, run_scheme
from chaincut.extractors.apk.signing.v1 import V1Result, verify_v1
from chaincut.extractors.apk.signing.v2v3 import INT_MAX, SchemeResult, parse_scheme
from chaincut.extractors.apk.signing.verdict import Inputs, Verdict, decide
from chaincut.extractors.findings import Findings
from chaincut.extractors.zip import ZipArchive
from chaincut.facts.models import SigningFacts

__all__ = ["read_signing"]

DEFAULT_MIN_SDK = 1  # apksigner's value when the manifest declares no minSdkVersion
SCHEME_IDS = (("v31", blockmod.V31_ID), ("v3", blockmod.V3_ID), ("v2", blockmod.V2_ID))


def read_signing(
    archive: ZipArchive,
    findings: Findings,
    *,
    idsig_present: bool = False,
    verify: bool = True,
    min_sdk: int | None = None,
    target_sdk: int | None = None,
    target_sandbox: int | None = None,
) -> SigningFacts:
    """Signing facts of one APK: schemes, signers, certificates, block pairs, verdict."""
    with warnings.catch_warnings():
        # cryptography warns on odd-but-common DN encodings (e.g. 7-letter country names)
        warnings.simplefilter("ignore", UserWarning)
        return _read(archive, findings, idsig_present, verify, min_sdk, target_sdk, target_sandbox)


def _read(
    archive: ZipArchive,
    findings: Findings,
    idsig_present: bool,
    verify: bool,
    min_sdk: int | None,
    target_sdk: int | None,
    target_sandbox: int | None,
) -> SigningFacts:
    min_api = DEFAULT_MIN_SDK if min_sdk is None else max(0, min_sdk)
    blk = blockmod.locate(
        archive.buf, archive.cd_offset, archive.cd_size, archive.eocd_offset, findings
    )
    results = _block_schemes(archive, blk, min_api, verify)
    detached = _detached_claims(archive, blk, min_api)
    found = {int(k[1]) for k in results if k in ("v2", "v3")}
    v1 = verify_v1(archive, found, min_api, INT_MAX, check=verify)
    for res in results.values():
        factsmod.report_scheme(res, findings)
    factsmod.report_v1(v1, findings)
    _report_stripping(v1, results, findings)
    verdict = (
        decide(
            Inputs(
                min_api,
                target_sdk,
                target_sandbox,
                results.get("v3"),
                results.get("v2"),
                v1,
                results.get("v31"),
            )
        )
        if verify
        else Verdict(reason="verification skipped")
    )
    facts = _facts(archive, blk, results, v1, verdict, idsig_present, verify, findings)
    if detached:
        facts = _with_claims(facts, detached, findings)
    return facts


def _detached_claims(
    archive: ZipArchive, blk: blockmod.SigningBlock | None, min_api: int
) -> list[SchemeResult]:
    """Signers of a signing block Android does not read (ZIP end record not adjacent).

    Only their certificates are read: they are a claim, never a signature that counts.
    """
    if blk is not None:
        return []
    loose = blockmod.locate(
        archive.buf,
        archive.cd_offset,
        archive.cd_size,
        archive.eocd_offset,
        Findings(),  # the strict pass already reported why Android ignores the block
        adjacent=False,
        orphans=False,  # (and searched the file for stray magics)
    )
    if loose is None:
        return []
    view = memoryview(archive.buf)
    out: list[SchemeResult] = []
    for name, block_id in SCHEME_IDS:
        pair = loose.find(block_id)
        if pair is not None:
            value = view[pair.offset : pair.offset + pair.size]
            out.append(parse_scheme(value, name, min_api, INT_MAX, check=False))
    return out


def _with_claims(
    facts: SigningFacts, detached: list[SchemeResult], findings: Findings
) -> SigningFacts:
    reason = (
        "signing block Android ignores: the ZIP central directory is not followed by its end record"
    )
    signers = [
        s.model_copy(update={"verified": False, "reason": reason})
        for res in detached
        for s in factsmod.block_signers(res, checked=False)
    ]
    known = {c.sha256 for c in facts.certificates}
    ders = [d for res in detached for s in res.signers for d in s.certs]
    ders += [n.der for res in detached for s in res.signers for n in s.lineage]
    extra = [
        c.model_copy(update={"verified": False, "reason": reason})
        for c in factsmod.certificates(ders, findings)
        if c.sha256 not in known
    ]
    return facts.model_copy(
        update={
            "signers": [*facts.signers, *signers],
            "certificates": [*facts.certificates, *extra],
        }
    )


def _block_schemes(
    archive: ZipArchive, blk: blockmod.SigningBlock | None, min_api: int, verify: bool
) -> dict[str, SchemeResult]:
    if blk is None:
        return {}
    cache = DigestCache(Sections(archive.buf, blk.offset, archive.cd_offset, archive.eocd_offset))
    view = memoryview(archive.buf)
    out: dict[str, SchemeResult] = {}
    found: set[int] = set()
    for name, block_id in SCHEME_IDS:
        pair = blk.find(block_id)
        if pair is None:
            continue
        value = view[pair.offset : pair.offset + pair.size]
        v31 = out.get("v31")
        v31_from = first_sdk(v31) if v31 is not None and v31.verified else None
        out[name] = run_scheme(value, name, min_api, found, cache, verify, v31_from)
        if name in ("v2", "v3"):
            found.add(int(name[1]))
    return out


def _report_stripping(v1: V1Result, results: dict[str, SchemeResult], findings: Findings) -> None:
    for scheme_id in v1.claimed_schemes & {2, 3}:
        if f"v{scheme_id}" not in results:
            findings.anomaly(
                "signing_scheme_stripped",
                f"a .SF file says X-Android-APK-Signed: {scheme_id} but that block is missing",
            )


def _facts(
    archive: ZipArchive,
    blk: blockmod.SigningBlock | None,
    results: dict[str, SchemeResult],
    v1: V1Result,
    verdict: Verdict,
    idsig: bool,
    verify: bool,
    findings: Findings,
) -> SigningFacts:
    signers = factsmod.v1_signers(v1, verify) + factsmod.orphan_signers(v1)
    ordered: list[bytes] = list(verdict.signer_certs)
    for name in ("v31", "v3", "v2"):
        res = results.get(name)
        if res is not None:
            signers += factsmod.block_signers(res, verify)
            ordered += [s.certs[0] for s in res.signers if s.certs]
    ordered += [s.chain[0] for s in v1.signers if s.chain]
    for res in results.values():
        ordered += [d for s in res.signers for d in s.certs]
        ordered += [n.der for s in res.signers for n in s.lineage]
    ordered += [d for s in v1.signers for d in s.chain]
    ordered += [d for _, certs in v1.orphans for d in certs]
    _schemes_disagree(verdict, results, v1, findings)
    schemes = {"v1": v1.present, **{k: k in results for k in ("v2", "v3", "v31")}}
    if idsig:
        schemes["v4"] = True
    pair_ids = {p.id for p in blk.pairs} if blk else set()
    certificates = factsmod.certificates(ordered, findings)
    if verify:
        certificates = factsmod.mark_verified(
            certificates, signers, verdict.verified, verdict.reason
        )
    return SigningFacts(
        schemes=schemes,
        verified=verdict.verified,
        reason=verdict.reason,
        certificates=certificates,
        signers=signers,
        blocks=blockmod.block_entries(blk),
        source_stamp=bool(pair_ids & {blockmod.STAMP_V1_ID, blockmod.STAMP_V2_ID})
        or archive.get("stamp-cert-sha256") is not None,
        v4_idsig=idsig,
    )


def _schemes_disagree(
    verdict: Verdict, results: dict[str, SchemeResult], v1: V1Result, findings: Findings
) -> None:
    """Schemes naming unrelated certificates (rotation lineage explains v3 differences)."""
    groups: dict[str, set[bytes]] = {}
    for name, res in results.items():
        certs = {s.certs[0] for s in res.signers if s.certs}
        certs |= {n.der for s in res.signers for n in s.lineage}
        if certs:
            groups[name] = certs
    v1_certs = {s.chain[0] for s in v1.signers if s.chain}
    if v1_certs:
        groups["v1"] = v1_certs
    names = sorted(groups)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            if not groups[a] & groups[b]:
                findings.anomaly("signing_schemes_disagree", f"{a} and {b} share no certificate")
