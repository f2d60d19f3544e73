"""chaincut's APK facts against androguard and aapt over every APK in both corpora.

Every disagreement is either fixed or listed in KNOWN with the reason Android agrees with us.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from chaincut.extractors.budget import Job, extract_file
from chaincut.facts.models import FactsDocument
from tests.corpus import SHARED
from tests.oracles import OracleFacts, aapt_available, aapt_badging, androguard_facts

pytestmark = [pytest.mark.corpus, pytest.mark.oracle]

CORPUS_APKS = sorted((SHARED / "corpus" / "androguard").glob("*.apk")) + sorted(
    (SHARED / "corpus" / "malware").glob("*.apk")
)

# (file name, "oracle field") -> why chaincut differs and Android agrees with chaincut.
KNOWN: dict[tuple[str, str], str] = {
    ("duplicate.permisssions_9999999.apk", "androguard permissions"): (
        "androguard drops <uses-permission-sdk-23>; Android grants those on API 23+ and aapt "
        "lists them, as chaincut does"
    ),
    ("30d7c91d2f91ddca2965e68936d4c924ea6d1f1edc9873f6d503a4071930b339.apk", "aapt permissions"): (
        "Geinimi: the manifest strings its injectors added are not NUL-terminated. aapt (and "
        "Android 5+) read them as null and aapt stops listing permissions; Android 2.x, which "
        "the sample targeted, read them. chaincut decodes them from their length prefix and "
        "records stringpool_unterminated, so the injected receiver and permissions stay evidence"
    ),
}


def _ours(path: Path) -> FactsDocument:
    return extract_file(Job(display=str(path), fspath=str(path)), keep_blobs=False).document


def _check(doc: FactsDocument, oracle: OracleFacts, name: str, who: str) -> list[str]:
    apk = doc.apk
    assert apk is not None
    ours = {
        "package": apk.package,
        "version_code": None if apk.version_code is None else str(apk.version_code),
        "version_name": apk.version_name,
        "min_sdk": None if apk.min_sdk is None else str(apk.min_sdk),
        "target_sdk": None if apk.target_sdk is None else str(apk.target_sdk),
        "permissions": set(apk.permissions),
        "label": apk.label,
    }
    theirs = {
        "package": oracle.package,
        "version_code": oracle.version_code,
        "version_name": oracle.version_name,
        "min_sdk": oracle.min_sdk,
        "target_sdk": oracle.target_sdk,
        "permissions": oracle.permissions,
        "label": oracle.label,
    }
    if who == "androguard":
        # chaincut also keeps the certificates of signers that do not verify (claims,
        # verified false): those may be more than androguard reads, never fewer
        claims = {c.sha256 for c in apk.signing.certificates if c.verified is False}
        ours["certs"] = {c.sha256 for c in apk.signing.certificates} - (claims - oracle.certs)
        theirs["certs"] = oracle.certs
    problems = []
    for key, value in theirs.items():
        if value in (None, "") and key not in ("certs", "permissions"):
            continue  # the oracle has no opinion
        if ours[key] != value and (name, f"{who} {key}") not in KNOWN:
            problems.append(f"{who} {key}: ours={ours[key]!r} theirs={value!r}")
    return problems


@pytest.mark.parametrize("path", CORPUS_APKS, ids=lambda p: p.name[:40])
def test_apk_matches_oracles(path: Path) -> None:
    doc = _ours(path)
    assert not [e for e in doc.errors if "internal error" in e], doc.errors
    problems: list[str] = []
    if aapt_available():
        badging = aapt_badging(str(path))
        if badging.error is None:
            assert doc.kind == "apk"
            problems += _check(doc, badging, path.name, "aapt")
    ag = androguard_facts(str(path))
    if ag.error is None and doc.kind == "apk":
        problems += _check(doc, ag, path.name, "androguard")
    assert not problems, "\n".join(problems)


def test_corpus_present_or_skip() -> None:
    if not CORPUS_APKS:
        pytest.skip(f"no APKs under {SHARED / 'corpus'}: the shared corpus is absent")
    assert len(CORPUS_APKS) > 50
