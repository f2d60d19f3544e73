"""Follow a link the way a phone would, and analyse everything it downloads.

``crawl`` yields the URL's own document first, then one document per fetch, breadth-first:
each downloaded body goes through the same dispatcher as a file (the kind comes from the
bytes, not the Content-Type) and carries ``fetch`` facts saying how it was obtained and
which artifact linked to it, so the chain from the victim's link to the app is kept.
"""

from __future__ import annotations

import hashlib
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass

from chaincut.extractors.budget import Budget, Job, extract_file, run_budgeted
from chaincut.extractors.dispatch import EXTRACTOR_ID, ExtractionResult, registered_extractors
from chaincut.facts.models import Anomaly, FactsDocument
from chaincut.facts.unicode import valid_document
from chaincut.facts.web import FetchFacts, FetchHop, UrlFacts
from chaincut.fetch.client import FetchOutcome, fetch
from chaincut.fetch.guard import FetchRefused
from chaincut.fetch.links import Link, fetch_url, is_ios_link, links_to_follow
from chaincut.fetch.policy import FetchPolicy
from chaincut.fetch.served import served_anomalies


@dataclass(frozen=True, slots=True)
class Visit:
    """A link queued for fetching, with where it was found."""

    link: str  # as found (may be an itms-services: link)
    depth: int
    parent: str | None  # sha256 of the document that holds the link
    ios: bool


def crawl(
    start: str, policy: FetchPolicy, budget: Budget | None = None
) -> Iterator[ExtractionResult]:
    """The URL document, then every artifact reached from it; never raises on bad input.

    Each downloaded body is analysed under ``budget`` (the per-file time and memory
    budgets, in a worker process) exactly as a file would be; one link that breaks a
    reader costs its own document, and the crawl goes on.
    """
    deadline = time.monotonic() + policy.deadline
    limits = budget or Budget()
    registered_extractors()  # the readers imported once here, inherited by every worker
    root = url_result(start)
    first = Visit(start, 0, root.document.sha256, is_ios_link(start))
    result, outcome = _safe_visit(first, policy, deadline, limits)
    if outcome is None or outcome.body is None:
        result = _merge_failure(root, result)  # one document for a link that led nowhere
        yield _valid(result)
    else:
        yield _valid(root)
        yield _valid(result)
    seen = {start, _requested(start), *(hop.url for hop in _chain(result))}
    queue: deque[Visit] = deque(_children(first, result, outcome, policy, seen))
    fetched = 1
    while queue:
        why = _stop_reason(fetched, policy, deadline)
        if why is not None:
            yield _valid(_not_followed(queue, why))
            return
        visit = queue.popleft()
        result, outcome = _safe_visit(visit, policy, deadline, limits)
        fetched += 1
        yield _valid(result)
        seen.update(hop.url for hop in _chain(result))
        queue.extend(_children(visit, result, outcome, policy, seen))


def _valid(result: ExtractionResult) -> ExtractionResult:
    result.document = valid_document(result.document)
    return result


def _safe_visit(
    visit: Visit, policy: FetchPolicy, deadline: float, budget: Budget
) -> tuple[ExtractionResult, FetchOutcome | None]:
    """:func:`_visit`, with a bug costing this link's document only."""
    try:
        return _visit(visit, policy, deadline, budget)
    except Exception as exc:  # an unexpected error must not end the crawl
        facts = FetchFacts(requested=visit.link, parent=visit.parent, parent_link=visit.link)
        why = f"fetching failed: internal error {type(exc).__name__}: {exc}"
        return _failed(visit.link, facts, (why,), ()), None


def analyse_body(url: str, body: bytes, budget: Budget) -> ExtractionResult:
    """A fetched body's facts, read under ``budget`` as a file would be.

    ``--timeout 0`` (no budget) reads it in this process, as it does for files.
    """
    job = Job(display=url, fspath="", data=body)
    if budget.seconds <= 0:
        return extract_file(job, keep_blobs=True)
    keep = Budget(seconds=budget.seconds, memory_mb=budget.memory_mb, keep_blobs=True)
    return next(iter(run_budgeted([job], keep, workers=1)))


def url_result(url: str) -> ExtractionResult:
    """The offline URL document (``chaincut.extractors.url`` when installed)."""
    try:
        from chaincut.extractors.url import url_document

        result: ExtractionResult = url_document(url)
        return result
    except Exception:  # the URL reader missing or failing must not stop a crawl
        return ExtractionResult(_bare_url_document(url))


def _bare_url_document(url: str) -> FactsDocument:
    data = url.encode("utf-8", "surrogatepass")
    return FactsDocument(
        sha256=hashlib.sha256(data).hexdigest(),
        path=url,
        kind="url",
        size=len(data),
        format="url",
        url=UrlFacts(url=url),
        extractor=EXTRACTOR_ID,
    )


def _requested(link: str) -> str:
    try:
        return fetch_url(link)
    except FetchRefused:
        return link


