"""The one Traditional-to-Simplified Chinese converter (OpenCC ``t2s``), built once per process.

Building it loads OpenCC's dictionaries (tens of milliseconds); region names, brand labels
and case notes all fold Traditional characters through this one instance. Data files list
each phrase once, in Simplified characters.
"""

from __future__ import annotations

import functools

from opencc import OpenCC


@functools.cache
def t2s() -> OpenCC:
    """The shared converter."""
    return OpenCC("t2s")


def to_simplified(text: str) -> str:
    """``text`` with Traditional characters replaced by Simplified ones."""
    return str(t2s().convert(text))
