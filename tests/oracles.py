"""Ask the reference tools what they read: androguard (Python) and aapt (Android's own).

Both are oracles, not truths: where they disagree with each other, Android's own tool
(aapt) decides; where chaincut disagrees with both, the test lists the file and why.
"""

from __future__ import annotations

import functools
import hashlib
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class OracleFacts:
    package: str | None = None
    version_code: str | None = None
    version_name: str | None = None
    min_sdk: str | None = None
    target_sdk: str | None = None
    label: str | None = None
    labels: dict[str, str] = field(default_factory=dict)
    permissions: set[str] = field(default_factory=set)
    certs: set[str] = field(default_factory=set)
    implied: set[str] = field(default_factory=set)  # aapt adds these to uses-permission
    main_activity: str | None = None
    error: str | None = None


USES_PERMISSION = re.compile(r"uses-permission(?:-sdk-23|-sdk-m)?: name='([^']*)'")
IMPLIED_PERMISSION = re.compile(r"uses-implied-permission: name='([^']*)'")
AAPT_PACKAGE = re.compile(r"package: name='([^']*)' versionCode='([^']*)' versionName='([^']*)'")


def aapt_available() -> bool:
    return shutil.which("aapt") is not None


@functools.cache
def aapt_badging(path: str) -> OracleFacts:
    """Parse ``aapt dump badging``; ``error`` is set when aapt refuses the file."""
    proc = subprocess.run(
        ["aapt", "dump", "badging", path], capture_output=True, timeout=120, check=False
    )
    out = proc.stdout.decode("utf-8", "replace")
    facts = OracleFacts()
    if proc.returncode != 0 and "package:" not in out:
        facts.error = proc.stderr.decode("utf-8", "replace").strip()[:200] or "aapt failed"
        return facts
    for line in out.splitlines():
        _badging_line(facts, line)
    facts.permissions -= facts.implied  # not in the manifest: aapt infers them from old SDKs
    return facts


def _value(line: str) -> str:
    start = line.index("'") + 1
    return line[start : line.rindex("'")]


def _badging_line(facts: OracleFacts, line: str) -> None:
    if m := AAPT_PACKAGE.match(line):
        facts.package, facts.version_code, facts.version_name = m.groups()
    elif line.startswith("sdkVersion:"):
        facts.min_sdk = _value(line)
    elif line.startswith("targetSdkVersion:"):
        facts.target_sdk = _value(line)
    elif line.startswith("application-label:"):
        facts.label = _value(line)
    elif line.startswith("application-label-"):
        locale = line[len("application-label-") : line.index(":")]
        facts.labels[locale] = _value(line)
    elif m := USES_PERMISSION.match(line):
        facts.permissions.add(m.group(1))
    elif m := IMPLIED_PERMISSION.match(line):
        facts.implied.add(m.group(1))
    elif line.startswith("launchable-activity:"):
        m = re.search(r"name='([^']*)'", line)
        facts.main_activity = m.group(1) if m else None


@functools.cache
def androguard_facts(path: str) -> OracleFacts:
    """What androguard's APK reads; ``error`` when it raises (as it does on 9 corpus files)."""
    from androguard.core.apk import APK
    from loguru import logger

    logger.remove()
    facts = OracleFacts()
    try:
        apk = APK(path)
        facts.package = apk.get_package()
        facts.version_code = apk.get_androidversion_code()
        facts.version_name = apk.get_androidversion_name()
        facts.min_sdk = apk.get_min_sdk_version()
        facts.target_sdk = apk.get_target_sdk_version()
        facts.permissions = set(apk.get_permissions())
        facts.main_activity = apk.get_main_activity()
        ders = [*apk.get_certificates_der_v3(), *apk.get_certificates_der_v2()]
        ders += [c.dump() for c in apk.get_certificates_v1()]
        facts.certs = {hashlib.sha256(d).hexdigest() for d in ders}
        label = apk.get_app_name()
        # androguard prints an unresolvable reference as "@7F060000"; that is not a label
        facts.label = None if label and label.startswith("@") else label
    except Exception as exc:
        facts.error = f"{type(exc).__name__}: {exc}"[:200]
    return facts


def is_zip(path: Path) -> bool:
    with path.open("rb") as fh:
        return fh.read(2) == b"PK"
