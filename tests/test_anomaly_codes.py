"""Anomaly codes are a documented, stable vocabulary."""

from __future__ import annotations

import re
from pathlib import Path

from chaincut.facts.codes import all_codes, markdown

ROOT = Path(__file__).resolve().parents[1]
CODE = re.compile(r"^[a-z][a-z0-9_]*$")


def test_codes_are_snake_case_and_described() -> None:
    codes = all_codes()
    assert len(codes) > 40
    for code, (_module, meaning) in codes.items():
        assert CODE.match(code), code
        assert len(meaning) > 10, code


def test_docs_page_is_current() -> None:
    page = (ROOT / "docs" / "anomalies.md").read_text()
    assert page == markdown(), "regenerate: python -m chaincut.facts.codes > docs/anomalies.md"


def test_every_code_emitted_by_source_is_registered() -> None:
    """Scan the readers for anomaly("...") calls and ZipEntryError codes."""
    known = set(all_codes())
    src = ROOT / "src" / "chaincut"
    pattern = re.compile(r"""(?:anomaly|ZipEntryError|_anomaly|note)\(\s*["']([a-z0-9_]+)["']""")
    missing = set()
    for path in src.rglob("*.py"):
        for code in pattern.findall(path.read_text()):
            if code not in known:
                missing.add(f"{code} ({path.relative_to(src)})")
    assert not missing, sorted(missing)
