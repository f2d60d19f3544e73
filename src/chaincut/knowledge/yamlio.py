"""YAML reading for data files: libyaml's C loader when PyYAML has it, else the Python one.

The shipped knowledge, rules and brand registry are parsed on every run that needs them;
the pure-Python safe loader took most of ``chaincut facts``' start-up (about 8x slower than
the C loader on the same files). Both are safe loaders and give the same data.
"""

from __future__ import annotations

from typing import Any

import yaml

SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str | bytes) -> Any:
    """``yaml.safe_load``, with the C loader when available."""
    return yaml.load(text, Loader=SafeLoader)
