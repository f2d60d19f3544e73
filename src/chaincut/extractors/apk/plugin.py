"""Registers the APK extractor through the public hook, like any third-party extractor.

Sniffing reads entry names only; the reader (manifest, resources, signatures, DEX,
indicators) is imported when the first Android package is read, so registering the
extractor costs nothing to a run that reads none.
"""

from __future__ import annotations

from chaincut.extractors.apk.bundle.detect import looks_like_bundle
from chaincut.extractors.base import Extracted, Extractor, Sample
from chaincut.extractors.findings import Findings
from chaincut.extractors.sniff import LOCAL_SIG, central_directory, is_zip
from chaincut.plugins.manager import hookimpl


class ApkExtractor:
    """Android packages (and DEX-carrying JARs), recognised from the ZIP's entry names.

    Split and bundle packages (XAPK, APKS, APKM, AAB) are Android apps too: they stay kind
    ``apk``, with ``format`` naming the container and ``apk.bundle`` the splits.
    """

    name = "apk"

    def sniff(self, sample: Sample) -> int:
        buf = sample.buf
        if not is_zip(buf):
            return 0
        cd = central_directory(buf)
        if looks_like_bundle(cd):
            return 85
        if b"AndroidManifest.xml" in cd:
            return 90
        if b"classes.dex" in cd:
            return 60
        if not cd and buf.startswith(LOCAL_SIG) and b"AndroidManifest.xml" in buf[: 1 << 20]:
            return 50  # truncated: no central directory, but an APK's first entries
        return 0

    def extract(self, sample: Sample, findings: Findings) -> Extracted:
        from chaincut.extractors.apk.bundle.detect import bundle_format
        from chaincut.extractors.apk.extract import extract_apk
        from chaincut.extractors.zip import ZipArchive, ZipFormatError

        try:
            archive = ZipArchive.parse(sample.buf, findings)
        except ZipFormatError as exc:
            findings.error(f"not a readable ZIP archive: {exc}")
            return Extracted(kind="apk", format="zip")
        fmt = bundle_format(archive.names())
        if fmt is not None:
            from chaincut.extractors.apk.bundle.read import extract_bundle

            result = extract_bundle(archive, fmt, sample.path, findings)
        else:
            result = extract_apk(archive, sample.path, findings)
        return Extracted(
            kind="apk",
            format=fmt or ("zip" if result.has_manifest else "jar"),
            facts={"apk": result.facts},
            indicators=result.indicators,
            blobs=result.blobs,
        )


@hookimpl
def chaincut_extractors() -> list[Extractor]:
    return [ApkExtractor()]
