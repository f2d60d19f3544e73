"""Links taken apart offline: ``analyse_url`` for facts, ``url_document`` for a URL input.

Imported eagerly (unlike the ``page`` and ``qr`` packages): ``analyse`` is both a
submodule and a function here, and only an ``__init__`` that imports it binds the name
to the function whichever is imported first. The brand registry, the heavy part, is
loaded by ``analyse`` on first use instead.
"""

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
