"""DexFacts from a parsed DexFile: counts, packages and framework API references."""

from __future__ import annotations

from chaincut.extractors.dex.reader import DexFile
from chaincut.extractors.findings import Findings
from chaincut.facts.models import DexFacts


def dex_facts(dex: DexFile, *, api_refs: bool = True) -> DexFacts:
    """The facts document's view of one DEX (counts are of items that fit in the file)."""
    h = dex.header
    if h is None:
        return DexFacts(name=dex.name, size=len(dex.buf))
    return DexFacts(
        name=dex.name,
        size=len(dex.buf),
        version=h.version,
        strings=h.strings.size,
        types=h.types.size,
        classes=h.classes.size,
        methods=h.methods.size,
        fields=h.fields.size,
        checksum_ok=h.checksum_ok,
        packages=dex.packages(),
        api_refs=dex.api_refs() if api_refs else [],
    )


def extract_dex_file(
    buf: bytes | bytearray | memoryview, findings: Findings, name: str = "classes.dex"
) -> DexFacts:
    """Facts of a DEX file given directly."""
    return dex_facts(DexFile.parse(buf, findings, name=name))
