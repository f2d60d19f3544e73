"""What the visible text says: brands named, contact ids (QQ, WeChat), e-mails and phones.

Landing pages name the bank or lender they imitate in their banner and text, and leave
the "customer service" contacts victims are told to add: QQ numbers and WeChat ids.
"""

from __future__ import annotations

import functools
import re

from chaincut.extractors.indicators import find_indicators
from chaincut.facts.models import Indicator
from chaincut.knowledge.brands import default_registry

QQ = re.compile(r"(?:QQ|qq|扣扣|企鹅)\s*(?:号|号码|群)?\s*[:：]?\s*([1-9][0-9]{4,10})(?![0-9])")
WECHAT = re.compile(
    r"(?:微信|威信|薇信|V信|v信|VX|vx|Vx|wx|WX|weixin|WeChat|wechat)\s*(?:号|ID|id)?\s*[:：]\s*"
    r"([a-zA-Z][-_a-zA-Z0-9]{5,19})(?![-_a-zA-Z0-9])"
)
TEXT_KINDS = {"email", "phone"}
MAX_IDS = 50


@functools.cache
def _brand_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """One pattern per brand: Chinese names anywhere, ASCII names as whole words."""
    out = []
    for brand in default_registry().brands.values():
        parts = []
        for name in brand.names:
            if not name.isascii() and len(name) >= 2:
                parts.append(re.escape(name))
            elif name.isascii() and len(name) >= 3:
                flags = "" if len(name) <= 4 else "(?i)"  # "BOC" yes, "boc" in prose no
                parts.append(
                    rf"(?<![A-Za-z0-9]){flags and '(?i:'}{re.escape(name)}"
                    rf"{flags and ')'}(?![A-Za-z0-9])"
                )
        if parts:
            out.append((brand.id, re.compile("|".join(parts))))
    return tuple(out)


def brands_mentioned(text: str) -> list[str]:
    """Brand ids whose names appear in ``text``."""
    return [brand for brand, pattern in _brand_patterns() if pattern.search(text)]


def text_indicators(text: str) -> list[Indicator]:
    """E-mails, phones, QQ numbers and WeChat ids in visible text."""
    out = [i for i in find_indicators(text, limit=200) if i.kind in TEXT_KINDS]
    seen = {(i.kind, i.value) for i in out}
    for kind, pattern in (("qq", QQ), ("wechat", WECHAT)):
        for count, m in enumerate(pattern.finditer(text)):
            if count >= MAX_IDS:
                break
            if (kind, m.group(1)) not in seen:
                seen.add((kind, m.group(1)))
                out.append(Indicator(kind=kind, value=m.group(1)))
    return out
