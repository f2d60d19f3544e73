"""HTML landing pages read statically: ``read_page`` for facts, ``is_html`` to sniff.

Names are imported on first use (:mod:`chaincut.lazy`): sniffing a file must not load the
page reader, which brings the QR decoder (Pillow, zxing) with it.
"""

from typing import TYPE_CHECKING

from chaincut.lazy import lazy_exports

if TYPE_CHECKING:
    from chaincut.extractors.page.extract import read_page
    from chaincut.extractors.page.sniff import is_html

__all__ = ["is_html", "read_page"]
__getattr__ = lazy_exports(__name__, {"read_page": "extract", "is_html": "sniff"})
