"""Android binary XML, decoded as tolerantly as Android decodes it."""

from chaincut.extractors.apk.axml.model import XmlAttribute, XmlElement
from chaincut.extractors.apk.axml.parser import parse_axml

__all__ = ["XmlAttribute", "XmlElement", "parse_axml"]
