"""JavaScript tokens for the static reading of a page's scripts (``jsvalues``).

Just enough of the lexical grammar to follow string values: strings (their value, escapes
read in one pass), numbers, names, operators, and regex literals, which are skipped
whole: a quote inside ``/["']/`` must not open a string that swallows the code after it.
Whether a ``/`` starts a regex or divides is decided the usual way, by the token before
it. Bounded per script; a line is only counted for what is reported.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from chaincut.facts.unicode import join_pairs

TOKEN = re.compile(
    r"""\s+|//[^\n]*|/\*.*?(?:\*/|\Z)"""  # skipped: whitespace and comments
    r"""|(?P<str>"(?:[^"\\\n]|\\.){0,4096}"|'(?:[^'\\\n]|\\.){0,4096}'|`(?:[^`\\$]|\\.){0,4096}`)"""
    r"""|(?P<num>0[xX][0-9a-fA-F]{1,8}|\d{1,10})"""
    r"""|(?P<id>[A-Za-z_$][\w$]{0,128})"""
    r"""|(?P<op>===|!==|==|!=|=>|\+=|\|\||&&|[=+.(),:{}\[\];?!<>&|-])|(?P<other>.)""",
    re.S,
)
REGEX_LITERAL = re.compile(r"/(?:[^/\\\n\[]|\\.|\[(?:[^\]\\\n]|\\.){0,400}\]){1,1000}/[a-z]{0,8}")
# after these a "/" starts a regex literal (an operand is expected), else it divides
REGEX_AFTER_OPS = frozenset({
    "(", ",", "=", ":", "[", "!", "&", "|", "?", "{", "}", ";", "+", "-", "<", ">", "=>", "+=",
    "==", "===", "!=", "!==", "&&", "||",
})
REGEX_AFTER_WORDS = frozenset({"return", "typeof", "case", "do", "else", "in", "of", "void"})
ESCAPE = re.compile(r"\\(?:u\{([0-9a-fA-F]{1,6})\}|u([0-9a-fA-F]{4})|x([0-9a-fA-F]{2})|(.))", re.S)
SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0"}
MAX_SCRIPT_TOKENS = 300_000  # per script: a big inline library does not hide what follows


@dataclass(slots=True)
class Tokens:
    """The tokens of a page's scripts, in page order; each script ends with a ``;``."""

    kinds: list[str] = field(default_factory=list)  # "str" | "num" | "id" | "op" | "re"
    texts: list[str] = field(default_factory=list)  # the string's value for "str"
    where: list[tuple[int, int]] = field(default_factory=list)  # (script, offset)
    breaks: list[bool] = field(default_factory=list)  # a line break before the token
    scripts: list[tuple[str, int]] = field(default_factory=list)
    _newlines: dict[int, list[int]] = field(default_factory=dict)

    def line(self, i: int) -> int:
        """The page line of token ``i`` (newlines indexed once per script, on demand)."""
        script, offset = self.where[min(i, len(self.where) - 1)]
        code, first = self.scripts[script]
        ends = self._newlines.get(script)
        if ends is None:
            ends = self._newlines[script] = [m.start() for m in re.finditer("\n", code)]
        return first + bisect.bisect_left(ends, offset)

    def text(self, i: int) -> str:
        """The text of an operator, name or string at ``i`` ("" past the end or else)."""
        if i >= len(self.kinds) or self.kinds[i] in ("num", "re"):
            return ""
        return self.texts[i]


def tokenize(scripts: list[tuple[str, int]]) -> Tokens:
    """Every script's tokens, in page order."""
    out = Tokens(scripts=scripts)
    for index, (code, _) in enumerate(scripts):
        _script(out, index, code)
        out.kinds.append("op")  # scripts never run into each other
        out.texts.append(";")
        out.where.append((index, len(code)))
        out.breaks.append(True)
    return out


def _script(out: Tokens, index: int, code: str) -> None:
    pos, broken, count, n = 0, True, 0, len(code)
    before: tuple[str, str] | None = None  # the last token's (kind, text) in this script
    while pos < n and count < MAX_SCRIPT_TOKENS:
        if code[pos] == "/" and code[pos + 1 : pos + 2] not in ("/", "*") and _regex_next(before):
            m = REGEX_LITERAL.match(code, pos)
            if m is not None:
                _add(out, "re", m.group(0), index, pos, broken)
                before, broken, count, pos = ("re", ""), False, count + 1, m.end()
                continue
        m = TOKEN.match(code, pos)
        assert m is not None  # the pattern's last branch matches any character
        kind = m.lastgroup
        if kind is None:  # whitespace or a comment
            broken = broken or "\n" in m.group(0)
        elif kind != "other":  # a character no token starts with is skipped
            text = m.group(kind)
            _add(out, kind, _unquote(text) if kind == "str" else text, index, pos, broken)
            before, broken, count = (kind, text), False, count + 1
        pos = m.end()


def _add(out: Tokens, kind: str, text: str, script: int, offset: int, broken: bool) -> None:
    out.kinds.append(kind)
    out.texts.append(text)
    out.where.append((script, offset))
    out.breaks.append(broken)


def _regex_next(before: tuple[str, str] | None) -> bool:
    """Whether a "/" after this token starts a regex literal."""
    if before is None:
        return True
    kind, text = before
    return (kind == "op" and text in REGEX_AFTER_OPS) or (
        kind == "id" and text in REGEX_AFTER_WORDS)


def _unquote(literal: str) -> str:
    """A JS string literal's value."""
    return unescape(literal[1:-1])


def unescape(body: str) -> str:
    """A JS string body with its escapes read in one pass (``\\\\x41`` is a backslash
    and "x41"). An escaped surrogate pair becomes its character; a lone half stays a lone
    surrogate, for the document check to replace and record (``invalid_unicode``)."""
    if "\\" not in body:
        return body
    return join_pairs(ESCAPE.sub(_escape, body))


def _escape(m: re.Match[str]) -> str:
    braced, four, two, other = m.groups()
    if other is not None:
        return SIMPLE_ESCAPES.get(other, other)
    code = int(braced or four or two, 16)
    return chr(code) if code <= 0x10FFFF else "\ufffd"
