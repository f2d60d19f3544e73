"""How much a shown name (app label, page title, web clip label) resembles a brand name.

Scores, best route wins (each route names itself in the signal's sentence):

==========================================================  =====
label equals a brand name (after NFKC, t2s, look-alikes)     1.00
equals it once decorations are removed ("工商銀行Pro")       0.95
pinyin of the label spells the name ("gongshang yinhang")    0.90
brand name inside the label ("中国工商银行信用卡助手")       0.90
a short name (CCB, 工行) as a whole word of the label         0.85
same pinyin, other characters (homophones: 工商银航)          0.85
pinyin initials, 4+ letters ("GSYH")                         0.80
label is most of a brand name ("工商银")                     0.80
near spelling (rapidfuzz ratio >= 75, >= 4 characters)       0.85 x ratio
near spelling inside a longer label (partial ratio >= 80)    0.70 x ratio
starts with a two-character Chinese name ("币安交易所")        0.70
one character off the name (3+ Chinese / 5+ Latin letters)   0.45
==========================================================  =====

The last route is support only (below ``judge.STRONG``): "工高银行" for "工商银行" says
little alone (招商银行 is one character off 工商银行 too), but with a look-alike icon it is
a second, independent kind of resemblance, so the pair names the brand.

Short names (2 Chinese characters, 3 Latin letters) only match exactly, as a whole word
or (Chinese) at the start of the label, never inside other words or by fuzzy score: 工行
must not match 加工行业. Near spellings must keep the name's distinctive part: 招商银行
shares 75% of 工商银行's characters but not 工商.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from chaincut.detect.impersonation import normalize as nz
from chaincut.detect.impersonation.index import BrandEntry, NameForm

MIN_FUZZY_LEN = 4
MIN_LATIN_FUZZY_LEN = 6
FUZZY_RATIO = 75.0
LATIN_RATIO = 85.0
GENERIC_WORDS = re.compile(
    r"中国|银行|证券|金融|消费|股份|有限公司|科技|基金|支付|商城|集团|钱包|借条|财富|"
    r"bank|securities|finance|pay|wallet"
)
PARTIAL_RATIO = 80.0
MOST_OF_NAME = 0.6  # share of a name a label inside it must be
ONE_OFF_SCORE = 0.45  # support only: needs another kind (an icon) to name a brand
MIN_ONE_OFF_CJK = 3
MIN_ONE_OFF_LATIN = 5
MAX_LABEL = 200  # characters of a label compared


@dataclass(frozen=True, slots=True)
class LabelForms:
    """A shown name in every form the matchers compare."""

    raw: str
    basic: str
    stripped: str
    tokens: tuple[str, ...]
    pinyin: str
    initials: str
    ascii_only: bool
    cjk: bool  # whether the stripped form holds Chinese

    @classmethod
    def of(cls, raw: str) -> LabelForms:
        raw = raw[:MAX_LABEL]
        b = nz.basic(raw)
        s = nz.stripped(raw)
        full, initials = nz.pinyin(raw)
        return cls(
            raw=raw,
            basic=b,
            stripped=s,
            tokens=tuple(nz.latin_tokens(raw)),
            pinyin=full,
            initials=initials,
            ascii_only=b.isascii(),
            cjk=nz.is_cjk(s),
        )


@dataclass(frozen=True, slots=True)
class LabelMatch:
    score: float
    name: str  # the registry name matched
    how: str  # the route, in words


def _exact(label: LabelForms, name: NameForm) -> LabelMatch | None:
    if label.basic == name.basic:
        return LabelMatch(1.0, name.raw, "equals the brand name")
    if label.stripped in (name.basic, name.stripped):
        return LabelMatch(0.95, name.raw, "equals the brand name once decorations are removed")
    if name.short and name.latin and name.basic in label.tokens:
        return LabelMatch(0.85, name.raw, "contains the brand's short name as a word")
    return None


def _pinyin(label: LabelForms, name: NameForm) -> LabelMatch | None:
    if not name.pinyin:
        return None
    if label.ascii_only and label.stripped == name.pinyin and len(name.pinyin) >= 6:
        return LabelMatch(0.9, name.raw, f"spells the brand name in pinyin ({name.pinyin})")
    if (
        label.ascii_only
        and len(name.initials) >= 4
        and name.initials in (label.stripped, *label.tokens)
    ):
        return LabelMatch(0.8, name.raw, f"is the brand name's pinyin initials ({name.initials})")
    if not label.ascii_only and not name.short and label.pinyin == name.pinyin:
        return LabelMatch(0.85, name.raw, f"sounds like the brand name ({name.pinyin})")
    return None


def _contained(label: LabelForms, name: NameForm) -> LabelMatch | None:
    if name.short:
        if not name.latin and label.stripped.startswith(name.basic):
            return LabelMatch(0.7, name.raw, "starts with the brand's short name")
        return None
    if name.latin:
        if _has_run(label.tokens, name.words):
            return LabelMatch(0.9, name.raw, "contains the brand name")
        if len(name.basic) >= 6 and name.basic in label.basic:
            return LabelMatch(0.85, name.raw, "contains the brand name")
    elif name.basic in label.stripped or name.basic in label.basic:
        return LabelMatch(0.9, name.raw, "contains the brand name")
    text = label.stripped
    long_enough = len(text) >= (3 if label.cjk else 4)
    if long_enough and text in name.basic and len(text) >= MOST_OF_NAME * len(name.basic):
        return LabelMatch(0.8, name.raw, "is most of the brand name")
    return None


def _has_run(tokens: tuple[str, ...], words: tuple[str, ...]) -> bool:
    """Whether ``words`` occur in ``tokens`` as a contiguous run of whole words."""
    n = len(words)
    return n > 0 and any(tokens[i : i + n] == words for i in range(len(tokens) - n + 1))


@functools.lru_cache(maxsize=4096)
def _core(text: str) -> str:
    """The distinctive part of a name: 工商银行 -> 工商 (banks differ only there)."""
    return GENERIC_WORDS.sub("", text) or text


def _same_core(a: str, b: str) -> bool:
    """Whether the label keeps the name's distinctive part, so that 招商银行 is not a
    misspelt 工商银行 although the two share 75% of their characters."""
    core_a, core_b = _core(a), _core(b)
    return core_b in core_a or fuzz.ratio(core_a, core_b) >= FUZZY_RATIO


def _fuzzy(label: LabelForms, name: NameForm) -> LabelMatch | None:
    a, b = label.stripped, name.stripped
    cjk = name.cjk
    if name.short or min(len(a), len(b)) < MIN_FUZZY_LEN or label.cjk != cjk:
        return None
    if not cjk and len(b) < MIN_LATIN_FUZZY_LEN:
        return None
    ratio = fuzz.ratio(a, b)
    if ratio >= (FUZZY_RATIO if cjk else LATIN_RATIO) and _same_core(a, b):
        how = f"is spelled like it ({ratio:.0f}%)"
        return LabelMatch(round(0.85 * ratio / 100, 3), name.raw, how)
    if len(a) > len(b) and len(a) <= 3 * len(b) and _same_core(a, b):
        partial = fuzz.partial_ratio(b, a)
        if partial >= PARTIAL_RATIO:
            how = f"contains a near spelling ({partial:.0f}%)"
            return LabelMatch(round(0.7 * partial / 100, 3), name.raw, how)
    return None


def _one_off(label: LabelForms, name: NameForm) -> LabelMatch | None:
    """One character changed, added or dropped in a name long enough that this is rarely
    chance; weak alone (short names and shared generic words make such pairs common)."""
    a, b = label.stripped, name.stripped
    if name.short or label.cjk != name.cjk or a == b:
        return None
    if len(b) < (MIN_ONE_OFF_CJK if name.cjk else MIN_ONE_OFF_LATIN):
        return None
    if Levenshtein.distance(a, b, score_cutoff=1) != 1:
        return None
    return LabelMatch(ONE_OFF_SCORE, name.raw, "is one character off the brand name")


def match_label(label: LabelForms, entry: BrandEntry) -> LabelMatch | None:
    """The best route by which ``label`` names ``entry``'s brand, if any."""
    best: LabelMatch | None = None
    for name in entry.names:
        for route in (_exact, _pinyin, _contained, _fuzzy, _one_off):
            found = route(label, name)
            if found is not None and (best is None or found.score > best.score):
                best = found
            if best is not None and best.score >= 1.0:
                return best
    return best
