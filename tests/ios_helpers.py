"""Shared helpers of the iOS tests: the fixture folder, its builder, and one-call extraction."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from chaincut.extractors.dispatch import extract_sample, make_sample
from chaincut.facts.models import FactsDocument

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ios"


def builder() -> ModuleType:
    """tests/fixtures/ios/build_ios_fixtures.py as a module (for its pki and content)."""
    if str(FIXTURES) not in sys.path:
        sys.path.insert(0, str(FIXTURES))
    import build_ios_fixtures

    return build_ios_fixtures


def fixture(name: str) -> bytes:
    path = FIXTURES / name
    if not path.exists():
        pytest.skip(f"{path} missing: run python tests/fixtures/ios/build_ios_fixtures.py")
    return path.read_bytes()


def expected() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / "EXPECTED.json").read_text(encoding="utf-8"))
    return data


def doc_of(buf: bytes, name: str = "sample") -> FactsDocument:
    """Extract a document and assert no reader raised (an internal error is a bug)."""
    doc = extract_sample(make_sample(name, buf)).document
    assert not [e for e in doc.errors if "internal error" in e], doc.errors
    return doc


def codes(doc: FactsDocument) -> set[str]:
    return {a.code for a in doc.anomalies}


def indicators(doc: FactsDocument, kind: str) -> list[str]:
    return [i.value for i in doc.indicators if i.kind == kind]
