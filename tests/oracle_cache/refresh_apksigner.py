"""Refresh tests/oracle_cache/apksigner.json: what `apksigner verify` says about each corpus APK.

apksigner is a JVM and slow, so the signing oracle test reads this cache and re-runs the
live tool only on a sample (to prove the cache is still what the tool says). Run from the
repo root after the corpus or apksigner changes:

    python tests/oracle_cache/refresh_apksigner.py
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
CACHE = HERE / "apksigner.json"
SHARED = HERE.parents[2] / "shared" / "corpus" / "androguard"
SIGNER_SHA256 = re.compile(r"^Signer #\d+ certificate SHA-256 digest: ([0-9a-f]{64})$", re.M)
SCHEME = re.compile(r"^Verified using (v\d+(?:\.\d+)?) scheme[^:]*: (true|false)$", re.M)
SDK = re.compile(r"^sdkVersion:'(\d+)'$", re.M)
TARGET = re.compile(r"^targetSdkVersion:'(\d+)'$", re.M)
SANDBOX = re.compile(r"android:targetSandboxVersion\(0x0101054c\)=\(type 0x10\)0x([0-9a-f]+)")


def corpus_apks() -> list[Path]:
    """Every APK the signing oracle test looks at."""
    return sorted((SHARED / "apksig").glob("*.apk")) + sorted(SHARED.glob("*.apk"))


def manifest_sdks(path: Path) -> dict[str, int | None]:
    """min/target SDK and targetSandboxVersion as aapt reads them (apksigner uses all three)."""
    badging = subprocess.run(
        ["aapt", "dump", "badging", str(path)], capture_output=True, text=True, timeout=120
    ).stdout
    tree = subprocess.run(
        ["aapt", "dump", "xmltree", str(path), "AndroidManifest.xml"],
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    if "dump failed" in badging or not badging:
        return _androguard_sdks(path)
    out: dict[str, int | None] = {}
    for key, pattern, text, base in (
        ("min_sdk", SDK, badging, 10),
        ("target_sdk", TARGET, badging, 10),
        ("target_sandbox", SANDBOX, tree, 16),
    ):
        m = pattern.search(text)
        out[key] = int(m.group(1), base) if m else None
    return out


def _androguard_sdks(path: Path) -> dict[str, int | None]:
    """When aapt refuses the ZIP (e.g. a NUL in a name), read the manifest with androguard."""
    import zipfile

    from androguard.core.axml import AXMLPrinter

    out: dict[str, int | None] = {"min_sdk": None, "target_sdk": None, "target_sandbox": None}
    try:
        with zipfile.ZipFile(path) as zf:
            xml = AXMLPrinter(zf.read("AndroidManifest.xml")).get_xml_obj()
    except Exception:
        return out
    ns = "{http://schemas.android.com/apk/res/android}"
    sandbox = xml.get(ns + "targetSandboxVersion")
    out["target_sandbox"] = int(sandbox, 0) if sandbox else None
    for sdk in xml.iter("uses-sdk"):
        for key, attr in (("min_sdk", "minSdkVersion"), ("target_sdk", "targetSdkVersion")):
            value = sdk.get(ns + attr)
            if value and value.isdigit():
                out[key] = int(value)
    return out


def apksigner(path: Path) -> dict[str, object]:
    """One verdict: verified flag, signer certificate digests, schemes, first error lines."""
    proc = subprocess.run(
        ["apksigner", "verify", "-v", "--print-certs", str(path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    out = proc.stdout + proc.stderr
    errors = [ln for ln in out.splitlines() if ln.startswith("ERROR")][:5]
    crash = [ln for ln in out.splitlines() if ln.startswith("Exception in thread")][:1]
    return {
        "verified": proc.returncode == 0 and out.startswith("Verifies"),
        "signers": SIGNER_SHA256.findall(out),
        "schemes": {k: v == "true" for k, v in SCHEME.findall(out)},
        "errors": [e[:300] for e in errors],
        "exception": crash[0][:300] if crash else None,
    }


def verdict(path: Path) -> tuple[str, dict[str, object]]:
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    return sha, {"name": path.name, **manifest_sdks(path), **apksigner(path)}


def main() -> int:
    if shutil.which("apksigner") is None or shutil.which("aapt") is None:
        print("apksigner and aapt are needed", file=sys.stderr)
        return 1
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = dict(pool.map(verdict, corpus_apks()))
    CACHE.write_text(json.dumps(dict(sorted(results.items())), indent=1, sort_keys=True) + "\n")
    print(f"{len(results)} verdicts written to {CACHE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
