"""Registers the iOS extractors (IPA, provisioning profile, .mobileconfig, itms manifest).

A standalone .mobileprovision yields kind "ipa", format "mobileprovision" and an ``ipa``
section holding only ``provision``: the profile is part of an app's identity, and keeping
it where the IPA's own profile goes lets rules and linking treat both the same way.
"""

from __future__ import annotations

from chaincut.extractors.base import Extracted, Extractor, Sample
from chaincut.extractors.findings import Findings
from chaincut.extractors.ios.sniff import classify, ipa_score
from chaincut.extractors.sniff import central_directory, is_zip
from chaincut.facts.ios import IpaFacts
from chaincut.facts.models import Indicator, Location
from chaincut.plugins.manager import hookimpl


class IpaExtractor:
    """iOS app archives: a ZIP with Payload/X.app/Info.plist."""

    name = "ipa"

    def sniff(self, sample: Sample) -> int:
        return ipa_score(central_directory(sample.buf)) if is_zip(sample.buf) else 0

    def extract(self, sample: Sample, findings: Findings) -> Extracted:
        from chaincut.extractors.ios.ipa import extract_ipa
        from chaincut.extractors.zip import ZipArchive, ZipFormatError

        try:
            archive = ZipArchive.parse(sample.buf, findings)
        except ZipFormatError as exc:
            findings.error(f"not a readable ZIP archive: {exc}")
            return Extracted(kind="ipa", format="zip")
        result = extract_ipa(archive, findings)
        return Extracted(
            kind="ipa",
            format="zip",
            facts={"ipa": result.facts},
            indicators=result.indicators,
            blobs=result.blobs,
        )


class ProvisionExtractor:
    """A provisioning profile given on its own (CMS-signed plist, or a bare plist)."""

    name = "mobileprovision"

    def sniff(self, sample: Sample) -> int:
        return 85 if classify(sample.buf) == "provision" else 0

    def extract(self, sample: Sample, findings: Findings) -> Extracted:
        from chaincut.extractors.apk.indicators import dedupe
        from chaincut.extractors.ios.provision import read_provision

        prov = read_provision(sample.buf, findings)
        where = Location(entry="profile")
        found = (
            [Indicator(kind="team_id", value=prov.team_id, location=where)] if prov.team_id else []
        )
        found += [
            Indicator(kind="cert_sha256", value=c.sha256, location=where) for c in prov.certificates
        ]
        return Extracted(
            kind="ipa",
            format="mobileprovision",
            facts={"ipa": IpaFacts(provision=prov)},
            indicators=dedupe(found),
        )


class MobileconfigExtractor:
    """Configuration profiles; also takes unrecognised CMS blobs (reported as such)."""

    name = "mobileconfig"

    def sniff(self, sample: Sample) -> int:
        role = classify(sample.buf)
        return 85 if role == "mobileconfig" else 30 if role == "cms" else 0

    def extract(self, sample: Sample, findings: Findings) -> Extracted:
        from chaincut.extractors.ios.indicators import mobileconfig_indicators
        from chaincut.extractors.ios.mobileconfig import read_mobileconfig

        result = read_mobileconfig(sample.buf, findings)
        return Extracted(
            kind="mobileconfig",
            format="mobileconfig",
            facts={"mobileconfig": result.facts},
            indicators=mobileconfig_indicators(result.facts),
            blobs=result.blobs,
        )


class ItmsManifestExtractor:
    """The plist behind an itms-services:// install link."""

    name = "itms_manifest"

    def sniff(self, sample: Sample) -> int:
        return 85 if classify(sample.buf) == "itms" else 0

    def extract(self, sample: Sample, findings: Findings) -> Extracted:
        from chaincut.extractors.ios.indicators import itms_indicators
        from chaincut.extractors.ios.itms import read_itms_manifest

        facts = read_itms_manifest(sample.buf, findings)
        return Extracted(
            kind="other",
            format="itms-manifest",
            facts={"itms_manifest": facts},
            indicators=itms_indicators(facts),
        )


@hookimpl
def chaincut_extractors() -> list[Extractor]:
    return [IpaExtractor(), ProvisionExtractor(), MobileconfigExtractor(), ItmsManifestExtractor()]
