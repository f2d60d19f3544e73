"""Split and bundle packages (XAPK, APKS, APKM, AAB) read into one APK facts document.

The document's kind stays ``apk`` (outside tools see an Android app) and ``format`` names
the container; ``apk.bundle`` lists the base and every split with its own signature.
``detect`` tells a bundle by its entry names and loads nothing else; the reader
(``read.extract_bundle``) is imported on first use (:mod:`chaincut.lazy`).
"""

from typing import TYPE_CHECKING

from chaincut.lazy import lazy_exports

if TYPE_CHECKING:
    from chaincut.extractors.apk.bundle.detect import bundle_format, looks_like_bundle
    from chaincut.extractors.apk.bundle.read import extract_bundle

__all__ = ["bundle_format", "extract_bundle", "looks_like_bundle"]
__getattr__ = lazy_exports(
    __name__,
    {"bundle_format": "detect", "looks_like_bundle": "detect", "extract_bundle": "read"},
)
