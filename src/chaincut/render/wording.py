"""Wording every face of a scan result shares: the headline and the identity lines.

The text report, the HTML report, the index page and the web server say the same thing
in the same words, so these helpers take a ScanResult and return plain strings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # models are loaded by whoever builds the results
    from chaincut.result.models import ScanResult
    from chaincut.result.subject import Subject


SEVERITY_RANK = {"info": 0, "low": 1, "medium": 2, "high": 3}
ID_LABEL = {"apk": "package", "ipa": "bundle id", "mobileconfig": "identifier", "url": "domain",
            "page": "url"}  # fmt: skip
CODE_FIELDS = ("signer", "package", "bundle id", "identifier", "domain", "url", "id")
MAX_PERMISSIONS = 8


def serious_findings(result: ScanResult) -> int:
    """How many findings are of medium or high severity."""
    return sum(1 for e in result.evidence if SEVERITY_RANK[e.severity] >= 2)


def headline(result: ScanResult) -> str:
    """The result's summary, except that "no sign of fraud" never sits above a finding.

    A clean verdict can carry a medium or high finding (its points stayed under the
    threshold); saying "No sign of fraud was found" next to it would tell the reader to
    stop reading where they should look.
    """
    serious = serious_findings(result)
    if result.verdict == "clean" and serious:
        what = "finding" if serious == 1 else "findings"
        verb = "needs" if serious == 1 else "need"
        return (
            f"Not judged fraudulent (score {result.score}/100), but {serious} {what} of "
            f"medium or high severity below {verb} a look."
        )
    return result.summary


def short_permission(name: str) -> str:
    return name.removeprefix("android.permission.")


def signer_text(subject: Subject) -> list[str]:
    out = []
    for s in subject.signers:
        state = {True: "verified", False: "NOT verified", None: "not checked"}[s.verified]
        why = f" ({s.reason})" if s.reason and s.verified is not True else ""
        out.append(f"{s.subject or '(no subject)'}  sha256 {s.sha256}  {state}{why}")
    return out


def component_text(result: ScanResult, kinds: tuple[str, ...]) -> list[str]:
    return [
        c.name + (f" (key {c.app_key})" if c.app_key else "")
        for c in result.components
        if c.kind in kinds
    ]


def identity_rows(result: ScanResult) -> list[tuple[str, str]]:
    """(field, value) rows that say what the artifact is, in reading order."""
    from chaincut.result.subject import Subject

    s = result.subject or Subject()
    rows: list[tuple[str, str]] = []
    if s.name:
        rows.append(("name", s.name))
    if s.id:
        rows.append((ID_LABEL.get(result.kind, "id"), s.id))
    if s.version:
        rows.append(("version", s.version))
    rows += [("signer", line) for line in signer_text(s)]
    if result.kind == "apk" and not s.signers:
        rows.append(("signer", "none found"))
    if s.team:
        rows.append(("team", s.team))
    builders = component_text(result, ("builder",))
    packers = component_text(result, ("packer",))
    if builders or result.kind == "apk":
        rows.append(("builder", ", ".join(builders) or "none recognised"))
    if packers or result.kind == "apk":
        rows.append(("packer", ", ".join(packers) or "none recognised"))
    sdks = component_text(result, ("sdk",))
    if sdks:
        rows.append(("sdks", ", ".join(sdks)))
    if s.permissions:
        shown = [f"{short_permission(p.name)} ({p.why})" for p in s.permissions[:MAX_PERMISSIONS]]
        more = len(s.permissions) - MAX_PERMISSIONS
        rows.append(("permissions", "; ".join(shown) + (f"; +{more} more" if more > 0 else "")))
    if s.distribution:
        rows.append(("distribution", s.distribution))
    return rows
