"""Read inline JavaScript as text: redirects, download URLs, user-agent branching.

Landing pages send Android phones to an APK and iPhones to an ``itms-services`` link or
a ``.mobileconfig`` profile, test ``navigator.userAgent`` to do it, and show WeChat and
QQ users an "open in browser" overlay because those in-app browsers block downloads.
Static patterns find all of that without running a line of script.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from chaincut.extractors.page.jstokens import unescape
from chaincut.extractors.page.jsvalues import script_values

QUOTED = r"""(["'`])((?:(?!\1)[^\\\n]|\\.){1,2048}?)\1"""
REDIRECTS = (
    re.compile(
        r"(?:\b(?:window|top|self|parent|document)\s*\.\s*)+location(?:\s*\.\s*href)?\s*=\s*"
        + QUOTED
    ),
    re.compile(r"(?<![\w.])location(?:\s*\.\s*href)?\s*=\s*" + QUOTED),
    re.compile(r"\blocation\s*\.\s*(?:replace|assign)\s*\(\s*" + QUOTED),
    re.compile(r"\bwindow\s*\.\s*open\s*\(\s*" + QUOTED),
    re.compile(r"\b(?:window|document|top)\s*\.\s*location\s*\.\s*href\s*=\s*" + QUOTED),
)
DOWNLOAD_LITERAL = re.compile(
    r"""(["'`])((?:itms-services:|https?:)?[^"'`\s<>]{0,2000}?"""
    r"""(?:\.apk|\.ipa|\.mobileconfig|itms-services://[^"'`\s<>]{0,2000})(?:[?#][^"'`\s<>]{0,500})?)\1""",
    re.I,
)
UA = re.compile(r"navigator\s*\.\s*(?:userAgent|appVersion|platform|vendor)", re.I)
UA_TESTS = (
    ("iPhone", re.compile(r"iphone|ipad|ipod|\bios\b|mac\s*os", re.I)),
    ("Android", re.compile(r"android|adr\b|linux", re.I)),
    ("MicroMessenger", re.compile(r"micromessenger|wechat|weixin", re.I)),
    ("QQ", re.compile(r"\bqq/|mqqbrowser|\bqq\b|qqtheme", re.I)),
    ("Alipay", re.compile(r"alipayclient|alipay", re.I)),
    ("Weibo", re.compile(r"weibo", re.I)),
    ("DingTalk", re.compile(r"dingtalk", re.I)),
)
WECHAT_HINTS = re.compile(
    r"浏览器(?:中)?打开|在浏览器|右上角|open\s+in\s+(?:the\s+)?browser|weixin[-_]?tip|wx[-_]?tip|"
    r"wechat[-_]?tip|qq[-_]?tip|safari打开|选择在|用浏览器",
    re.I,
)
MAX_HITS = 200


@dataclass(slots=True)
class ScriptFacts:
    redirects: list[tuple[str, int]] = field(default_factory=list)  # (url, line)
    downloads: list[tuple[str, int]] = field(default_factory=list)
    ua_hints: list[str] = field(default_factory=list)
    in_app_test: bool = False  # tests for WeChat/QQ's in-app browsers
    assigned: list[tuple[str, int]] = field(default_factory=list)  # put on an element's href
    decoded: list[tuple[str, int]] = field(default_factory=list)  # decoded, used elsewhere
    hidden: dict[str, str] = field(default_factory=dict)  # address -> how it was encoded


def read_scripts(scripts: list[tuple[str, int]]) -> ScriptFacts:
    """Static facts from every inline script and event handler."""
    facts = ScriptFacts()
    for code, line in scripts:
        _redirects(code, line, facts)
        _downloads(code, line, facts)
        _ua(code, facts)
    _built(scripts, facts)
    return facts


def _built(scripts: list[tuple[str, int]], facts: ScriptFacts) -> None:
    """Addresses the scripts build from variables, pieces and encodings
    (``jsvalues``): redirects and element links not written out as one literal, and
    decoded addresses used some other way."""
    found = script_values(scripts)
    sent = {f.value for f in found if f.sink != "decoded"}
    redirects = {url for url, _ in facts.redirects}
    assigned: set[str] = set()
    decoded: set[str] = set()
    for f in found:
        if f.hidden:
            facts.hidden.setdefault(f.value, f.hidden)
        if f.sink == "location" and f.value not in redirects and len(facts.redirects) < MAX_HITS:
            redirects.add(f.value)
            facts.redirects.append((f.value, f.line))
        elif f.sink == "href" and f.value not in assigned and len(facts.assigned) < MAX_HITS:
            assigned.add(f.value)
            facts.assigned.append((f.value, f.line))
        elif (f.sink == "decoded" and f.value not in sent and f.value not in decoded
              and len(facts.decoded) < MAX_HITS):
            decoded.add(f.value)
            facts.decoded.append((f.value, f.line))


def _line(code: str, pos: int, first: int) -> int:
    return first + code.count("\n", 0, pos)


def _redirects(code: str, line: int, facts: ScriptFacts) -> None:
    seen: set[int] = set()
    for pattern in REDIRECTS:
        for m in pattern.finditer(code):
            if m.start(2) in seen or len(facts.redirects) >= MAX_HITS:
                continue
            seen.add(m.start(2))
            facts.redirects.append((unescape(m.group(2)).strip(), _line(code, m.start(), line)))


def _downloads(code: str, line: int, facts: ScriptFacts) -> None:
    for m in DOWNLOAD_LITERAL.finditer(code):
        if len(facts.downloads) >= MAX_HITS:
            return
        facts.downloads.append((unescape(m.group(2)).strip(), _line(code, m.start(), line)))


# what a user-agent test compares with: a regex literal run by .test()/.exec(), or the
# first argument of indexOf/includes/match/search/test (an address or an object key such
# as ``links.android`` is no test of the phone)
TEST_SUBJECTS = re.compile(
    r"/((?:[^/\\\n]|\\.){1,300})/[gimsuy]{0,6}\s*\.\s*(?:test|exec)\s*\("
    r"|\b(?:indexOf|includes|match|search|test)\s*\(\s*(?:([\"'])((?:(?!\2)[^\\\n]|\\.){1,200})\2"
    r"|/((?:[^/\\\n]|\\.){1,300})/)"
)


def _ua(code: str, facts: ScriptFacts) -> None:
    if not UA.search(code):
        return
    tested = " ".join(
        part for m in TEST_SUBJECTS.finditer(code) for part in (m.group(1), m.group(3), m.group(4))
        if part
    )
    for name, pattern in UA_TESTS:
        hint = f"navigator.userAgent tests {name}"
        if pattern.search(tested) and hint not in facts.ua_hints:
            facts.ua_hints.append(hint)
            if name in ("MicroMessenger", "QQ"):
                facts.in_app_test = True


def wechat_block(facts: ScriptFacts, text: str, html_head: str) -> bool:
    """An "open in browser" overlay: an in-app browser test plus the overlay's wording."""
    hinted = bool(WECHAT_HINTS.search(text)) or bool(WECHAT_HINTS.search(html_head))
    if facts.in_app_test:
        return hinted
    return "浏览器" in text and "右上角" in text
