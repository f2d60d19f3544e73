"""The fallback extractor: anything no other extractor claims still gets a document."""

from __future__ import annotations

from chaincut.extractors.base import Extracted, Extractor, Sample
from chaincut.extractors.findings import Findings
from chaincut.extractors.sniff import binary_format
from chaincut.plugins.manager import hookimpl

DESCRIPTIONS = {
    "pe": "a Windows PE executable (MZ header)",
    "elf": "an ELF binary",
    "macho": "a Mach-O binary",
    "zip": "a ZIP archive without an Android manifest or DEX",
    "empty": "an empty file",
    "unknown": "of no recognised format",
}


class OtherExtractor:
    """Names what the content is, so a mislabelled file is reported, not skipped."""

    name = "other"

    def sniff(self, sample: Sample) -> int:
        return 1

    def extract(self, sample: Sample, findings: Findings) -> Extracted:
        fmt = binary_format(sample.buf)
        what = DESCRIPTIONS.get(fmt, f"a {fmt} file")
        findings.error(f"not an app package: the content is {what}")
        return Extracted(kind="other", format=fmt)


@hookimpl
def chaincut_extractors() -> list[Extractor]:
    return [OtherExtractor()]
