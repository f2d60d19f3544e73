"""Addresses a landing page's script builds instead of writing them out.

Download pages keep the address of the APK or the iOS profile out of plain sight: in a
variable (``var apk = "..."; location.href = apk``), in an object of per-phone addresses
(``{android: "...", ios: "..."}``), in pieces joined with ``+``, behind a ternary on the
phone type, or encoded: base64 (``atob``), percent escapes (``decodeURIComponent``,
``unescape``), character codes (``String.fromCharCode(104, 116, ...)``), a reversed
string. Reading quoted literals only misses all of them, and with them the download, its
host and the link to whoever hosts it. Encoding an address is itself a trait: official
download pages write their links out.

This module follows just those forms, statically: no script runs, nothing is fetched,
the work is bounded, and what it cannot follow is left alone, never guessed (a wrong
address would become a wrong indicator and a wrong link between cases). Names are read
in page order across all of a page's scripts, as a browser runs them, without scopes; a
name assigned something that cannot be followed is forgotten; both arms of a ternary are
kept (the page serves both phones).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from chaincut.extractors.page.jsdecode import ESCAPES, char_codes, decode
from chaincut.extractors.page.jstokens import Tokens, tokenize

# a page's scripts are read only when one holds one of these (most are analytics)
GATE = re.compile(
    r"location|\.href\b|\batob\b|fromCharCode|decodeURI|unescape|reverse\(|setAttribute|"
    r"\battr\s*\(|\bprop\s*\(|\bopen\s*\(|Base64"
)
MAX_VALUES = 8  # values one expression or one name may have (branches multiply)
MAX_NAMES = 2_000
MAX_VALUE = 4_096  # characters of one built string
MAX_STATEMENT = 400  # tokens of one expression
MAX_DEPTH = 32  # nested parentheses and objects followed
MAX_FOUND = 1_000
WORK = 2_000_000  # token visits (and joins) one page may cost; past it the rest is not read
OPEN, CLOSE = {"(", "[", "{"}, {")", "]", "}"}
GLOBALS = {"window", "self", "top", "parent", "document", "globalThis"}
DECLARE = {"var", "let", "const"}
KEYWORDS = {"var", "let", "const", "if", "else", "return", "function", "for", "while"}
ADDRESS = re.compile(
    r"^(?:(?:https?|itms-services)://\S{3,}|//[\w.-]+\.\w+/\S*|\S*\.(?:apk|ipa|mobileconfig)"
    r"(?:[?#]\S*)?)$",
    re.I,
)
ADDRESS_MATERIAL = re.compile(r"[./:]")  # a hidden piece that is part of an address
REVERSE = [".", "split", "(", "", ")", ".", "reverse", "(", ")", ".", "join", "(", "", ")"]


@dataclass(frozen=True, slots=True)
class Built:
    """One value an expression can have, how the script hid it (None: written out,
    perhaps in pieces or through a variable), and whether it is a number."""

    text: str
    hidden: str | None = None
    number: bool = False


@dataclass(frozen=True, slots=True)
class Found:
    """An address the script sends the browser to (``location``), puts on an element
    (``href``), or decodes (``decoded``), with the line it is on."""

    value: str
    sink: str  # "location" | "href" | "decoded"
    hidden: str | None
    line: int


class _Reader:
    """Page-order evaluation of the token stream: bindings, sinks and decoded strings."""

    def __init__(self, toks: Tokens) -> None:
        self.t = toks
        self.names: dict[str, list[Built]] = {}
        self.found: list[Found] = []
        self.work = WORK  # hostile scripts (a=a=a=..., {{{...) cost a bounded amount
        self.depth = 0

    # -- statements ---------------------------------------------------------------

    def run(self) -> list[Found]:
        t, i, n = self.t, 0, len(self.t.kinds)
        while i < n and self.work > 0:
            self.work -= 1
            if t.kinds[i] != "id":
                i += 1
            elif i and t.kinds[i - 1] == "op" and t.texts[i - 1] == ".":
                i = self._member(i)
            else:
                i = self._at_name(i)
        return self.found

    def _member(self, i: int) -> int:
        """A name after ``.`` on something not followed (``f().x``, ``$(el).x``): only an
        element's link is read there (``.href = x``, ``.attr("href", x)``); other
        members (``new XMLHttpRequest().open(...)``) are not the page's navigation."""
        t = self.t
        name = t.texts[i]
        if name == "href" and t.text(i + 1) == "=":
            values, end = self._statement(i + 2)
            self._sink(values, "href", t.line(i))
            return end if values else i + 2
        if (name in ("setAttribute", "attr", "prop") and t.text(i + 1) == "("
                and t.text(i + 2) == "href" and t.text(i + 3) == ","):  # fmt: skip
            values, _ = self._statement(i + 4)
            self._sink(values, "href", t.line(i))
        return i + 1

    def _at_name(self, i: int) -> int:
        """Whatever starts at a name: a binding, a sink, a decoding call; the index to go on."""
        t = self.t
        start = i
        path, i = self._path(i)
        op = t.texts[i] if i < len(t.kinds) and t.kinds[i] == "op" else ""
        declared = start > 0 and t.kinds[start - 1] == "id" and t.texts[start - 1] in DECLARE
        name = ".".join(_bare(path))
        if op == "=" and t.text(i + 1) == "{":
            self._forget(name)
            self._object(name, i + 2)
            return i + 1  # members' code (handlers) is read on
        if op in ("=", "+="):
            values, end = self._statement(i + 1)
            if op == "+=":
                old = self.names.get(name, [])
                values = self._joined(old, values) if old and values else []
            place = _unglobal(path)
            if not declared and place in (["location"], ["location", "href"]):
                self._sink(values, "location", t.line(start))
            elif not declared and len(path) > 1 and path[-1] == "href":
                self._sink(values, "href", t.line(start))
            else:
                self._bind(name, values)
            return end if values else i + 1
        if op == "(":
            return self._call(path, start, i)
        return max(i, start + 1)

    def _bind(self, name: str, values: list[Built]) -> None:
        """``name`` now holds ``values``; with none it is forgotten (what it held before
        is no longer what the script has)."""
        self._forget(name)
        if values and (len(self.names) < MAX_NAMES):
            self.names[name] = values[:MAX_VALUES]

    def _forget(self, name: str) -> None:
        self.names.pop(name, None)
        prefix = name + "."
        for key in [k for k in self.names if k.startswith(prefix)]:
            del self.names[key]

    def _call(self, path: list[str], start: int, i: int) -> int:
        """``location.replace(x)``, ``window.open(x)``, ``el.setAttribute("href", x)``,
        ``$(el).attr("href", x)``; decoding calls are read where they stand. ``start`` is
        the call's first name, ``i`` its opening parenthesis."""
        place, t = _unglobal(path), self.t
        if place in (["location", "replace"], ["location", "assign"]) or (
            path == ["open"] or path == ["window", "open"]
        ):
            values, _ = self._statement(i + 1)
            self._sink(values, "location", t.line(start))
        elif (len(path) > 1 and path[-1] in ("setAttribute", "attr", "prop")
              and t.text(i + 1) == "href" and t.text(i + 2) == ","):  # fmt: skip
            values, _ = self._statement(i + 3)
            self._sink(values, "href", t.line(start))
        elif _decoder(path) is not None:
            self._operand(start)  # records what it decodes
        return i + 1

    def _object(self, name: str, i: int) -> int:
        """``name = {key: value, ...}``: each resolvable member as ``name.key``; nested
        objects as ``name.key.inner``. Returns the index after the closing brace."""
        t, n = self.t, len(self.t.kinds)
        if self.depth >= MAX_DEPTH:
            return self._skip(i - 1)
        while i < n and self.work > 0:
            self.work -= 1
            if t.texts[i] == "}" and t.kinds[i] == "op":
                return i + 1
            if t.kinds[i] in ("id", "str", "num") and t.text(i + 1) == ":":
                key = f"{name}.{t.texts[i]}"
                if t.text(i + 2) == "{":
                    self.depth += 1
                    i = self._object(key, i + 3)
                    self.depth -= 1
                    continue
                values, end = self._statement(i + 2)
                self._bind(key, values)
                i = end if end > i + 2 else i + 3
                continue
            i = self._skip(i)
        return i

    def _skip(self, i: int) -> int:
        """Past one token, or past a whole bracketed group."""
        t = self.t
        if t.kinds[i] == "op" and t.texts[i] in OPEN:
            depth, j = 0, i
            while j < len(t.kinds) and self.work > 0:
                self.work -= 1
                if t.kinds[j] == "op" and t.texts[j] in OPEN:
                    depth += 1
                elif t.kinds[j] == "op" and t.texts[j] in CLOSE:
                    depth -= 1
                    if depth == 0:
                        return j + 1
                j += 1
            return j
        return i + 1

    def _statement(self, i: int) -> tuple[list[Built], int]:
        """Every value the expression at ``i`` can have (the arms of its ternaries and
        the alternatives of ``||`` that resolve; none when none does) and where it ends."""
        end = self._end(i)
        if self.depth >= MAX_DEPTH:
            return [], end
        self.depth += 1
        values: list[Built] = []
        for a, b in self._arms(i, end, 0):
            got, stop = self._concat(a)
            if got and stop == b:
                values += got
        self.depth -= 1
        return _capped(values), end

    def _end(self, i: int) -> int:
        """The index of the token ending the expression at ``i`` (a top-level ``;``, ``,``
        or closing bracket, or a new statement: a keyword, or a value after a line
        break), at most ``MAX_STATEMENT`` tokens on."""
        t, depth = self.t, 0
        stop = min(len(t.kinds), i + MAX_STATEMENT)
        j = i
        while j < stop:
            text, kind = t.texts[j], t.kinds[j]
            if kind == "op" and text in OPEN:
                depth += 1
            elif kind == "op" and text in CLOSE:
                if depth == 0:
                    break
                depth -= 1
            elif depth == 0 and self._ends_at(i, j):
                break
            j += 1
        self.work -= j - i + 1
        return j

    def _ends_at(self, i: int, j: int) -> bool:
        """Whether top-level token ``j`` ends the expression begun at ``i``: ``;`` or ``,``,
        a keyword, or a value after a line break (a statement without a semicolon)."""
        t = self.t
        kind, text = t.kinds[j], t.texts[j]
        if kind == "op":
            return text in (";", ",")
        return j > i and ((kind == "id" and text in KEYWORDS) or (
            t.breaks[j] and _ends_value(t, j - 1)))

    def _top_level(self, i: int, end: int) -> Iterator[tuple[int, str]]:
        """The operators of ``[i, end)`` outside any brackets, with their indexes."""
        t, depth = self.t, 0
        for j in range(i, end):
            text = t.texts[j] if t.kinds[j] == "op" else ""
            if text in OPEN:
                depth += 1
            elif text in CLOSE:
                depth -= 1
            elif depth == 0 and text:
                yield j, text

    def _arms(self, i: int, end: int, level: int) -> list[tuple[int, int]]:
        """The spans the value of ``[i, end)`` can come from. ``c ? a : b`` gives the arms
        of ``a`` and of ``b`` (the condition is never the value; nested ternaries are read
        the same way); otherwise each alternative of a top-level ``||``."""
        question = next((j for j, text in self._top_level(i, end) if text == "?"), -1)
        if question < 0:
            cuts = [i - 1, *(j for j, text in self._top_level(i, end) if text == "||"), end]
            return [(a + 1, b) for a, b in itertools.pairwise(cuts)]
        colon = self._colon(question + 1, end)
        if colon < 0 or level >= MAX_DEPTH:
            return []
        return self._arms(question + 1, colon, level + 1) + self._arms(colon + 1, end, level + 1)

    def _colon(self, i: int, end: int) -> int:
        """The ``:`` that closes the ternary whose ``?`` is just before ``i`` (-1: none)."""
        nested = 0
        for j, text in self._top_level(i, end):
            if text == "?":
                nested += 1
            elif text == ":":
                if nested == 0:
                    return j
                nested -= 1
        return -1

    # -- expressions --------------------------------------------------------------

    def _concat(self, i: int) -> tuple[list[Built], int]:
        """``a + b + ...`` of operands that all resolve; ([], i) when one does not, or
        when two numbers meet (their sum is arithmetic, not text)."""
        values, i = self._operand(i)
        while values and self.t.text(i) == "+":
            more, j = self._operand(i + 1)
            values = self._joined(values, more)
            if not values:
                return [], i
            i = j
        return values, i

    def _joined(self, left: list[Built], right: list[Built]) -> list[Built]:
        self.work -= len(left) * len(right)
        out = []
        for a in left:
            for b in right:
                if a.number and b.number:
                    return []
                self.work -= (len(a.text) + len(b.text)) // 256
                out.append(_join(a, b))
        return _capped(out)

    def _operand(self, i: int) -> tuple[list[Built], int]:
        t = self.t
        if i >= len(t.kinds):
            return [], i
        kind, text = t.kinds[i], t.texts[i]
        if kind == "str":
            return self._postfix([Built(text)], i + 1)
        if kind == "num":
            number = _number(text)
            return ([Built(number, number=True)], i + 1) if number is not None else ([], i)
        if kind == "op" and text == "(":
            values, end = self._statement(i + 1)
            if values and t.text(end) == ")":
                return self._postfix(values, end + 1)
            return [], i
        if kind != "id":
            return [], i
        path, j = self._path(i)
        if t.text(j) == "(":
            return self._decoding(path, j)
        bare = ".".join(_bare(path))
        if bare in self.names:
            return self._postfix(self.names[bare], j)
        return [], i

    def _decoding(self, path: list[str], i: int) -> tuple[list[Built], int]:
        """A call that decodes (``jsdecode``): recorded when it decodes an address,
        whether or not the address is then used; ([], i) for any other call."""
        function = _decoder(path)
        if function == "String.fromCharCode":
            return self._char_codes(i + 1)
        if function is None:
            return [], i
        args, end = self._statement(i + 1)
        if not args or self.t.text(end) != ")":
            return [], i
        out = []
        for arg in args:
            text = decode(function, arg.text)
            if text is not None:
                built = Built(text, arg.hidden or ESCAPES[function])
                out.append(built)
                self._note(built, i)
        return self._postfix(out, end + 1) if out else ([], i)

    def _char_codes(self, i: int) -> tuple[list[Built], int]:
        t, codes = self.t, list[int]()
        while i < len(t.kinds) and t.kinds[i] == "num" and len(codes) <= MAX_VALUE:
            number = _number(t.texts[i])
            if number is None:
                return [], i
            codes.append(int(number))
            if t.text(i + 1) == ",":
                i += 2
            else:
                i += 1
                break
        if not codes or t.text(i) != ")" or len(codes) > MAX_VALUE:
            return [], i
        built = Built(char_codes(codes), "char codes")
        self._note(built, i)
        return self._postfix([built], i + 1)

    def _postfix(self, values: list[Built], i: int) -> tuple[list[Built], int]:
        """``.split("").reverse().join("")`` reverses; ``.trim()`` and ``.toString()``
        keep the value. Anything else after a value is not followed (the value stands)."""
        t = self.t
        while True:
            words = [t.text(i + k) for k in range(14)]
            if words == REVERSE:
                values = [Built(v.text[::-1], v.hidden or "reversed") for v in values]
                for built in values:
                    self._note(built, i)
                i += 14
            elif words[:2] in ([".", "trim"], [".", "toString"]) and words[2:4] == ["(", ")"]:
                i += 4
            else:
                return values, i

    # -- helpers ------------------------------------------------------------------

    def _path(self, i: int) -> tuple[list[str], int]:
        """``a.b.c`` or ``a["b"]`` from a name at ``i``: its parts and the index after."""
        t, path = self.t, [self.t.texts[i]]
        i += 1
        while i + 1 < len(t.kinds):
            if t.texts[i] == "." and t.kinds[i] == "op" and t.kinds[i + 1] == "id":
                path.append(t.texts[i + 1])
                i += 2
            elif (t.texts[i] == "[" and t.kinds[i] == "op" and t.kinds[i + 1] == "str"
                  and t.text(i + 2) == "]"):  # fmt: skip
                path.append(t.texts[i + 1])
                i += 3
            else:
                break
        return path, i

    def _sink(self, values: list[Built], sink: str, line: int) -> None:
        for v in values:
            if v.text.strip() and len(self.found) < MAX_FOUND:
                self.found.append(Found(v.text.strip(), sink, v.hidden, line))

    def _note(self, built: Built, i: int) -> None:
        """A decoded string that is an address (absolute, or a download's path)."""
        text = built.text.strip()
        if built.hidden and len(self.found) < MAX_FOUND and ADDRESS.match(text):
            self.found.append(Found(text, "decoded", built.hidden, self.t.line(i)))


