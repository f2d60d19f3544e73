"""Run one block-based scheme end to end: signers, APK digests, and v3's SDK/lineage rules."""

from __future__ import annotations

from chaincut.extractors.apk.signing import digest, sigalg
from chaincut.extractors.apk.signing import lineage as lineage_mod
from chaincut.extractors.apk.signing.v2v3 import INT_MAX, SchemeResult, parse_scheme

SDK_N = 24
SDK_P = 28


class DigestCache:
    """Content digests are the same for every scheme; compute each algorithm once."""

    def __init__(self, sections: digest.Sections) -> None:
        self.sections = sections
        self.values: dict[str, bytes | None] = {}

    def get(self, algorithm: str) -> bytes | None:
        if algorithm not in self.values:
            self.values.update(digest.compute(self.sections, [algorithm]))
        return self.values[algorithm]


def run_scheme(
    value: memoryview,
    scheme: str,
    min_sdk: int,
    found: set[int],
    digests: DigestCache,
    check: bool = True,
    v31_from: int | None = None,
) -> SchemeResult:
    """Verify one scheme block as apksigner would on [min_sdk, newest].

    v3.1 signers only cover the platforms from their rotation SDK up, and when a verified
    v3.1 block starts at ``v31_from`` the v3 signers need only reach ``v31_from - 1``.
    """
    floor = SDK_N if scheme == "v2" else SDK_P
    result = parse_scheme(value, scheme, max(min_sdk, floor), INT_MAX, check)
    if not check:
        return result
    if scheme == "v2":
        _stripping(result, found)
    if result.has_errors():
        return result
    _integrity(result, digests)
    if result.has_errors():
        return result
    if scheme != "v2":
        upper = INT_MAX if v31_from is None else v31_from - 1
        _ranges_and_lineage(result, max(min_sdk, floor), scheme == "v31", upper)
    result.verified = not result.has_errors()
    return result


def _stripping(result: SchemeResult, found: set[int]) -> None:
    for signer in result.signers:
        for scheme_id in sorted(signer.stripping_ids - found):
            signer.fail(
                "signing_scheme_stripped",
                f"v2 signature says the APK is also signed with v{scheme_id}, which is missing",
            )


def _integrity(result: SchemeResult, digests: DigestCache) -> None:
    for signer in result.signers:
        for alg_id, expected in signer.digests.items():
            alg = sigalg.ALGORITHMS.get(alg_id)
            if alg is None or alg.content not in result.content_algs:
                continue
            actual = digests.get(alg.content)
            if actual is None:
                signer.fail(
                    "signing_verity_unaligned", "verity digest needs a 4 KiB aligned signing block"
                )
            elif actual != expected:
                signer.fail("signing_digest_mismatch", f"{alg.content} digest mismatch")


def first_sdk(result: SchemeResult) -> int:
    return min((s.min_sdk or 0 for s in result.signers), default=0)


def _ranges_and_lineage(result: SchemeResult, min_sdk: int, rotation: bool, upper: int) -> None:
    signers = sorted(result.signers, key=lambda s: s.min_sdk or 0)
    first_min = last_max = last_lineage = 0
    lineages: list[list[lineage_mod.Node]] = []
    for signer in signers:
        cur_min, cur_max = signer.min_sdk or 0, signer.max_sdk or 0
        if first_min == 0:
            first_min = cur_min
        elif cur_min != last_max + 1:
            result.errors.append(("signing_sdk_range_gap", "inconsistent SDK versions"))
            break
        last_max = cur_max
        if signer.lineage:
            if len(signer.lineage) < last_lineage:
                result.errors.append(("signing_lineage_invalid", "lineages shrink across signers"))
                break
            last_lineage = len(signer.lineage)
            lineages.append(signer.lineage)
    if (not rotation and first_min > min_sdk) or last_max < upper:
        result.errors.append(
            ("signing_sdk_range_gap", f"signers cover API {first_min}-{last_max} only")
        )
    try:
        result.lineage = lineage_mod.consolidate(lineages)
    except lineage_mod.LineageError as exc:
        result.errors.append(("signing_lineage_invalid", str(exc)))
