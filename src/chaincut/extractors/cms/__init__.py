"""CMS / PKCS#7 SignedData reading for provisioning and configuration profiles."""

from chaincut.extractors.cms.signed import SignedMessage, looks_signed_data, read_signed_data

__all__ = ["SignedMessage", "looks_signed_data", "read_signed_data"]
