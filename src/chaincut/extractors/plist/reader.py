"""One entry point for any property list: size check, format sniff, bounded decode.

Readers of Info.plist, provisioning profiles, configuration profiles and manifests call
:func:`read_plist` and get a :class:`Plist` back whatever the bytes hold; problems become
anomalies in the caller's Findings, located at the entry the bytes came from.
"""

from __future__ import annotations

from chaincut.extractors.findings import Findings
from chaincut.extractors.plist.binary import HEADER, parse_binary
from chaincut.extractors.plist.model import Limits, Plist, PlistError, PlistValue
from chaincut.extractors.plist.xmlplist import parse_xml

_XML_STARTS = (b"<?xml", b"<plist", b"<!DOCTYPE")
_BOMS = (b"\xef\xbb\xbf",)


def plist_format(data: bytes) -> str | None:
    """'binary', 'xml' or None, from the first bytes only."""
    if data.startswith(HEADER):
        return "binary"
    head = data[:512]
    for bom in _BOMS:
        if head.startswith(bom):
            head = head[len(bom) :]
    return "xml" if head.lstrip().startswith(_XML_STARTS) else None


def read_plist(
    data: bytes, findings: Findings, *, entry: str | None = None, limits: Limits | None = None
) -> Plist:
    """Decode ``data``; never raises. The format is 'invalid' when nothing could be read."""
    limits = limits or Limits()
    if len(data) > limits.max_size:
        findings.anomaly("plist_too_large", f"{len(data)} bytes", entry=entry)
        return Plist(None, "invalid")
    fmt = plist_format(data)
    if fmt is None:
        findings.anomaly("plist_invalid", "neither an XML nor a binary plist", entry=entry)
        return Plist(None, "invalid")
    notes: list[tuple[str, str]] = []
    try:
        if fmt == "binary":
            value: PlistValue = parse_binary(data, limits, notes)
        else:
            value = parse_xml(data, limits, notes)
    except PlistError as exc:
        _report(findings, notes, entry)
        findings.anomaly(exc.code, exc.detail, entry=entry)
        return Plist(None, "invalid")
    _report(findings, notes, entry)
    return Plist(value, "binary" if fmt == "binary" else "xml")


def _report(findings: Findings, notes: list[tuple[str, str]], entry: str | None) -> None:
    for code, detail in notes[:50]:
        findings.anomaly(code, detail, entry=entry)
