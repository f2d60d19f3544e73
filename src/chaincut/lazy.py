"""Package namespaces that import their modules on first use.

A package's ``__init__`` that re-exports its readers runs all of them the moment any one
submodule is imported: the ``url`` package used to pull in the brand registry (and pydantic
models of results) when the CLI only wanted ``looks_like_url``, and the QR package Pillow
and zxing when the page sniffer only wanted the magic bytes. ``lazy_exports`` keeps the
package's public names while importing the module behind each name when it is first read
(PEP 562), so sniffing and start-up load only what they call.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from pathlib import Path


def lazy_exports(package: str, names: dict[str, str]) -> Callable[[str], object]:
    """A module ``__getattr__`` serving ``names`` (public name -> submodule) of ``package``.

    A public name may not also be a submodule's name: importing that submodule would bind
    the package attribute to the module, and ``from package import name`` would then give
    the module instead of the function (refused here, at import).
    """
    where = [Path(p) for p in getattr(sys.modules[package], "__path__", [])]
    clash = sorted(
        n for n in names if any((d / f"{n}.py").exists() or (d / n).is_dir() for d in where)
    )
    if clash:
        raise ValueError(f"{package}: lazy names that are also submodules: {', '.join(clash)}")

    def __getattr__(name: str) -> object:
        module = names.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{module}"), name)
        setattr(sys.modules[package], name, value)  # the next read is a plain attribute
        return value

    return __getattr__
