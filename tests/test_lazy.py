"""Lazy package namespaces (chaincut.lazy): names load on first use and never clash."""

from __future__ import annotations

import subprocess
import sys
import types

import pytest

from chaincut.lazy import lazy_exports


def test_a_name_that_is_also_a_submodule_is_refused() -> None:
    with pytest.raises(ValueError, match="analyse"):
        lazy_exports("chaincut.extractors.url", {"analyse": "analyse"})


def test_unknown_names_raise_attribute_error() -> None:
    module = types.ModuleType("chaincut_lazy_probe")
    sys.modules[module.__name__] = module
    try:
        getter = lazy_exports(module.__name__, {"x": "y"})
        with pytest.raises(AttributeError):
            getter("nope")
    finally:
        del sys.modules[module.__name__]


def test_names_are_the_functions_whichever_module_loads_first() -> None:
    code = (
        "import chaincut.extractors.qr.extract, chaincut.extractors.page.extract\n"
        "from chaincut.extractors.qr import read_qr, image_format\n"
        "from chaincut.extractors.page import read_page, is_html\n"
        "from chaincut.extractors.url import analyse\n"
        "from chaincut.extractors.cms import looks_signed_data, read_signed_data\n"
        "from chaincut.extractors.apk.bundle import extract_bundle, looks_like_bundle\n"
        "fns = (read_qr, image_format, read_page, is_html, analyse, looks_signed_data,\n"
        "       read_signed_data, extract_bundle, looks_like_bundle)\n"
        "assert all(callable(f) and not isinstance(f, type(chaincut)) for f in fns), fns\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", "import chaincut\n" + code], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
