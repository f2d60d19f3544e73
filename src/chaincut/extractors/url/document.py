"""A URL as an input of its own: one facts document, hashed over the URL's UTF-8 text.

Investigators often hold only a link. ``chaincut facts https://...`` gives it the same
treatment as a file (kind ``url``); the fetcher, the page reader and the QR reader reuse
:func:`url_document` and :func:`url_indicators` for every link they meet.
"""

from __future__ import annotations

import hashlib
import time

from chaincut.extractors.base import Extracted, Sample
from chaincut.extractors.dispatch import ExtractionResult, build_document
from chaincut.extractors.findings import Findings
from chaincut.extractors.url.analyse import analyse
from chaincut.facts.models import Indicator, Location
from chaincut.facts.web import UrlFacts

HOSTED = {"free_hosting", "object_storage", "distribution", "super_signature"}
MAX_INDICATOR = 2048


def url_indicators(facts: UrlFacts, location: Location | None = None) -> list[Indicator]:
    """``url``, then ``domain`` or ``ip`` (and the tenant ``host`` on shared platforms).

    On GitHub Pages or an OSS bucket the registrable domain is shared by everyone; the
    full host names the one account, so it is kept as a ``host`` indicator as well.
    """
    out: list[Indicator] = []

    def add(kind: str, value: str | None) -> None:
        if value and all(i.kind != kind or i.value != value for i in out):
            out.append(Indicator(kind=kind, value=value[:MAX_INDICATOR], location=location))

    add("url", facts.normalized or facts.url.strip())
    if facts.ip:
        add("ip", facts.ip)
    add("domain", facts.registrable_domain)
    if facts.platform_kind in HOSTED and facts.host != facts.registrable_domain:
        add("host", facts.host)
    if facts.itms_manifest_url:
        manifest = analyse(facts.itms_manifest_url, Findings())
        for ind in url_indicators(manifest, location):
            add(ind.kind, ind.value)
    return out


def url_extracted(url: str, findings: Findings) -> Extracted:
    """The ``Extracted`` of one URL string (used by the URL-file extractor too)."""
    facts = analyse(url, findings)
    return Extracted(
        kind="url", format="url", facts={"url": facts}, indicators=url_indicators(facts)
    )


def url_document(url: str) -> ExtractionResult:
    """The facts document of a URL given as an input; never raises."""
    started = time.perf_counter()
    data = url.encode("utf-8", "surrogatepass")
    sample = Sample(path=url, buf=data, sha256=hashlib.sha256(data).hexdigest())
    findings = Findings()
    try:
        out = url_extracted(url, findings)
    except Exception as exc:  # a bug must still leave a document
        findings.error(f"url: internal error {type(exc).__name__}: {exc}")
        out = Extracted(kind="url", format="url", facts={"url": UrlFacts(url=url)})
    return ExtractionResult(build_document(sample, out, findings, started))
