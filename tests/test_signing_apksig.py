"""Signature verification agrees with `apksigner verify` on every corpus APK.

apksigner (a JVM) is slow, so its verdicts are cached in tests/oracle_cache/apksigner.json
(refresh with tests/oracle_cache/refresh_apksigner.py). When the tool is installed, a
sample is re-run live (in parallel) and must still match the cache; files missing from
the cache are run live. We pass the same minSdk/targetSdk/targetSandbox apksigner reads
from the manifest (aapt's reading, cached with the verdict).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from chaincut.extractors.apk.signing import read_signing
from chaincut.extractors.findings import Findings
from chaincut.extractors.zip import ZipFormatError
from tests.corpus import corpus_dir
from tests.signing_zip import archive_for

pytestmark = [pytest.mark.corpus, pytest.mark.oracle]

ORACLE_DIR = Path(__file__).resolve().parent / "oracle_cache"
sys.path.insert(0, str(ORACLE_DIR))
import refresh_apksigner  # noqa: E402

LIVE_SAMPLE = 12  # files re-verified live to prove the cache is still what the tool says

# Files where chaincut and apksigner 31 differ, each with why Android sides with chaincut.
KNOWN_DISAGREEMENTS: dict[str, str] = {
    "v31-ec-p256-2-tgt-33-1-tgt-28-targetSdk-30.apk": (
        "APK Signature Scheme v3.1 (key rotation targeting Android 13) postdates apksigner 31, "
        "which ignores the v3.1 block and then finds the v3.0 signer covering only API 24-32. "
        "Android 13+ verifies the v3.1 signer (API 32+) and Android 9-12 the v3.0 signer, so "
        "every platform from the APK's minSdk 29 accepts it, as chaincut says."
    ),
    "weird-compression-method.apk": (
        "META-INF/CERT.RSA declares compression method 21. apksig inflates every non-stored "
        "method, so apksigner verifies. Android reads entries through libziparchive, which "
        "only extracts stored (0) and deflated (8) data; the platform's JAR verifier never "
        "gets a parsable PKCS#7 block, so the v1-only package is rejected on a device, as "
        "chaincut reports (anomaly unsupported_compression_method)."
    ),
}


def _files() -> list[Path]:
    root = corpus_dir("androguard")
    return sorted((root / "apksig").glob("*.apk")) + sorted(root.glob("*.apk"))


def _files_or_empty() -> list[Path]:
    """Collection-time listing; an absent corpus yields nothing (the fixture tests skip)."""
    root = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "androguard"
    return sorted((root / "apksig").glob("*.apk")) + sorted(root.glob("*.apk"))


@pytest.fixture(scope="session")
def oracle() -> dict[str, dict[str, Any]]:
    """sha256 -> apksigner verdict, from the cache, completed live where missing."""
    cache: dict[str, dict[str, Any]] = json.loads((ORACLE_DIR / "apksigner.json").read_text())
    missing = [p for p in _files() if _sha(p) not in cache]
    if missing:
        if shutil.which("apksigner") is None:
            pytest.skip(f"{len(missing)} APKs not in the oracle cache and apksigner is absent")
        with ThreadPoolExecutor(max_workers=4) as pool:
            cache.update(pool.map(refresh_apksigner.verdict, missing))
    return cache


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _ours(path: Path, verdict: dict[str, Any]) -> tuple[bool, list[str], str]:
    buf = path.read_bytes()
    try:
        archive = archive_for(buf)
    except ZipFormatError as exc:
        return False, [], f"not a ZIP: {exc}"
    facts = read_signing(
        archive,
        Findings(),
        min_sdk=verdict["min_sdk"],
        target_sdk=verdict["target_sdk"],
        target_sandbox=verdict["target_sandbox"],
    )
    signer_count = len(verdict["signers"])
    return facts.verified, [c.sha256 for c in facts.certificates[:signer_count]], facts.reason


def test_cache_matches_live_tool(oracle: dict[str, dict[str, Any]]) -> None:
    if shutil.which("apksigner") is None or shutil.which("aapt") is None:
        pytest.skip("apksigner/aapt not installed: relying on the cached verdicts")
    files = _files()
    step = max(1, len(files) // LIVE_SAMPLE)
    sample = files[::step][:LIVE_SAMPLE]
    with ThreadPoolExecutor(max_workers=4) as pool:
        live = dict(pool.map(refresh_apksigner.verdict, sample))
    for sha, verdict in live.items():
        cached = oracle[sha]
        assert (cached["verified"], cached["signers"]) == (verdict["verified"], verdict["signers"])
        assert cached["min_sdk"] == verdict["min_sdk"], verdict["name"]


@pytest.mark.parametrize("path", _files_or_empty(), ids=lambda p: p.name)
def test_agrees_with_apksigner(path: Path, oracle: dict[str, dict[str, Any]]) -> None:
    verdict = oracle[_sha(path)]
    verified, certs, reason = _ours(path, verdict)
    agree = verified == verdict["verified"] and (
        not verified or set(certs) == set(verdict["signers"])
    )
    if path.name in KNOWN_DISAGREEMENTS:
        assert not agree, f"{path.name} now agrees: drop it from KNOWN_DISAGREEMENTS"
        return
    assert agree, (
        f"ours: verified={verified} ({reason}) certs={certs}; "
        f"apksigner: verified={verdict['verified']} {verdict['errors'][:1]} "
        f"{verdict['exception']} certs={verdict['signers']}"
    )


def test_corpus_is_all_there(oracle: dict[str, dict[str, Any]]) -> None:
    """The oracle set is the whole apksig test corpus, both outcomes well represented."""
    files = _files()
    assert len(files) >= 300
    outcomes = [oracle[_sha(p)]["verified"] for p in files]
    assert outcomes.count(True) > 100 and outcomes.count(False) > 100
