"""The visible wording of H5 pages bundled in an APK.

WebView-shell fraud apps (uni-app/DCloud, Cordova, plain WebView wrappers) carry almost no
native UI: what the victim reads ("秒批放款", "安全账户", "客服") lives in HTML under
``assets/``, or in the string literals of uni-app's compiled views. Category and brand
judgements need that text, so it is kept here, bounded: a few files, a few KB each, parsed
with the standard library's HTML tokenizer; JavaScript is read as text, never run.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from chaincut.extractors.zip import ZipArchive, ZipEntry, ZipEntryError
from chaincut.facts.models import H5Page

MAX_FILE = 512 * 1024  # bytes read per HTML page
MAX_JS_FILE = 1024 * 1024  # bytes read per uni-app view script
MAX_JS_TOTAL = 2 * 1024 * 1024
MAX_PAGES = 24
MAX_TEXT = 4096  # characters of visible text kept per page
HTML_SUFFIXES = (".html", ".htm")
UNI_VIEW = re.compile(r"^assets/apps/[^/]+/www/(?:app-view|app-service|pages/.+)\.js$")
HIDDEN_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "head"})
TEXT_ATTRS = ("alt", "placeholder", "title", "value", "aria-label")
SPACES = re.compile(r"\s+")
# a run of Chinese text as it appears in a JS string literal (with CJK punctuation)
CJK_RUN = re.compile(r"[\u4e00-\u9fff][\u4e00-\u9fff\u3000-\u303f\uff01-\uff5e0-9A-Za-z%.·]*")


class _Visible(HTMLParser):
    """Collects <title> and the text a browser would show (plus alt/placeholder texts)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title: list[str] = []
        self.parts: list[str] = []
        self.size = 0
        self._hidden = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._in_title = True
        elif tag in HIDDEN_TAGS:
            self._hidden += 1
        elif not self._hidden:
            for name, value in attrs:
                if name in TEXT_ATTRS and value and not value.startswith(("http", "data:")):
                    self._add(value)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        elif tag in HIDDEN_TAGS and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title.append(data)
        elif not self._hidden:
            self._add(data)

    def _add(self, text: str) -> None:
        text = text.strip()
        if text and self.size < MAX_TEXT:
            self.parts.append(text)
            self.size += len(text) + 1


def _decode(data: bytes) -> str:
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def _bounded(text: str) -> str:
    return SPACES.sub(" ", text).strip()[:MAX_TEXT]


def html_page(entry: str, data: bytes) -> H5Page:
    """Title and visible text of one HTML document (malformed markup is read as far as it goes)."""
    parser = _Visible()
    try:
        parser.feed(_decode(data))
        parser.close()
    except (AssertionError, ValueError):  # html.parser's rare hard failures on garbage
        pass
    title = _bounded(" ".join(parser.title))[:256] or None
    return H5Page(entry=entry, title=title, text=_bounded(" ".join(parser.parts)))


def script_page(entry: str, data: bytes) -> H5Page:
    """The Chinese strings of a compiled uni-app view script: its user-facing wording."""
    runs: list[str] = []
    size = 0
    seen: set[str] = set()
    for match in CJK_RUN.finditer(_decode(data)):
        run = match.group()
        if run in seen:
            continue
        seen.add(run)
        runs.append(run)
        size += len(run) + 1
        if size >= MAX_TEXT:
            break
    return H5Page(entry=entry, title=None, text=_bounded(" ".join(runs)))


def _candidates(entries: list[ZipEntry]) -> list[tuple[ZipEntry, bool]]:
    """(entry, is_script) worth reading, entry pages (index.html, shallow paths) first."""
    found: list[tuple[ZipEntry, bool]] = []
    for e in entries:
        low = e.name.lower()
        if not low.startswith("assets/"):
            continue
        if low.endswith(HTML_SUFFIXES) and e.uncompressed_size <= MAX_FILE:
            found.append((e, False))
        elif UNI_VIEW.match(e.name) and e.uncompressed_size <= MAX_JS_FILE:
            found.append((e, True))

    def rank(item: tuple[ZipEntry, bool]) -> tuple[int, int, int, str]:
        e, script = item
        index = 0 if e.name.lower().rsplit("/", 1)[-1].startswith("index.") else 1
        return (index, int(script), e.name.count("/"), e.name)

    return sorted(found, key=rank)


def no_pages() -> list[H5Page]:
    """The typed empty result (what ``guarded`` falls back to)."""
    return []


def read_h5_pages(archive: ZipArchive, entries: list[ZipEntry]) -> list[H5Page]:
    """Bounded H5 wording of the APK; unreadable entries are skipped (the ZIP reader and the
    indicator scan already record why), pages without text are dropped."""
    pages: list[H5Page] = []
    js_total = 0
    for entry, script in _candidates(entries):
        if len(pages) >= MAX_PAGES:
            break
        if script and js_total + entry.uncompressed_size > MAX_JS_TOTAL:
            continue
        try:
            data = archive.read(entry, max_size=MAX_JS_FILE if script else MAX_FILE)
        except ZipEntryError:
            continue
        if script:
            js_total += len(data)
        page = script_page(entry.name, data) if script else html_page(entry.name, data)
        if page.text or page.title:
            pages.append(page)
    return pages