def _visit(
    visit: Visit, policy: FetchPolicy, deadline: float, budget: Budget
) -> tuple[ExtractionResult, FetchOutcome | None]:
    """Fetch one link and analyse what came back (or say why nothing did)."""
    try:
        url = fetch_url(visit.link)
    except FetchRefused as exc:
        facts = FetchFacts(requested=visit.link, parent=visit.parent, parent_link=visit.link)
        return _failed(visit.link, facts, (str(exc),), ()), None
    agent = policy.ios_user_agent if visit.ios else policy.user_agent
    outcome = fetch(url, policy, agent, deadline)
    facts = _fetch_facts(outcome, visit)
    if outcome.body is None:
        return _failed(url, facts, outcome.errors, outcome.anomalies), outcome
    result = analyse_body(outcome.final_url, outcome.body, budget)
    doc = result.document
    notes = [*outcome.anomalies, *served_anomalies(doc, outcome, policy)]
    page = doc.page
    if page is not None and page.url is None:
        page = page.model_copy(update={"url": outcome.final_url})
    result.document = doc.model_copy(
        update={
            "page": page,
            "fetch": facts,
            "anomalies": [*doc.anomalies, *notes],
            "errors": [*doc.errors, *outcome.errors],
        }
    )
    result.blobs[doc.sha256] = outcome.body  # the artifact itself, for a store to keep
    return result, outcome


def _fetch_facts(outcome: FetchOutcome, visit: Visit) -> FetchFacts:
    return FetchFacts(
        requested=outcome.requested,
        final_url=outcome.final_url,
        chain=list(outcome.chain),
        user_agent=outcome.user_agent,
        content_type=outcome.content_type,
        size=len(outcome.body) if outcome.body is not None else None,
        truncated=outcome.truncated,
        parent=visit.parent,
        parent_link=visit.link,
    )


def _failed(
    url: str, facts: FetchFacts, errors: tuple[str, ...], notes: tuple[Anomaly, ...]
) -> ExtractionResult:
    """A URL document for a link that could not be fetched, saying why."""
    result = url_result(url)
    doc = result.document
    result.document = doc.model_copy(
        update={
            "fetch": facts,
            "anomalies": [*doc.anomalies, *notes],
            "errors": [*doc.errors, *errors],
        }
    )
    return result


def _merge_failure(root: ExtractionResult, failed: ExtractionResult) -> ExtractionResult:
    """The start URL's document carrying the failed fetch, instead of two documents."""
    doc = failed.document
    fetched = doc.fetch.model_copy(update={"parent": None}) if doc.fetch else None
    if doc.sha256 == root.document.sha256:  # the start URL was the URL fetched
        failed.document = doc.model_copy(update={"fetch": fetched})
        return failed
    merged = root.document.model_copy(
        update={
            "fetch": fetched,
            "anomalies": [*root.document.anomalies, *doc.anomalies],
            "errors": [*root.document.errors, *doc.errors],
        }
    )
    return ExtractionResult(merged, root.blobs)


def _chain(result: ExtractionResult) -> list[FetchHop]:
    fetched = result.document.fetch
    return list(fetched.chain) if fetched else []


def _children(
    visit: Visit,
    result: ExtractionResult,
    outcome: FetchOutcome | None,
    policy: FetchPolicy,
    seen: set[str],
) -> list[Visit]:
    """Links of this artifact not seen before, if the depth limit allows."""
    if outcome is None or visit.depth >= policy.max_depth:
        return []
    doc = result.document
    try:
        links = links_to_follow(doc, outcome.final_url) if outcome.body is not None else []
    except Exception as exc:  # links that cannot be read are reported, not followed
        result.document = doc.model_copy(
            update={"errors": [*doc.errors, f"links not followed: {type(exc).__name__}: {exc}"]}
        )
        return []
    if outcome.app_link:  # a redirect straight to itms-services: and the like
        links.insert(0, Link(outcome.app_link, is_ios_link(outcome.app_link)))
    out: list[Visit] = []
    for link in links:
        key = _requested(link.url)
        if key in seen or link.url in seen:
            continue
        seen.update((key, link.url))
        out.append(Visit(link.url, visit.depth + 1, doc.sha256, visit.ios or link.ios))
    return out


def _stop_reason(fetched: int, policy: FetchPolicy, deadline: float) -> str | None:
    if fetched >= policy.max_artifacts:
        return f"the crawl's limit of {policy.max_artifacts} fetches was reached"
    if time.monotonic() >= deadline:
        return f"the crawl's time limit ({policy.deadline:g} s) was reached"
    return None


def _not_followed(queue: deque[Visit], why: str) -> ExtractionResult:
    """One document saying the crawl stopped with links left, so the cut is never silent."""
    visit = queue[0]
    rest = len(queue) - 1
    more = f"; {rest} more link(s) were not followed either" if rest else ""
    facts = FetchFacts(requested=visit.link, parent=visit.parent, parent_link=visit.link)
    return _failed(visit.link, facts, (f"not fetched: {why}{more}",), ())
