"""Hardened property-list reading (XML and binary) for iOS artifacts."""

from chaincut.extractors.plist.model import Limits, Plist, PlistValue, plist_to_json_safe
from chaincut.extractors.plist.reader import plist_format, read_plist

__all__ = ["Limits", "Plist", "PlistValue", "plist_format", "plist_to_json_safe", "read_plist"]
