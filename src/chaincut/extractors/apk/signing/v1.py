"""JAR (v1) signature verification with apksig's semantics.

Order matters because apksig stops at the first class of error: duplicate ZIP names, the
manifest and its sections, each signature block over its .SF, each .SF over the manifest
(signers with a broken .SF are silently ignored, as on Android), then every entry's data
against the manifest digests, all entries signed by the same set of signers.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from chaincut.extractors import fastzlib as zlib
from chaincut.extractors.apk.signing import pkcs7
from chaincut.extractors.apk.signing.jarmanifest import ManifestParser, Section
from chaincut.extractors.apk.signing.v1sf import (
    HASHLIB,
    DigestDecodeError,
    SfCheck,
    check_sf,
    digests_to_verify,
)
from chaincut.extractors.zip import ZipArchive, ZipEntry, ZipEntryError

MANIFEST = "META-INF/MANIFEST.MF"
BLOCK_SUFFIXES = (".RSA", ".DSA", ".EC")
MAX_META_SIZE = 64 * 1024 * 1024
WHOLE_ENTRY = 4 * 1024 * 1024  # entries up to this size are read in one piece to digest
STORED, DEFLATED = 0, 8


@dataclass(slots=True)
class V1Signer:
    name: str  # signature block entry, e.g. META-INF/CERT.RSA
    sf_name: str
    chain: list[bytes] = field(default_factory=list)
    digest_algorithm: str | None = None
    errors: list[tuple[str, str]] = field(default_factory=list)
    sf: SfCheck | None = None
    used: bool = False


@dataclass(slots=True)
class V1Result:
    present: bool = False
    verified: bool = False
    signers: list[V1Signer] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    claimed_schemes: set[int] = field(default_factory=set)
    # signature blocks without their .SF: not signers (apksig skips them), but their
    # certificates are a claim worth keeping: (block entry name, certificates)
    orphans: list[tuple[str, list[bytes]]] = field(default_factory=list)

    def fail(self, code: str, words: str, entry: str | None = None) -> None:
        self.errors.append((code, f"{entry}: {words}" if entry else words))


def _is_block(name: str) -> bool:
    return name.startswith("META-INF/") and name.endswith(BLOCK_SUFFIXES)


def verify_v1(
    archive: ZipArchive, found_schemes: set[int], min_sdk: int, max_sdk: int, check: bool = True
) -> V1Result:
    """Verify JAR signing; with check=False only read signer certificates."""
    result = V1Result()
    entries = archive.entries
    blocks = [e for e in entries if _is_block(e.name)]
    result.present = bool(blocks) or any(e.name.endswith(".SF") for e in entries)
    names = _unique_names(entries, result)
    manifest_entry = next((e for e in entries if e.name == MANIFEST), None)
    if manifest_entry is None:
        result.fail("v1_no_manifest", "Missing META-INF/MANIFEST.MF")
    sf_entries = {
        e.name: e for e in entries if e.name.startswith("META-INF/") and e.name.endswith(".SF")
    }
    for block in blocks:
        sf_name = block.name[: block.name.rfind(".")] + ".SF"
        if sf_name not in sf_entries:
            result.warnings.append(("v1_signature_file_missing", f"{block.name} has no {sf_name}"))
            _orphan(archive, block.name, result)
            continue
        result.signers.append(V1Signer(block.name, sf_name))
    for sf_name in sf_entries:
        if not any(s.sf_name == sf_name for s in result.signers):
            result.warnings.append(
                ("v1_signature_block_missing", f"{sf_name} has no signature block")
            )
    if manifest_entry is None or result.errors or not check:
        _read_certs_only(archive, result, min_sdk)  # no digests: certificates are the facts
        return result
    try:
        _verify(archive, result, manifest_entry, names, found_schemes, min_sdk, max_sdk, check)
    except (ZipEntryError, DigestDecodeError) as exc:
        result.fail("v1_entry_unreadable", str(exc))
    result.verified = not result.errors and any(s.used for s in result.signers)
    return result


def _unique_names(entries: list[ZipEntry], result: V1Result) -> set[str]:
    names: set[str] = set()
    for entry in entries:
        if entry.name in names:
            result.fail("v1_duplicate_entry", "duplicate ZIP entry", entry.name)
        names.add(entry.name)
    return names


def _read(archive: ZipArchive, name: str) -> bytes:
    entry = archive.get(name)
    if entry is None:
        raise ZipEntryError("v1_entry_unreadable", f"{name} missing")
    return archive.read(entry, max_size=MAX_META_SIZE)


def _orphan(archive: ZipArchive, name: str, result: V1Result) -> None:
    try:
        certs = pkcs7.claimed_chain(_read(archive, name))
    except ZipEntryError:
        return
    if certs:
        result.orphans.append((name, certs))


def _claimed(archive: ZipArchive, signer: V1Signer, exc: pkcs7.BlockError) -> list[bytes]:
    """Certificates a signature block that does not verify claims, read as apksig would.

    A block with an odd compression method is unreadable on a device (libziparchive only
    extracts stored and deflated data), so it never verifies; apksig inflates any method
    not marked stored, and that reading still names the claimed signer.
    """
    if exc.claimed:
        return exc.claimed
    entry = archive.get(signer.name)
    if entry is None or entry.method in (STORED, DEFLATED) or entry.data_offset < 0:
        return []
    try:
        return pkcs7.claimed_chain(_inflate_any_method(archive, entry))
    except ZipEntryError:
        return []


def _inflate_any_method(archive: ZipArchive, entry: ZipEntry) -> bytes:
    end = entry.data_offset + entry.compressed_size
    raw = archive.buf[entry.data_offset : min(end, len(archive.buf))]
    try:
        inflater = zlib.decompressobj(-15)
        data = inflater.decompress(raw, MAX_META_SIZE)
    except zlib.error as exc:
        raise ZipEntryError("v1_entry_unreadable", f"{entry.name}: {exc}") from exc
    if inflater.unconsumed_tail:
        raise ZipEntryError("v1_entry_unreadable", f"{entry.name}: larger than {MAX_META_SIZE}")
    return data


def _read_certs_only(archive: ZipArchive, result: V1Result, min_sdk: int) -> None:
    """Certificates of signers even when verification cannot run (for the facts)."""
    for signer in result.signers:
        try:
            outcome = pkcs7.verify_block(
                _read(archive, signer.name), _read(archive, signer.sf_name), min_sdk, 0x7FFFFFFF
            )
        except pkcs7.BlockError as exc:
            signer.chain = _claimed(archive, signer, exc)
            continue
        except ZipEntryError:
            continue
        signer.chain = outcome.chain
        signer.digest_algorithm = outcome.digest_algorithm


def _verify(
    archive: ZipArchive,
    result: V1Result,
    manifest_entry: ZipEntry,
    names: set[str],
    found: set[int],
    min_sdk: int,
    max_sdk: int,
    check: bool,
) -> None:
    manifest = archive.read(manifest_entry, max_size=MAX_META_SIZE)
    main, sections = _manifest_sections(manifest, names, result)
    if result.errors:
        _read_certs_only(archive, result, min_sdk)
        return
    if not result.signers:
        result.fail("v1_sf_invalid", "No JAR signatures")
        return
    for signer in result.signers:
        _verify_block(archive, signer, min_sdk, max_sdk)
    if any(s.errors for s in result.signers):
        return
    for signer in result.signers:
        signer.sf = check_sf(
            _read(archive, signer.sf_name), manifest, main, sections, found, min_sdk, max_sdk
        )
        signer.errors.extend(signer.sf.errors)
        result.claimed_schemes |= signer.sf.claimed_schemes
        result.warnings.extend(signer.sf.warnings)
    if any(s.errors for s in result.signers if s.sf and not s.sf.ignored):
        return
    live = [s for s in result.signers if s.sf is not None and not s.sf.ignored]
    if not live:
        result.fail("v1_sf_invalid", "No JAR signatures")
        return
    if check:
        _verify_entries(archive, sections, live, min_sdk, max_sdk, result)
    else:
        for signer in live:
            signer.used = True
    _unprotected(archive, manifest_entry, [s for s in live if s.used], result)


def _manifest_sections(
    manifest: bytes, names: set[str], result: V1Result
) -> tuple[Section | None, dict[str, Section]]:
    parser = ManifestParser(manifest)
    main = parser.read_section()
    sections: dict[str, Section] = {}
    for number, section in enumerate(parser.read_all_sections(), 1):
        name = section.name
        if name is None:
            result.fail("v1_manifest_unnamed_section", f"manifest section #{number} has no Name")
        elif name in sections:
            result.fail("v1_manifest_duplicate_section", "named twice in MANIFEST.MF", name)
        else:
            sections[name] = section
            if name not in names:
                result.fail("v1_manifest_entry_missing", "in MANIFEST.MF but not in the APK", name)
    return main, sections


def _verify_block(archive: ZipArchive, signer: V1Signer, min_sdk: int, max_sdk: int) -> None:
    try:
        outcome = pkcs7.verify_block(
            _read(archive, signer.name), _read(archive, signer.sf_name), min_sdk, max_sdk
        )
    except pkcs7.BlockError as exc:
        signer.errors.append((exc.code, f"{signer.name}: {exc.words}"))
        signer.chain = _claimed(archive, signer, exc)  # evidence of a claim; never "used"
        return
    signer.chain = outcome.chain
    signer.digest_algorithm = outcome.digest_algorithm


def _verify_entries(
    archive: ZipArchive,
    sections: dict[str, Section],
    signers: list[V1Signer],
    min_sdk: int,
    max_sdk: int,
    result: V1Result,
) -> None:
    first: list[V1Signer] | None = None
    for entry in sorted(archive.entries, key=lambda e: e.local_header_offset):
        name = entry.name
        if name.startswith("META-INF/") or name.endswith("/"):
            continue
        section = sections.get(name)
        if section is None:
            result.fail("v1_entry_not_in_manifest", "no digest in MANIFEST.MF", name)
            continue
        entry_signers = [s for s in signers if s.sf is not None and name in s.sf.names]
        if not entry_signers:
            result.fail("v1_entry_not_signed", "not listed in any .SF", name)
            continue
        if first is None:
            first = entry_signers
        elif entry_signers != first:
            result.fail("v1_entry_signers_mismatch", "signed by a different set of signers", name)
            continue
        expected = digests_to_verify(section, "-Digest", min_sdk, max_sdk)
        if not expected:
            result.fail("v1_entry_not_in_manifest", "no usable digest in MANIFEST.MF", name)
            continue
        _check_entry(archive, entry, expected, result)
    if first is None:
        result.fail("v1_entry_not_signed", "no signed entries")
        return
    for signer in first:
        signer.used = True


def _check_entry(
    archive: ZipArchive, entry: ZipEntry, expected: list[tuple[str, bytes]], result: V1Result
) -> None:
    data = archive.read_whole(entry, WHOLE_ENTRY)
    if data is not None:  # most entries: one read, one hash call per algorithm
        hashers = [hashlib.new(HASHLIB[alg], data) for alg, _ in expected]
    else:
        hashers = [hashlib.new(HASHLIB[alg]) for alg, _ in expected]
        for chunk in archive.iter_chunks(entry):
            for h in hashers:
                h.update(chunk)
    for (alg, digest), h in zip(expected, hashers, strict=True):
        if h.digest() != digest:
            result.fail("v1_entry_digest_mismatch", f"{alg} does not match MANIFEST.MF", entry.name)


def _unprotected(
    archive: ZipArchive, manifest: ZipEntry, used: list[V1Signer], result: V1Result
) -> None:
    protected = {manifest.name} | {s.name for s in used} | {s.sf_name for s in used}
    for entry in archive.entries:
        name = entry.name
        if name.startswith("META-INF/") and not name.endswith("/") and name not in protected:
            result.warnings.append(("v1_unprotected_meta_inf", name))
