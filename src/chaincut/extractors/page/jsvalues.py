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
the work is bounded by the page's size, and an expression it cannot follow is left
alone (never guessed). Variables are read in page order across all of a page's scripts,
as a browser runs them; a name bound in two branches keeps both values.
"""

from __future__ import annotations

import base64
import binascii
import itertools
import re
from dataclasses import dataclass, field
from urllib.parse import unquote

from chaincut.facts.unicode import join_pairs

TOKEN = re.compile(
    r"""\s+|//[^\n]*|/\*.*?(?:\*/|\Z)"""  # skipped: whitespace and comments
    r"""|(?P<str>"(?:[^"\\\n]|\\.){0,4096}"|'(?:[^'\\\n]|\\.){0,4096}'|`(?:[^`\\$]|\\.){0,4096}`)"""
    r"""|(?P<num>0[xX][0-9a-fA-F]{1,8}|\d{1,10})"""
    r"""|(?P<id>[A-Za-z_$][\w$]{0,128})"""
    r"""|(?P<op>===|!==|==|!=|=>|\+=|\|\||&&|[=+.(),:{}\[\];?!<>&|-])|(?P<other>.)""",
    re.S,
)
# a page's scripts are read only when one holds one of these (most are analytics)
GATE = re.compile(
    r"location|\.href\b|\batob\b|fromCharCode|decodeURI|unescape|reverse\(|setAttribute|"
    r"\battr\s*\(|\bprop\s*\(|\bopen\s*\(|Base64"
)
ENCODERS = {
    "atob": "base64",
    "decodeURIComponent": "percent",
    "decodeURI": "percent",
    "unescape": "percent",
}
MAX_TOKENS = 200_000  # a 2 MB page holds fewer; beyond, the rest is not read
MAX_VALUES = 8  # values one expression or one name may have (branches multiply)
MAX_NAMES = 2_000
MAX_VALUE = 4_096  # characters of one built string
MAX_STATEMENT = 400  # tokens of one expression
MAX_DEPTH = 32  # nested parentheses and objects followed
WORK = 1_000_000  # token visits one page may cost; past it the rest is not read
STOPS = {";", "}", ")", "]", ","}
OPEN, CLOSE = {"(": ")", "[": "]", "{": "}"}, {")", "]", "}"}
PRINTABLE = re.compile(r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$")


@dataclass(frozen=True, slots=True)
class Built:
    """One value an expression can have, and how the script hid it (None: written out,
    perhaps in pieces or through a variable)."""

    text: str
    hidden: str | None = None


@dataclass(frozen=True, slots=True)
class Found:
    """An address the script sends the browser to (``location``), puts on an element
    (``href``), or decodes (``decoded``), with the line it is on."""

    value: str
    sink: str  # "location" | "href" | "decoded"
    hidden: str | None
    line: int


@dataclass(slots=True)
class _Tokens:
    kinds: list[str] = field(default_factory=list)  # "str" | "num" | "id" | "op"
    texts: list[str] = field(default_factory=list)  # the string's value for "str"
    where: list[tuple[int, int]] = field(default_factory=list)  # (script, offset)
    breaks: list[bool] = field(default_factory=list)  # a line break before the token
    scripts: list[tuple[str, int]] = field(default_factory=list)

    def line(self, i: int) -> int:
        """The page line of token ``i`` (counted only for what is reported)."""
        script, offset = self.where[min(i, len(self.where) - 1)]
        code, first = self.scripts[script]
        return first + code.count("\n", 0, offset)


def _tokens(scripts: list[tuple[str, int]]) -> _Tokens:
    out = _Tokens(scripts=scripts)
    for index, (code, _) in enumerate(scripts):
        broken = True
        for m in TOKEN.finditer(code):
            kind = m.lastgroup
            if kind is None:  # whitespace or a comment
                broken = broken or "\n" in m.group(0)
                continue
            if kind == "other":  # a character no token starts with (a regex's body)
                continue
            if len(out.kinds) >= MAX_TOKENS:
                break
            text = m.group(kind)
            out.kinds.append(kind)
            out.texts.append(_unquote(text) if kind == "str" else text)
            out.where.append((index, m.start()))
            out.breaks.append(broken)
            broken = False
        out.kinds.append("op")  # scripts never run into each other
        out.texts.append(";")
        out.where.append((index, len(code)))
        out.breaks.append(True)
    return out


ESCAPE = re.compile(r"\\(?:u\{([0-9a-fA-F]{1,6})\}|u([0-9a-fA-F]{4})|x([0-9a-fA-F]{2})|(.))", re.S)
SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0"}


def _unquote(literal: str) -> str:
    """A JS string literal's value, its escapes read in one pass (``\\\\x41`` is a
    backslash and "x41"); an escaped surrogate pair becomes its character."""
    body = literal[1:-1]
    if "\\" not in body:
        return body
    return join_pairs(ESCAPE.sub(_escape, body))


def _escape(m: re.Match[str]) -> str:
    braced, four, two, other = m.groups()
    if other is not None:
        return SIMPLE_ESCAPES.get(other, other)
    return _chr(int(braced or four or two, 16))


def _chr(code: int) -> str:
    return chr(code) if code <= 0x10FFFF else "\ufffd"


class _Reader:
    """Page-order evaluation of the token stream: bindings, sinks and decoded strings."""

    def __init__(self, toks: _Tokens) -> None:
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
            if t.kinds[i] == "id":
                i = self._at_name(i)
            else:
                i += 1
        return self.found

    def _at_name(self, i: int) -> int:
        """Whatever starts at a name: a binding, a sink, a decoding call; the index to go on."""
        t = self.t
        start = i
        path, i = self._path(i)
        op = t.texts[i] if i < len(t.kinds) and t.kinds[i] == "op" else ""
        name = ".".join(_bare(path))
        if op == "=" and self._text(i + 1) == "{":
            self._object(name, i + 2)
            return i + 1  # members' code (handlers) is read on
        if op in ("=", "+="):
            values, end = self._statement(i + 1)
            if op == "+=":
                values = _capped([_join(a, b) for a in self.names.get(name, []) for b in values])
            if path[-1] == "location" or path[-2:] == ["location", "href"]:
                self._sink(values, "location", t.line(start))
            elif path[-1] == "href":
                self._sink(values, "href", t.line(start))
            elif values and len(self.names) < MAX_NAMES:
                self.names[name] = values[:MAX_VALUES]
            return end if values else i + 1
        if op == "(":
            return self._call(path, start, i)
        return max(i, start + 1)

    def _call(self, path: list[str], start: int, i: int) -> int:
        """``location.replace(x)``, ``window.open(x)``, ``el.setAttribute("href", x)``,
        ``$(el).attr("href", x)``; decoding calls are read where they stand. ``start`` is
        the call's first name, ``i`` its opening parenthesis."""
        last, before = path[-1], path[-2] if len(path) > 1 else ""
        if (before == "location" and last in ("replace", "assign")) or (
            last == "open" and before in ("", "window")
        ):
            values, _ = self._statement(i + 1)
            self._sink(values, "location", self.t.line(start))
        elif last in ("setAttribute", "attr", "prop") and self._text(i + 1) == "href":
            if self._text(i + 2) == ",":
                values, _ = self._statement(i + 3)
                self._sink(values, "href", self.t.line(start))
        elif last in ENCODERS or last == "fromCharCode" or path[-2:] == ["Base64", "decode"]:
            self._operand(start)  # records what it decodes
        return i + 1

    def _object(self, name: str, i: int) -> int:
        """``name = {key: value, ...}``: each resolvable member as ``name.key``; nested
        objects as ``name.key.inner``. Returns the index after the closing brace."""
        t, n = self.t, len(self.t.kinds)
        if self.depth >= MAX_DEPTH:
            return self._skip(i - 1)
        while i < n and len(self.names) < MAX_NAMES and self.work > 0:
            self.work -= 1
            if t.texts[i] == "}" and t.kinds[i] == "op":
                return i + 1
            if t.kinds[i] in ("id", "str", "num") and self._text(i + 1) == ":":
                key = f"{name}.{t.texts[i]}"
                if self._text(i + 2) == "{":
                    self.depth += 1
                    i = self._object(key, i + 3)
                    self.depth -= 1
                    continue
                values, end = self._statement(i + 2)
                if values:
                    self.names[key] = values[:MAX_VALUES]
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
        """Every value the expression at ``i`` can have (a ternary's or ``||``'s
        branches that resolve; none when no branch does) and where the expression ends."""
        end = self._end(i)
        if self.depth >= MAX_DEPTH:
            return [], end
        self.depth += 1
        values: list[Built] = []
        for a, b in self._branches(i, end):
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

    def _branches(self, i: int, end: int) -> list[tuple[int, int]]:
        """The spans a value can come from: after a top-level ``?``, its two arms;
        alternatives of ``||``; else the whole span."""
        t, depth, marks = self.t, 0, []
        for j in range(i, end):
            text = t.texts[j] if t.kinds[j] == "op" else ""
            if text in OPEN:
                depth += 1
            elif text in CLOSE:
                depth -= 1
            elif depth == 0 and text in ("?", ":", "||"):
                marks.append(j)
        if not marks:
            return [(i, end)]
        cuts = [i - 1, *marks, end]
        spans = [(a + 1, b) for a, b in itertools.pairwise(cuts)]
        first = t.texts[marks[0]]
        return spans[1:] if first == "?" else spans  # a ternary's condition is no value

    # -- expressions --------------------------------------------------------------

    def _concat(self, i: int) -> tuple[list[Built], int]:
        """``a + b + ...`` of operands that all resolve; ([], i) when one does not."""
        values, i = self._operand(i)
        while values and self._text(i) == "+":
            more, j = self._operand(i + 1)
            if not more:
                return [], i
            values = _capped([_join(a, b) for a in values for b in more])
            i = j
        return values, i

    def _operand(self, i: int) -> tuple[list[Built], int]:
        t = self.t
        if i >= len(t.kinds):
            return [], i
        kind, text = t.kinds[i], t.texts[i]
        if kind == "str":
            return self._postfix([Built(text)], i + 1)
        if kind == "num":
            return [Built(text)], i + 1
        if kind == "op" and text == "(":
            values, end = self._statement(i + 1)
            if values and self._text(end) == ")":
                return self._postfix(values, end + 1)
            return [], i
        if kind != "id":
            return [], i
        path, j = self._path(i)
        if self._text(j) == "(":
            return self._decoding(path, j)
        bare = ".".join(_bare(path))
        if bare in self.names:
            return self._postfix(self.names[bare], j)
        return [], i

    def _decoding(self, path: list[str], i: int) -> tuple[list[Built], int]:
        """A call that decodes: ``atob(x)``, ``decodeURIComponent(x)``, ``unescape(x)``,
        ``Base64.decode(x)``, ``String.fromCharCode(n, ...)``; recorded when it decodes
        an address, whether or not the address is then used."""
        last = path[-1]
        if last == "fromCharCode":
            return self._char_codes(i + 1)
        how = "base64" if path[-2:] == ["Base64", "decode"] else ENCODERS.get(last)
        if how is None:
            return [], i
        args, end = self._statement(i + 1)
        if not args or self._text(end) != ")":
            return [], i
        out = []
        for arg in args:
            text = _decode(arg.text, how)
            if text is not None:
                built = Built(text, arg.hidden or how)
                out.append(built)
                self._note(built, self.t.line(i))
        return self._postfix(out, end + 1) if out else ([], i)

    def _char_codes(self, i: int) -> tuple[list[Built], int]:
        t, codes = self.t, []
        while i < len(t.kinds) and t.kinds[i] == "num":
            codes.append(int(t.texts[i], 0) if t.texts[i][:2] in ("0x", "0X") else int(t.texts[i]))
            if self._text(i + 1) == ",":
                i += 2
            else:
                i += 1
                break
        if not codes or self._text(i) != ")" or len(codes) > MAX_VALUE:
            return [], i
        built = Built("".join(_chr(c) for c in codes), "char codes")
        self._note(built, t.line(i))
        return self._postfix([built], i + 1)

    def _postfix(self, values: list[Built], i: int) -> tuple[list[Built], int]:
        """``.split("").reverse().join("")`` reverses; ``.trim()`` and ``.toString()``
        keep the value. Anything else after a value is not followed (the value stands)."""
        while True:
            words = [self._text(i + k) for k in range(14)]
            if words == [".", "split", "(", "", ")", ".", "reverse", "(", ")", ".", "join", "(",
                         "", ")"]:
                values = [Built(v.text[::-1], v.hidden or "reversed") for v in values]
                for built in values:
                    self._note(built, self.t.line(i))
                i += 14
            elif words[:2] in ([".", "trim"], [".", "toString"]) and words[2:4] == ["(", ")"]:
                i += 4
            else:
                return values, i

    # -- helpers ------------------------------------------------------------------

    def _path(self, i: int) -> tuple[list[str], int]:
        """``a.b.c`` or ``a["b"]`` from a name at ``i``: its parts and the index after."""
        t, path = self.t, [t_ for t_ in [self.t.texts[i]]]
        i += 1
        while i + 1 < len(t.kinds):
            if t.texts[i] == "." and t.kinds[i] == "op" and t.kinds[i + 1] == "id":
                path.append(t.texts[i + 1])
                i += 2
            elif (t.texts[i] == "[" and t.kinds[i] == "op" and t.kinds[i + 1] == "str"
                  and self._text(i + 2) == "]"):
                path.append(t.texts[i + 1])
                i += 3
            else:
                break
        return path, i

    def _text(self, i: int) -> str:
        t = self.t
        if i >= len(t.kinds):
            return ""
        return t.texts[i] if t.kinds[i] in ("op", "id", "str") else ""

    def _sink(self, values: list[Built], sink: str, line: int) -> None:
        for v in values:
            if v.text.strip():
                self.found.append(Found(v.text.strip(), sink, v.hidden, line))

    def _note(self, built: Built, line: int) -> None:
        """A decoded string that is an address (absolute, or a download's path)."""
        text = built.text.strip()
        if built.hidden and ADDRESS.match(text):
            self.found.append(Found(text, "decoded", built.hidden, line))


KEYWORDS = {"var", "let", "const", "if", "else", "return", "function", "for", "while"}


def _ends_value(t: _Tokens, i: int) -> bool:
    """Whether token ``i`` can end an expression (so a line break after it ends one)."""
    return t.kinds[i] in ("str", "num", "id") or t.texts[i] in (")", "]")


ADDRESS = re.compile(
    r"^(?:(?:https?|itms-services)://\S{3,}|//[\w.-]+\.\w+/\S*|\S*\.(?:apk|ipa|mobileconfig)"
    r"(?:[?#]\S*)?)$",
    re.I,
)


def _bare(path: list[str]) -> list[str]:
    """A name without the global object it hangs on (``window.x`` is ``x``)."""
    return path[1:] if len(path) > 1 and path[0] in ("window", "self", "globalThis") else path


def _join(a: Built, b: Built) -> Built:
    return Built((a.text + b.text)[:MAX_VALUE], a.hidden or b.hidden)


def _capped(values: list[Built]) -> list[Built]:
    return list(dict.fromkeys(values))[:MAX_VALUES]


def _decode(text: str, how: str) -> str | None:
    """``text`` decoded as ``how`` says, or None when it is not text once decoded."""
    if how == "percent":
        out = unquote(re.sub(r"%u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text))
    else:
        raw = re.sub(r"\s+", "", text).replace("-", "+").replace("_", "/")
        try:
            data = base64.b64decode(raw + "=" * (-len(raw) % 4), validate=True)
        except (binascii.Error, ValueError):
            return None
        try:
            out = data.decode("utf-8")
        except UnicodeDecodeError:
            return None
    return out[:MAX_VALUE] if PRINTABLE.match(out) else None


def script_values(scripts: list[tuple[str, int]]) -> list[Found]:
    """Every address the page's scripts (in page order) send the browser to, put on an
    element, or decode, that a reader of literals would not see whole."""
    if not any(GATE.search(code) for code, _ in scripts):
        return []  # nothing to send the browser anywhere, nothing decoded
    return _Reader(_tokens(scripts)).run()  # all of them: one may bind what another uses
