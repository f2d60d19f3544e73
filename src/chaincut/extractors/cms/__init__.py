"""CMS / PKCS#7 SignedData reading for provisioning and configuration profiles.

Names are imported on first use (:mod:`chaincut.lazy`): sniffing with
``looks_signed_data`` must not load asn1crypto and cryptography, which reading needs.
"""

from typing import TYPE_CHECKING

from chaincut.lazy import lazy_exports

if TYPE_CHECKING:
    from chaincut.extractors.cms.signed import SignedMessage, read_signed_data
    from chaincut.extractors.cms.sniff import looks_signed_data

__all__ = ["SignedMessage", "looks_signed_data", "read_signed_data"]
__getattr__ = lazy_exports(
    __name__,
    {"SignedMessage": "signed", "read_signed_data": "signed", "looks_signed_data": "sniff"},
)
