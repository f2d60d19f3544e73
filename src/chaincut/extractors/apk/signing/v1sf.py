"""Check a .SF file against MANIFEST.MF, and pick the digests Android would verify.

Android (and apksig) trust the whole-manifest digest when it matches; otherwise every
.SF section must match its manifest section byte for byte. Which digest attribute is
used depends on the platform: before JB MR2 the Digest-Algorithms list decides, from
JB MR2 on the strongest of SHA-512/384/256/1 present.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
from dataclasses import dataclass, field

from chaincut.extractors.apk.signing.jarmanifest import ManifestParser, Section

SDK_JB_MR2 = 18
SDK_GINGERBREAD = 9
SDK_N = 24
KNOWN_SCHEME_IDS = {2: "APK Signature Scheme v2", 3: "APK Signature Scheme v3"}
_CANONICAL = {"MD5": "MD5", "SHA": "SHA-1", "SHA1": "SHA-1", "SHA-1": "SHA-1"}
_CANONICAL |= {"SHA-256": "SHA-256", "SHA-384": "SHA-384", "SHA-512": "SHA-512"}
_MIN_SDK = {"MD5": 0, "SHA-1": 0, "SHA-256": 0, "SHA-384": SDK_GINGERBREAD}
_MIN_SDK["SHA-512"] = SDK_GINGERBREAD
_NEWER = ("SHA-512", "SHA-384", "SHA-256", "SHA-1")
HASHLIB = {"MD5": "md5", "SHA-1": "sha1", "SHA-256": "sha256", "SHA-384": "sha384"}
HASHLIB["SHA-512"] = "sha512"


class DigestDecodeError(ValueError):
    """A digest attribute is not valid base64 (apksigner crashes on it: not verified)."""


def _b64(text: str) -> bytes:
    try:
        return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise DigestDecodeError(f"bad base64 digest {text[:40]!r}") from exc


def digests_to_verify(
    section: Section, suffix: str, min_sdk: int, max_sdk: int
) -> list[tuple[str, bytes]]:
    """(algorithm, expected digest) pairs (apksig getDigestsToVerify)."""
    result: list[tuple[str, bytes]] = []
    by_lower = section.by_lower  # (section.get(name) is by_lower.get(name.lower()))
    if min_sdk < SDK_JB_MR2:
        algs = by_lower.get("digest-algorithms") or "SHA SHA1"
        for alg in algs.split():
            value = by_lower.get((alg + suffix).lower())
            canon = _CANONICAL.get(alg.upper())
            if value is None or canon is None or _MIN_SDK[canon] > min_sdk:
                continue
            result.append((canon, _b64(value)))
            break
        if not result:
            return result
    if max_sdk >= SDK_JB_MR2:
        for alg, key in _newer_keys(suffix):
            value = by_lower.get(key)
            if value is None:
                continue
            digest = _b64(value)
            if not any(a == alg and d == digest for a, d in result):
                result.append((alg, digest))
            break
    return result


@functools.cache
def _newer_keys(suffix: str) -> tuple[tuple[str, str], ...]:
    """(algorithm, lower-cased attribute name) in the order JB MR2 and later try them."""
    return tuple((alg, (("SHA1" if alg == "SHA-1" else alg) + suffix).lower()) for alg in _NEWER)


def _digest(alg: str, data: bytes) -> bytes:
    return hashlib.new(HASHLIB[alg], data).digest()


@dataclass(slots=True)
class SfCheck:
    """Outcome of one .SF against the manifest."""

    ignored: bool = False  # Android drops this signer silently
    errors: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    names: set[str] = field(default_factory=set)
    claimed_schemes: set[int] = field(default_factory=set)
    whole_manifest: bool = False


def check_sf(
    sf: bytes,
    manifest: bytes,
    main: Section | None,
    sections: dict[str, Section],
    found_schemes: set[int],
    min_sdk: int,
    max_sdk: int,
) -> SfCheck:
    """apksig verifySigFileAgainstManifest, including the v2-stripping check."""
    out = SfCheck()
    parser = ManifestParser(sf)
    sf_main = parser.read_section()
    if sf_main is None:  # apksigner fails outright on an empty .SF
        out.errors.append(("v1_sf_invalid", "empty .SF file"))
        return out
    if sf_main.get("Signature-Version") is None:
        out.ignored = True
        out.warnings.append(("v1_sf_invalid", "no Signature-Version in .SF"))
        return out
    _stripping(sf_main, found_schemes, out)
    if out.errors:
        return out
    signtool = "signtool" in (sf_main.get("Created-By") or "")
    whole = _whole_manifest(sf_main, signtool, manifest, min_sdk, max_sdk, out)
    out.whole_manifest = whole
    if not signtool and main is not None:
        suffix = "-Digest-Manifest-Main-Attributes"
        for alg, expected in digests_to_verify(sf_main, suffix, min_sdk, max_sdk):
            chunk = manifest[main.start : main.start + main.size]
            if _digest(alg, chunk) != expected:
                out.errors.append(("v1_sf_manifest_mismatch", f"{alg} of manifest main section"))
    if out.errors:
        return out
    _sections(parser, manifest, sections, signtool, whole, min_sdk, max_sdk, out)
    return out


def _stripping(sf_main: Section, found: set[int], out: SfCheck) -> None:
    claimed = sf_main.get("X-Android-APK-Signed")
    if claimed is None:
        return
    for token in claimed.split(","):
        token = token.strip()
        if token.isdigit():
            out.claimed_schemes.add(int(token))
    for scheme_id in sorted(out.claimed_schemes & set(KNOWN_SCHEME_IDS)):
        if scheme_id not in found:
            out.errors.append(
                (
                    "signing_scheme_stripped",
                    f".SF says the APK is signed with {KNOWN_SCHEME_IDS[scheme_id]} "
                    "but no such signature was found",
                )
            )


def _whole_manifest(
    sf_main: Section, signtool: bool, manifest: bytes, min_sdk: int, max_sdk: int, out: SfCheck
) -> bool:
    suffix = "-Digest" if signtool else "-Digest-Manifest"
    expected = digests_to_verify(sf_main, suffix, min_sdk, max_sdk)
    if not expected:
        return False
    ok = True
    for alg, digest in expected:
        if _digest(alg, manifest) != digest:
            out.warnings.append(("v1_sf_manifest_mismatch", f"{alg} of whole MANIFEST.MF"))
            ok = False
    return ok


def _sections(
    parser: ManifestParser,
    manifest: bytes,
    sections: dict[str, Section],
    signtool: bool,
    whole: bool,
    min_sdk: int,
    max_sdk: int,
    out: SfCheck,
) -> None:
    for number, sf_section in enumerate(parser.read_all_sections(), 1):
        name = sf_section.name
        if name is None or name in out.names:
            out.ignored = True
            out.warnings.append(("v1_sf_invalid", f".SF section #{number} unnamed or repeated"))
            return
        out.names.add(name)
        if whole:
            continue
        section = sections.get(name)
        if section is None:
            out.ignored = True
            out.warnings.append(("v1_sf_invalid", f".SF names {name!r}, absent from manifest"))
            continue
        _section_digest(sf_section, section, manifest, signtool, min_sdk, max_sdk, out)


def _section_digest(
    sf_section: Section,
    section: Section,
    manifest: bytes,
    signtool: bool,
    min_sdk: int,
    max_sdk: int,
    out: SfCheck,
) -> None:
    name = sf_section.name
    expected = digests_to_verify(sf_section, "-Digest", min_sdk, max_sdk)
    if not expected:
        out.errors.append(("v1_sf_manifest_mismatch", f"no digest of {name!r} in .SF"))
        return
    start, size = section.start, section.size
    end = start + size
    if signtool and size >= 2 and manifest[end - 1 : end] == b"\n" == manifest[end - 2 : end - 1]:
        size -= 1
    for alg, digest in expected:
        if _digest(alg, manifest[start : start + size]) != digest:
            out.errors.append(("v1_sf_manifest_mismatch", f"{alg} of manifest section {name!r}"))
