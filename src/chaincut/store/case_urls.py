"""Links named in case reports become artifacts of their own when nothing stored matches.

Victims report the link they were sent far more often than a file. A URL that names no
stored artifact, saved page or QR code is analysed offline, exactly as ``chaincut scan
URL`` would (host, registrable domain, path, short-link service), and stored as a ``url``
artifact, so the report resolves and the link's host and domain join the graph.
"""

from __future__ import annotations

from collections.abc import Sequence

from chaincut.extractors.url import url_document
from chaincut.store.records import CaseRow
from chaincut.store.scanning import IngestScanner, scan_for_ingest
from chaincut.store.store import Store
from chaincut.store.util import looks_like_url


def store_case_urls(store: Store, scanner: IngestScanner, rows: Sequence[CaseRow]) -> int:
    """Store a ``url`` artifact for each reported URL nothing stored matches; how many."""
    urls = list(dict.fromkeys(r.strip() for row in rows for r in row.artifacts))
    added = 0
    for url in store.unmatched_urls([u for u in urls if looks_like_url(u)]):
        result = url_document(url)
        scan = scan_for_ingest(result, scanner)
        added += store.add_result(result, scan, url, url.encode("utf-8", "surrogatepass"))
    return added
