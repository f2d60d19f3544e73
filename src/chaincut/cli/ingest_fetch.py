"""``chaincut ingest URL --fetch``: store a crawl's documents, each as an artifact.

Without ``--fetch`` a URL input is one artifact, the URL document (analysed offline, like
``chaincut scan URL``). With it, the URL is crawled like a phone would (see
``chaincut.fetch.crawl``) and every document is stored with the bytes it was read from:
the fetched body, or the URL's own text for a link that led nowhere.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from chaincut.cli.fetch_opts import Crawler
from chaincut.extractors.dispatch import ExtractionResult
from chaincut.store.records import Failure
from chaincut.store.scanning import IngestScanner, scan_for_ingest
from chaincut.store.store import Store


@dataclass(slots=True)
class CrawlCounts:
    new: int = 0
    existing: int = 0
    failures: list[Failure] = field(default_factory=list)


def store_crawls(
    store: Store, scanner: IngestScanner, crawler: Crawler, urls: list[str]
) -> CrawlCounts:
    """Crawl each URL and store every document it yields, in crawl order."""
    counts = CrawlCounts()
    for url in urls:
        for result in crawler.results(url):
            doc = result.document
            raw = crawled_bytes(result)
            source = (doc.fetch.final_url if doc.fetch else None) or doc.path or url
            if raw is None or not doc.sha256:
                reason = "; ".join(doc.errors) or "nothing could be read"
                counts.failures.append(Failure(path=source, reason=reason))
                continue
            try:
                is_new = store.add_result(result, scan_for_ingest(result, scanner), source, raw)
            except ValueError as exc:
                counts.failures.append(Failure(path=source, reason=str(exc)))
                continue
            counts.new += is_new
            counts.existing += not is_new
    return counts


def crawled_bytes(result: ExtractionResult) -> bytes | None:
    """The bytes a crawl document was read from: the body, or the URL's text."""
    doc = result.document
    body = result.blobs.get(doc.sha256)
    if body is not None:
        return body
    text = doc.path.encode("utf-8", "surrogatepass")
    return text if hashlib.sha256(text).hexdigest() == doc.sha256 else None
