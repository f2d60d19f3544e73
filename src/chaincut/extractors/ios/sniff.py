"""Which iOS reader a plist or CMS blob belongs to, from marker keys in its first bytes.

Provisioning and configuration profiles are both CMS around a plist, and the plist's
keys sit in the blob as plain text (signed, not encrypted); binary plists keep keys as
ASCII too. So a byte search over the head decides cheaply, before any parsing.
"""

from __future__ import annotations

import re
from typing import Literal

from chaincut.extractors.cms.sniff import looks_signed_data
from chaincut.extractors.plist import plist_format

Role = Literal["provision", "mobileconfig", "itms", "cms", "plist"]
HEAD = 1 << 20
IPA_INFO = re.compile(rb"Payload/[^/\x00]{1,255}\.app/Info\.plist")


def classify(buf: bytes) -> Role | None:
    """The reader for this blob; 'cms'/'plist' when wrapped but unrecognised; None if neither."""
    wrapped: Role
    if looks_signed_data(buf):
        wrapped = "cms"
    elif plist_format(buf) is not None:
        wrapped = "plist"
    else:
        return None
    head = buf[:HEAD]
    if (
        b"ProvisionedDevices" in head
        or b"ProvisionsAllDevices" in head
        or (b"DeveloperCertificates" in head)
        or (b"TeamIdentifier" in head and b"Entitlements" in head)
    ):
        return "provision"
    if b"PayloadContent" in head or b"PayloadType" in head:
        return "mobileconfig"
    if b"items" in head and b"assets" in head:
        return "itms"
    return wrapped


def ipa_score(central_directory: bytes) -> int:
    """95 for Payload/X.app/Info.plist; 55 for Payload/X.app/ without one; else 0."""
    if IPA_INFO.search(central_directory):
        return 95
    if b"Payload/" in central_directory and b".app/" in central_directory:
        return 55
    return 0
