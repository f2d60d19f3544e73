"""Links taken apart offline: ``analyse_url`` for facts, ``url_document`` for a URL input.

Names are imported on first use (:mod:`chaincut.lazy`): ``looks_like_url`` must not load
the brand registry that ``analyse`` needs.
"""

from typing import TYPE_CHECKING

from chaincut.lazy import lazy_exports

if TYPE_CHECKING:
    from chaincut.extractors.url.analyse import analyse, analyse_url
    from chaincut.extractors.url.document import url_document, url_extracted, url_indicators
    from chaincut.extractors.url.parse import looks_like_url

__all__ = [
    "analyse",
    "analyse_url",
    "looks_like_url",
    "url_document",
    "url_extracted",
    "url_indicators",
]
__getattr__ = lazy_exports(
    __name__,
    {
        "analyse": "analyse",
        "analyse_url": "analyse",
        "url_document": "document",
        "url_extracted": "document",
        "url_indicators": "document",
        "looks_like_url": "parse",
    },
)
