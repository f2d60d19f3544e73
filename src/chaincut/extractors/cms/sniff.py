"""Is a blob CMS SignedData? Decided from its first bytes, with no ASN.1 library loaded."""

from __future__ import annotations

SIGNED_DATA_DER = bytes.fromhex("06092a864886f70d010702")  # OID 1.2.840.113549.1.7.2


def looks_signed_data(buf: bytes) -> bool:
    """A SEQUENCE whose first element is the signedData OID (cheap sniff)."""
    return buf[:1] == b"\x30" and SIGNED_DATA_DER in buf[2:16]
