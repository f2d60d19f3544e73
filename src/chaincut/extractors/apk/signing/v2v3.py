"""APK Signature Scheme v2, v3 and v3.1 signers: parse, verify, and check the APK digests.

Mirrors apksig's V2SchemeVerifier/V3SchemeVerifier: a signer is checked in a fixed order
(signatures, then signed data, certificates, key match, digests list, attributes) and the
first failure ends that signer -- and, as on Android, the whole scheme.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from chaincut.extractors.apk.signing import lineage as lineage_mod
from chaincut.extractors.apk.signing import sigalg
from chaincut.extractors.apk.signing.certs import load_cert
from chaincut.extractors.apk.signing.lp import LpError, LpReader

STRIPPING_PROTECTION_ATTR = 0xBEEFF00D
PROOF_OF_ROTATION_ATTR = 0x3BA06F8C
ROTATION_MIN_SDK_ATTR = 0x559F8B02
ROTATION_ON_DEV_RELEASE_ATTR = 0xC2A6B3BA
KNOWN_SCHEME_IDS = {2: "v2", 3: "v3"}
MAX_SIGNERS = 64
INT_MAX = 0x7FFFFFFF


@dataclass(slots=True)
class Signer:
    """One v2/v3 signer as read, with the first error that stopped it (if any)."""

    index: int
    min_sdk: int | None = None
    max_sdk: int | None = None
    certs: list[bytes] = field(default_factory=list)
    parsed: list[x509.Certificate | None] = field(default_factory=list)
    sig_algs: list[int] = field(default_factory=list)
    digests: dict[int, bytes] = field(default_factory=dict)
    lineage: list[lineage_mod.Node] = field(default_factory=list)
    stripping_ids: set[int] = field(default_factory=set)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (anomaly code, words)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    not_der: bool = False

    def fail(self, code: str, words: str) -> None:
        self.errors.append((code, words))


@dataclass(slots=True)
class SchemeResult:
    scheme: str  # "v2", "v3", "v31"
    signers: list[Signer] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    content_algs: set[str] = field(default_factory=set)
    lineage: list[lineage_mod.Node] = field(default_factory=list)
    verified: bool = False

    def has_errors(self) -> bool:
        return bool(self.errors) or any(s.errors for s in self.signers)

    def first_error(self) -> str:
        for code_words in self.errors:
            return code_words[1]
        for s in self.signers:
            if s.errors:
                return f"signer #{s.index + 1}: {s.errors[0][1]}"
        return ""


def parse_scheme(
    value: memoryview, scheme: str, min_sdk: int, max_sdk: int, check: bool = True
) -> SchemeResult:
    """Parse all signers and verify their signatures over signed data (not the APK digests).

    ``check=False`` skips the cryptography and only reads certificates and SDK ranges.
    """
    result = SchemeResult(scheme)
    try:
        signers = LpReader(value).lp_slice()
    except LpError:
        result.errors.append(("signing_scheme_malformed", "malformed list of signers"))
        return result
    if not len(signers):
        result.errors.append(("signing_scheme_malformed", "no signers"))
        return result
    reader = LpReader(signers)
    while reader.remaining():
        signer = Signer(index=len(result.signers))
        result.signers.append(signer)
        if len(result.signers) > MAX_SIGNERS:
            signer.fail("signing_signer_malformed", "too many signers")
            return result
        try:
            _parse_signer(
                reader.lp_slice(), scheme, signer, result.content_algs, (min_sdk, max_sdk), check
            )
        except (LpError, struct.error):
            signer.fail("signing_signer_malformed", "malformed signer block")
            return result
    return result


def _s32(value: int) -> int:
    return value - (1 << 32) if value & 0x80000000 else value


def _parse_signer(
    block: memoryview,
    scheme: str,
    signer: Signer,
    contents: set[str],
    sdks: tuple[int, int],
    check: bool,
) -> None:
    min_sdk, max_sdk = sdks
    reader = LpReader(block)
    signed = reader.lp_slice()
    if scheme != "v2":
        signer.min_sdk, signer.max_sdk = _s32(reader.u32()), _s32(reader.u32())
        if signer.min_sdk < 0 or signer.min_sdk > signer.max_sdk:
            signer.fail(
                "signing_sdk_range_invalid", f"invalid SDK range {signer.min_sdk}-{signer.max_sdk}"
            )
        min_sdk, max_sdk = signer.min_sdk, signer.max_sdk
    signatures = reader.lp_slice()
    public_key = bytes(reader.lp_slice())
    supported = _read_signatures(signatures, signer)
    key, sdk_range = public_key, (min_sdk, max_sdk)
    if supported is None or (
        check and not _verify_signed_data(signed, key, supported, signer, contents, sdk_range)
    ):
        _salvage_certs(signed, signer)
        return
    _read_signed_data(signed, scheme, public_key, signer)


def _salvage_certs(signed: memoryview, signer: Signer) -> None:
    """The certificates a failed signer claims: evidence, never counted as verified.

    A tampered or re-signed APK still names who it claims to be; the signer keeps its
    first error, so nothing read here can make it verify, and nothing here adds an error.
    """
    try:
        reader = LpReader(signed)
        reader.lp_slice()  # digests
        certificates = LpReader(reader.lp_slice())
        while certificates.remaining() and len(signer.certs) < MAX_SIGNERS:
            der = bytes(certificates.lp_slice())
            cert, strict = load_cert(der)
            if cert is not None:
                signer.certs.append(der)
                signer.parsed.append(cert)
                signer.not_der |= not strict
    except (LpError, struct.error):
        return


def _read_signatures(block: memoryview, signer: Signer) -> list[tuple[sigalg.SigAlg, bytes]] | None:
    reader = LpReader(block)
    supported: list[tuple[sigalg.SigAlg, bytes]] = []
    while reader.remaining():
        try:
            item = LpReader(reader.lp_slice())
            alg_id = item.u32()
            sig = bytes(item.lp_slice())
        except LpError:
            signer.fail(
                "signing_signer_malformed", f"malformed signature #{len(signer.sig_algs) + 1}"
            )
            return None
        signer.sig_algs.append(alg_id)
        alg = sigalg.ALGORITHMS.get(alg_id)
        if alg is None:
            signer.warnings.append(("signing_unknown_algorithm", f"algorithm 0x{alg_id:04x}"))
            continue
        supported.append((alg, sig))
    if not signer.sig_algs:
        signer.fail("signing_no_supported_algorithm", "no signatures")
        return None
    return supported


def _verify_signed_data(
    signed: memoryview,
    public_key: bytes,
    supported: list[tuple[sigalg.SigAlg, bytes]],
    signer: Signer,
    contents: set[str],
    sdk_range: tuple[int, int],
) -> bool:
    min_sdk, max_sdk = sdk_range
    picks = sigalg.pick_to_verify(supported, min_sdk, max_sdk)
    if isinstance(picks, str):
        signer.fail("signing_no_supported_algorithm", f"no supported signatures: {picks}")
        return False
    data = bytes(signed)
    for alg, sig in picks:
        try:
            key = sigalg.load_key(public_key, alg.key)
        except sigalg.KeyError_:
            signer.fail("signing_public_key_mismatch", f"malformed {alg.key} public key")
            return False
        if not sigalg.verify(alg, key, data, sig):
            signer.fail("signing_signature_invalid", f"{alg.name} signature did not verify")
            return False
        contents.add(alg.content)
    return True


def _read_signed_data(signed: memoryview, scheme: str, public_key: bytes, signer: Signer) -> None:
    reader = LpReader(signed)
    digests = reader.lp_slice()
    certificates = reader.lp_slice()
    if scheme != "v2":
        signed_min, signed_max = _s32(reader.u32()), _s32(reader.u32())
        if (signed_min, signed_max) != (signer.min_sdk, signer.max_sdk):
            signer.fail(
                "signing_sdk_range_invalid",
                "SDK range differs between signer record and signed data",
            )
    attributes = reader.lp_slice()
    if not _read_certs(certificates, signer) or not _key_matches(public_key, signer):
        return
    if not _read_digests(digests, signer):
        return
    _read_attributes(attributes, scheme, signer)


def _read_certs(block: memoryview, signer: Signer) -> bool:
    reader = LpReader(block)
    while reader.remaining():
        der = bytes(reader.lp_slice())
        cert, strict = load_cert(der)
        if cert is None:
            signer.fail("signing_certificate_unparsable", f"certificate #{len(signer.certs) + 1}")
            return False
        signer.not_der |= not strict
        signer.certs.append(der)
        signer.parsed.append(cert)
    if not signer.certs:
        signer.fail("signing_no_certificates", "no certificates")
        return False
    return True


def _key_matches(public_key: bytes, signer: Signer) -> bool:
    cert = signer.parsed[0]
    spki = b""
    try:
        if cert is not None:
            spki = cert.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    except Exception:  # a key the library cannot load cannot match either
        spki = b""
    if spki != public_key:
        signer.fail(
            "signing_public_key_mismatch",
            "public key mismatch between certificate and signature record",
        )
        return False
    return True


def _read_digests(block: memoryview, signer: Signer) -> bool:
    reader = LpReader(block)
    ids: list[int] = []
    try:
        while reader.remaining():
            item = LpReader(reader.lp_slice())
            alg_id = item.u32()
            ids.append(alg_id)
            signer.digests.setdefault(alg_id, bytes(item.lp_slice()))
    except LpError:
        signer.fail("signing_signer_malformed", f"malformed digest #{len(ids) + 1}")
        return False
    if ids != signer.sig_algs:
        signer.fail(
            "signing_algorithm_list_mismatch",
            f"signature algorithms mismatch: {signer.sig_algs} vs {ids}",
        )
        return False
    return True


def _read_attributes(block: memoryview, scheme: str, signer: Signer) -> None:
    reader = LpReader(block)
    while reader.remaining():
        try:
            item = LpReader(reader.lp_slice())
            attr_id = item.u32()
            value = item.rest()
        except LpError:
            signer.fail("signing_signer_malformed", "malformed additional attribute")
            return
        if scheme == "v2" and attr_id == STRIPPING_PROTECTION_ATTR:
            if len(value) < 4:
                signer.fail("signing_signer_malformed", "malformed stripping protection")
                return
            (scheme_id,) = struct.unpack_from("<I", value)
            if scheme_id in KNOWN_SCHEME_IDS:
                signer.stripping_ids.add(scheme_id)
        elif scheme != "v2" and attr_id == PROOF_OF_ROTATION_ATTR:
            _read_lineage(value, signer)
        elif scheme != "v2" and attr_id in (ROTATION_MIN_SDK_ATTR, ROTATION_ON_DEV_RELEASE_ATTR):
            continue
        else:
            signer.warnings.append(
                ("signing_unknown_additional_attribute", f"attribute 0x{attr_id:08x}")
            )


def _read_lineage(value: memoryview, signer: Signer) -> None:
    try:
        nodes = lineage_mod.parse(value)
    except lineage_mod.LineageError as exc:
        signer.fail("signing_lineage_invalid", str(exc))
        return
    if not nodes or nodes[-1].der != signer.certs[0]:
        signer.fail(
            "signing_lineage_invalid", "signer certificate is not the newest in its lineage"
        )
        return
    signer.lineage = nodes