def _ends_value(t: Tokens, i: int) -> bool:
    """Whether token ``i`` can end an expression (so a line break after it ends one)."""
    return t.kinds[i] in ("str", "num", "id", "re") or t.texts[i] in (")", "]")


def _bare(path: list[str]) -> list[str]:
    """A name without the global object it hangs on (``window.x`` is ``x``)."""
    return path[1:] if len(path) > 1 and path[0] in ("window", "self", "globalThis") else path


def _unglobal(path: list[str]) -> list[str]:
    """The path without the leading global objects (``window.top.location`` is
    ``location``), for telling the page's own location from a property of that name."""
    k = 0
    while k < len(path) - 1 and path[k] in GLOBALS:
        k += 1
    return path[k:]


def _decoder(path: list[str]) -> str | None:
    """Which decoding function a call path names (``window.atob`` is ``atob``)."""
    if path[-2:] == ["String", "fromCharCode"]:
        return "String.fromCharCode"
    if path[-2:] == ["Base64", "decode"]:
        return "Base64.decode"
    place = _unglobal(path)
    return place[0] if len(place) == 1 and place[0] in ESCAPES else None


def _number(text: str) -> str | None:
    """A number literal's value as JavaScript prints it; None for a legacy octal
    (``010``), which this reader does not follow."""
    if text[:2] in ("0x", "0X"):
        return str(int(text, 16))
    if len(text) > 1 and text[0] == "0":
        return None
    return text


def _join(a: Built, b: Built) -> Built:
    """``a + b``; it is hidden when a hidden piece carries address material (a host, a
    path), not when the hidden piece is plain text such as a decoded word."""
    hidden = next((p.hidden for p in (a, b) if p.hidden and ADDRESS_MATERIAL.search(p.text)),
                  None)
    return Built((a.text + b.text)[:MAX_VALUE], hidden)


def _capped(values: list[Built]) -> list[Built]:
    return list(dict.fromkeys(values))[:MAX_VALUES]


def script_values(scripts: list[tuple[str, int]]) -> list[Found]:
    """Every address the page's scripts (in page order) send the browser to, put on an
    element, or decode, that a reader of literals would not see whole."""
    if not any(GATE.search(code) for code, _ in scripts):
        return []  # nothing to send the browser anywhere, nothing decoded
    return _Reader(tokenize(scripts)).run()  # all of them: one may bind what another uses
