"""Anomaly codes of the APK signature reader (v1 JAR signing, the APK Signing Block, v2/v3/v3.1)."""

from __future__ import annotations

CODES: dict[str, str] = {
    "signing_block_malformed": (
        "the APK Signing Block is malformed (size fields disagree, bad magic position, pair "
        "lengths overrun); Android ignores it and falls back to JAR signing"
    ),
    "signing_block_pair_malformed": "a pair in the APK Signing Block has a length out of range",
    "signing_block_unknown_id": "the APK Signing Block holds a pair with an ID nobody documents",
    "signing_block_duplicate_id": "the APK Signing Block holds the same pair ID twice",
    "signing_block_not_adjacent": (
        "the central directory is not followed directly by the end record, so Android cannot "
        "find the APK Signing Block"
    ),
    "signing_block_orphan_magic": (
        "an 'APK Sig Block 42' magic sits somewhere other than right before the central directory"
    ),
    "signing_scheme_malformed": "a v2/v3/v3.1 signature scheme block could not be parsed",
    "signing_signer_malformed": "one signer record of a v2/v3 block could not be parsed",
    "signing_signature_invalid": "a signer's signature over its signed data does not verify",
    "signing_no_supported_algorithm": "a signer has no signature algorithm Android supports",
    "signing_unknown_algorithm": "a signer uses a signature algorithm ID Android does not know",
    "signing_digest_mismatch": "the APK contents do not match the digest the signer signed",
    "signing_public_key_mismatch": "a signer's public key differs from its certificate's key",
    "signing_algorithm_list_mismatch": "signatures and digests list different algorithms",
    "signing_no_certificates": "a signer lists no certificate",
    "signing_certificate_unparsable": "a signing certificate could not be parsed as X.509",
    "signing_certificate_not_der": "a signing certificate is BER rather than DER encoded",
    "signing_duplicate_signer": "the same certificate signs twice within one scheme",
    "signing_certificate_validity_odd": "a signing certificate's validity ends before it starts",
    "signing_sdk_range_invalid": (
        "a v3 signer's SDK range is inverted or differs from its signed data"
    ),
    "signing_sdk_range_gap": "v3 signers leave SDK versions uncovered or overlap",
    "signing_lineage_invalid": (
        "the v3 proof-of-rotation lineage does not verify or is inconsistent"
    ),
    "signing_lineage_capabilities_dropped": (
        "a past signing key in the rotation lineage lost capabilities (e.g. was revoked)"
    ),
    "signing_scheme_stripped": (
        "a signature names a newer scheme (X-Android-APK-Signed / stripping protection) that is "
        "missing from the APK: a sign of a stripped signature"
    ),
    "signing_unknown_additional_attribute": "a v2/v3 signer carries an unknown signed attribute",
    "signing_schemes_disagree": "different schemes name different signing certificates",
    "signing_verity_unaligned": (
        "a verity digest is used but the signing block is not 4 KiB aligned"
    ),
    "v1_no_manifest": "signature files exist but META-INF/MANIFEST.MF is missing",
    "v1_manifest_unnamed_section": "a MANIFEST.MF individual section has no Name",
    "v1_manifest_duplicate_section": "MANIFEST.MF names the same entry twice",
    "v1_manifest_entry_missing": "MANIFEST.MF lists an entry that is not in the ZIP",
    "v1_entry_not_in_manifest": "a ZIP entry outside META-INF is not covered by MANIFEST.MF",
    "v1_entry_digest_mismatch": "an entry's data does not match its MANIFEST.MF digest",
    "v1_entry_unreadable": "an entry covered by MANIFEST.MF could not be read to check its digest",
    "v1_entry_not_signed": "an entry in MANIFEST.MF is not listed in a signer's .SF file",
    "v1_entry_signers_mismatch": "entries are signed by different sets of v1 signers",
    "v1_duplicate_entry": "two ZIP entries share one name; JAR verification rejects that",
    "v1_signature_file_missing": "a signature block (.RSA/.DSA/.EC) has no matching .SF file",
    "v1_signature_block_missing": "a .SF file has no matching signature block file",
    "v1_sf_invalid": "a .SF file lacks Signature-Version or has unnamed/duplicate sections",
    "v1_sf_manifest_mismatch": (
        "the .SF digest of MANIFEST.MF (whole or per section) does not match"
    ),
    "v1_pkcs7_unparsable": "a signature block is not a parsable PKCS#7 SignedData",
    "v1_signature_invalid": "a signature block does not verify over its .SF file",
    "v1_unsupported_algorithm": "a v1 signature uses an algorithm Android does not support",
    "v1_signer_certificate_missing": (
        "the signer's certificate is not in the PKCS#7 certificate set"
    ),
    "v1_unprotected_meta_inf": "a file under META-INF is not protected by any JAR signature",
}
