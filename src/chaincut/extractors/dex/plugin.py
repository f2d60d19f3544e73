"""Registers the DEX extractor (for DEX files given directly) through the public hook."""

from __future__ import annotations

from chaincut.extractors.base import Extracted, Extractor, Sample
from chaincut.extractors.findings import Findings
from chaincut.facts.models import Location
from chaincut.plugins.manager import hookimpl


class DexExtractor:
    """A bare DEX file: header, tables and the indicators in its strings."""

    name = "dex"

    def sniff(self, sample: Sample) -> int:
        return 90 if sample.buf.startswith(b"dex\n") else 0

    def extract(self, sample: Sample, findings: Findings) -> Extracted:
        from chaincut.extractors.apk.indicators import dedupe
        from chaincut.extractors.dex import DexFile, dex_facts
        from chaincut.extractors.indicators import find_indicators_bytes
        from chaincut.extractors.indicators.extract import MAX_INPUT

        name = sample.path.rsplit("/", 1)[-1]
        dex = DexFile.parse(sample.buf, findings, name=name)
        scan = dex.scan_bytes(limit=MAX_INPUT)
        indicators = find_indicators_bytes(scan, location=Location(entry=name))
        return Extracted(
            kind="dex", format="dex", facts={"dex": dex_facts(dex)}, indicators=dedupe(indicators)
        )


@hookimpl
def chaincut_extractors() -> list[Extractor]:
    return [DexExtractor()]
