"""Traditional to Simplified Chinese folding (OpenCC ``t2s``), built once per process.

Data files list each phrase once, in Simplified characters; text from Hong Kong, Macao
or Taiwan sources, or from a Traditional-character phone, is folded before matching.
"""

from __future__ import annotations

import functools

from opencc import OpenCC


@functools.cache
def _t2s() -> OpenCC:
    return OpenCC("t2s")


def to_simplified(text: str) -> str:
    """``text`` with Traditional characters replaced by Simplified ones."""
    return str(_t2s().convert(text))
