"""One pass of the stdlib HTML parser over a page: what it says, links, scripts, images.

JavaScript is collected as text for the script reader and never run. Everything is
bounded: visible text, links, inline script text and images, so a hostile page costs a
predictable amount of memory. Malformed markup is the parser's normal diet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from chaincut.extractors.page.links import DOWNLOAD_KINDS, classify

MAX_TEXT = 20_000  # visible characters kept
MAX_RAW_LINKS = 2000
MAX_SCRIPT = 1_000_000  # characters of inline JavaScript kept for the script reader
MAX_IMAGES = 200
HIDDEN = {"script", "style", "template", "head", "svg", "object"}
LINK_ATTRS = {
    "a": ("href", "a"),
    "area": ("href", "area"),
    "iframe": ("src", "iframe"),
    "frame": ("src", "frame"),
    "form": ("action", "form"),
    "img": ("src", "img"),
    "script": ("src", "script_src"),
    "link": ("href", "link"),
    "embed": ("src", "embed"),
    "source": ("src", "img"),
}
# an address kept in a data attribute (<a data-url=...>, <button data-apk=...>) for a
# script to send the phone to: absolute, or a download by its extension. Only downloads
# are kept (lazy-loaded images and scripts, data-original/data-main, name a CDN); being
# downloads, their indicators come with the page's other downloads.
DATA_URL = re.compile(
    r"^(?:(?:https?|itms-services)://\S{3,}|\S*\.(?:apk|ipa|mobileconfig)(?:[?#]\S*)?)$", re.I
)
MAX_DATA_LINKS = 100
MAX_ORIGINS = 8
SAVED_FROM = re.compile(r"saved from url=\(\d+\)\s*(\S+)", re.I)
HANDLERS = ("onclick", "ontouchstart", "ontouchend", "onload", "onmousedown")
SPACE = re.compile(r"\s+")


@dataclass(slots=True)
class RawLink:
    url: str
    source: str
    line: int
    text: str | None = None


@dataclass(slots=True)
class PageScan:
    """What the parser saw, before links are resolved and classified."""

    title: str | None = None
    lang: str | None = None
    base: str | None = None
    text_parts: list[str] = field(default_factory=list)
    text_size: int = 0
    text_truncated: bool = False
    links: list[RawLink] = field(default_factory=list)
    links_dropped: int = 0
    refreshes: list[tuple[str, int]] = field(default_factory=list)
    scripts: list[tuple[str, int]] = field(default_factory=list)  # (code, line)
    script_size: int = 0
    images: list[tuple[str, int]] = field(default_factory=list)  # img src, line
    image_count: int = 0
    origins: list[str] = field(default_factory=list)  # saved-from, canonical, og:url


class PageParser(HTMLParser):
    """Collects a :class:`PageScan`; tolerant of anything (unknown tags, bad nesting)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scan = PageScan()
        self._hidden: list[str] = []
        self._in_title = False
        self._title: list[str] = []
        self._script: list[str] | None = None
        self._anchor: RawLink | None = None
        self._anchor_text: list[str] = []
        self._data_links = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): (v or "") for k, v in attrs[:64]}
        line = self.getpos()[0]
        self._tag_facts(tag, values, line)
        self._handlers(values, line)
        if tag == "body" and "head" in self._hidden:
            self._hidden = [t for t in self._hidden if t != "head"]  # </head> left out
        if tag in HIDDEN:
            self._hidden.append(tag)
            if tag == "script" and "src" not in values:
                self._script = []
        elif tag == "title":
            self._in_title = True

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): (v or "") for k, v in attrs[:64]}
        line = self.getpos()[0]
        self._tag_facts(tag, values, line)
        self._handlers(values, line)

    def handle_comment(self, data: str) -> None:
        """Browsers stamp saved pages with ``<!-- saved from url=(N)URL -->``: where the
        page says it came from (a claim, checked against its links by the judge)."""
        m = SAVED_FROM.search(data[:4096])
        if m:
            self._add_origin(m.group(1))

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag == "a" and self._anchor is not None:
            self._anchor.text = _clean("".join(self._anchor_text))[:200] or None
            self._anchor = None
        if tag in self._hidden:
            while self._hidden:  # close up to the matching open tag (bad nesting)
                if self._hidden.pop() == tag:
                    break
            if tag == "script" and self._script is not None:
                self._add_script("".join(self._script), self.getpos()[0])
                self._script = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script.append(data)
            return
        if self._in_title and len(self._title) < 64:
            self._title.append(data)
            return
        if self._hidden:
            return
        if self._anchor is not None and len(self._anchor_text) < 32:
            self._anchor_text.append(data)
        self._add_text(data)

    def close(self) -> None:
        super().close()
        if self._script is not None:  # unterminated <script>
            self._add_script("".join(self._script), self.getpos()[0])
            self._script = None
        self.finish_title()

    def finish_title(self) -> None:
        if self._title and self.scan.title is None:
            self.scan.title = _clean("".join(self._title))[:500] or None

    # -- helpers ------------------------------------------------------------

    def _tag_facts(self, tag: str, values: dict[str, str], line: int) -> None:
        scan = self.scan
        if tag == "html" and values.get("lang") and scan.lang is None:
            scan.lang = values["lang"].strip()[:35] or None
        elif tag == "base" and values.get("href") and scan.base is None:
            scan.base = values["href"].strip()
        elif tag == "meta" and values.get("http-equiv", "").strip().lower() == "refresh":
            scan.refreshes.append((values.get("content", ""), line))
        elif tag == "meta" and values.get("property", "").strip().lower() == "og:url":
            self._add_origin(values.get("content", ""))
        elif tag == "link" and "canonical" in values.get("rel", "").lower().split():
            self._add_origin(values.get("href", ""))
        if tag in LINK_ATTRS:
            attr, source = LINK_ATTRS[tag]
            url = values.get(attr, "").strip()
            if tag == "img":
                url = url or values.get("data-src", "").strip()
                scan.image_count += 1
                if url and len(scan.images) < MAX_IMAGES:
                    scan.images.append((url, line))
            if url:
                link = self._add_link(url, source, line, values.get("alt") or values.get("title"))
                if tag == "a" and link is not None:
                    self._anchor, self._anchor_text = link, []
        for name, value in values.items():
            url = value.strip()
            if (name[:5] == "data-" and self._data_links < MAX_DATA_LINKS
                    and DATA_URL.match(url) and classify(url) in DOWNLOAD_KINDS):  # fmt: skip
                self._data_links += 1
                self._add_link(url, "data_attr", line, values.get("title"))

    def _handlers(self, values: dict[str, str], line: int) -> None:
        for name in HANDLERS:
            if values.get(name):
                self._add_script(values[name], line)
        href = values.get("href", "")
        if href[:11].lower() == "javascript:":
            self._add_script(href[11:], line)

    def _add_link(self, url: str, source: str, line: int, text: str | None) -> RawLink | None:
        if url[:11].lower() == "javascript:" or url[:5].lower() == "data:" or url == "#":
            return None
        if len(self.scan.links) >= MAX_RAW_LINKS:
            self.scan.links_dropped += 1
            return None
        link = RawLink(url[:4096], source, line, _clean(text)[:200] if text else None)
        self.scan.links.append(link)
        return link

    def _add_origin(self, url: str) -> None:
        url = url.strip()[:2048]
        if url.lower().startswith(("http://", "https://")) and len(self.scan.origins) < MAX_ORIGINS:
            self.scan.origins.append(url)

    def _add_text(self, data: str) -> None:
        scan = self.scan
        if scan.text_size >= MAX_TEXT:
            scan.text_truncated = scan.text_truncated or bool(data.strip())
            return
        piece = data[: MAX_TEXT - scan.text_size]
        scan.text_parts.append(piece)
        scan.text_size += len(piece)

    def _add_script(self, code: str, line: int) -> None:
        scan = self.scan
        room = MAX_SCRIPT - scan.script_size
        if room <= 0 or not code.strip():
            return
        scan.scripts.append((code[:room], line))
        scan.script_size += min(len(code), room)


def _clean(text: str) -> str:
    return SPACE.sub(" ", text).strip()


def visible_text(scan: PageScan) -> str:
    """The page's visible words, whitespace collapsed."""
    return _clean(" ".join(scan.text_parts))


def parse(text: str) -> tuple[PageScan, Exception | None]:
    """Parse ``text``; a parser failure keeps everything seen up to it."""
    parser = PageParser()
    error: Exception | None = None
    try:
        parser.feed(text)
        parser.close()
    except Exception as exc:  # html.parser has had assertion bugs on hostile markup
        error = exc
        parser.finish_title()
    return parser.scan, error
