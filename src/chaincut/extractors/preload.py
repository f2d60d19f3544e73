"""Load before forking what extractors otherwise load lazily, on first use.

Budgeted workers are forked from the driver and share its memory copy-on-write. A table
first loaded after the fork is loaded again in every worker, and again in each worker
that replaces one killed for its budget: the brand registry's tokens, the platform list,
the public suffix list, the confusables and the brand patterns of pages take about
0.7 s of CPU together. :func:`preload` loads them once in the driver instead.
"""

from __future__ import annotations


def preload() -> None:
    """Load every lazily loaded extractor table now (idempotent, cheap when done)."""
    from chaincut.extractors.apk.configs import config_specs
    from chaincut.extractors.indicators.hosts import registrable
    from chaincut.extractors.page.words import brands_mentioned
    from chaincut.extractors.url.brands import brand_tokens
    from chaincut.extractors.url.host import split
    from chaincut.knowledge.confusables import skeleton
    from chaincut.knowledge.platforms import default_platforms

    brand_tokens()
    config_specs()
    default_platforms()
    skeleton("preload")
    split("preload.example.com")
    registrable("preload.example.com")
    brands_mentioned("preload")
