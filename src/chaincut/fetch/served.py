"""What the way an artifact was served says about it (anomalies of a fetched document).

Kits disguise downloads: an APK labelled text/html slips past filters that block
application/vnd.android.package-archive, and apps served over plain http can be swapped
in transit. These are judged after extraction, from the bytes' real kind.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from chaincut.facts.models import Anomaly, FactsDocument, Location
from chaincut.fetch.client import FetchOutcome
from chaincut.fetch.policy import FetchPolicy

BINARY_KINDS = ("apk", "dex", "ipa")
APP_KINDS = ("apk", "dex", "ipa", "mobileconfig")
DECLARED_KINDS = {  # Content-Type -> the only kind such a body may be
    "application/vnd.android.package-archive": "apk",
    "application/x-apple-aspen-config": "mobileconfig",
}


def served_anomalies(
    doc: FactsDocument, outcome: FetchOutcome, policy: FetchPolicy
) -> list[Anomaly]:
    """fetch_truncated, content_type_mismatch and download_over_cleartext, as they apply."""
    where = Location(url=outcome.final_url)
    out: list[Anomaly] = []
    if outcome.truncated:
        detail = f"kept the first {policy.max_bytes} bytes of a larger response"
        out.append(_anomaly("fetch_truncated", detail, where))
    mismatch = _content_type_mismatch(doc, outcome.content_type)
    if mismatch:
        out.append(_anomaly("content_type_mismatch", mismatch, where))
    is_app = doc.kind in APP_KINDS or doc.itms_manifest is not None
    if is_app and urlsplit(outcome.final_url).scheme.lower() == "http":
        detail = f"{_what(doc)} downloaded from {outcome.final_url}"
        out.append(_anomaly("download_over_cleartext", detail, where))
    return out


def _content_type_mismatch(doc: FactsDocument, header: str | None) -> str | None:
    declared = (header or "").split(";", 1)[0].strip().lower()
    if not declared:
        return None
    expected = DECLARED_KINDS.get(declared)
    text_for_binary = declared.startswith("text/") and doc.kind in BINARY_KINDS
    if text_for_binary or (expected is not None and doc.kind != expected):
        return f"served as {declared} but the content is {_what(doc)}"
    return None


def _what(doc: FactsDocument) -> str:
    if doc.itms_manifest is not None:
        return "an itms-services install manifest"
    names = {"apk": "an APK", "dex": "a DEX file", "ipa": "an IPA", "page": "a web page"}
    return names.get(doc.kind, f"{doc.kind} content ({doc.format})")


def _anomaly(code: str, detail: str, where: Location) -> Anomaly:
    return Anomaly(code=code, detail=detail, location=where)
