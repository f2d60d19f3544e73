"""Anomaly codes of the CMS / PKCS#7 SignedData reader (provisioning and configuration profiles).

Apple signs provisioning profiles; configuration profiles may be signed by anyone. A blob
that does not verify, carries bytes after the signature or omits its signer was edited
after signing or made by a tool that wants to look signed.
"""

from __future__ import annotations

CODES: dict[str, str] = {
    "cms_invalid": "the CMS blob does not parse; no signed content or certificates are read",
    "cms_truncated": "the CMS blob is shorter than its outer length says",
    "cms_trailing_data": "bytes follow the end of the CMS blob (appended after signing)",
    "cms_indefinite_length": (
        "BER indefinite-length encoding (Apple's signer uses it too; notable with other oddities)"
    ),
    "cms_not_signed_data": "the ContentInfo is not SignedData",
    "cms_no_content": "SignedData has no encapsulated content (detached signature)",
    "cms_no_signer": "SignedData has no SignerInfo",
    "cms_signer_certificate_missing": "the signer's certificate is not in the SignedData",
    "cms_bad_certificate": "a certificate in the SignedData does not parse; it is fingerprinted",
    "cms_too_many_certificates": "more certificates than chaincut reads; the rest are ignored",
    "cms_digest_mismatch": "the content's digest differs from the signed messageDigest attribute",
    "cms_signature_invalid": "the signer's signature does not verify with its certificate",
    "cms_unsupported_algorithm": "the digest or signature algorithm is one chaincut cannot check",
}
