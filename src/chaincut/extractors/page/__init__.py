"""HTML landing pages read statically: ``read_page`` for facts, ``PageExtractor`` to register."""

from chaincut.extractors.page.extract import PageExtractor, read_page
from chaincut.extractors.page.sniff import is_html

__all__ = ["PageExtractor", "is_html", "read_page"]
