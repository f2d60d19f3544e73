"""Fuzz the whole APK pipeline: mutated real packages must yield documents, no reader bugs.

Readers are fuzzed one by one in their own harnesses; this one checks what the user sees:
``extract_sample`` on a mutated APK returns a document whose errors hold no internal error
(an internal error means some reader raised where it should have reported).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from chaincut.extractors.dispatch import extract_sample, make_sample
from tests.fuzz.mutate import mutate, mutation

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "apk"
SEEDS = sorted(p for p in FIXTURES.glob("*.apk") if p.stat().st_size < 200_000)
EXAMPLES = int(os.environ.get("CHAINCUT_FUZZ_EXAMPLES", "150"))

pytestmark = pytest.mark.fuzz


def _seed(index: int) -> bytes:
    if not SEEDS:
        pytest.skip("fixtures missing: run tests/fixtures/build_fixtures.py")
    return SEEDS[index % len(SEEDS)].read_bytes()


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    seed=st.integers(min_value=0, max_value=1000),
    mutations=st.lists(mutation, min_size=1, max_size=12),
    cut=st.one_of(st.none(), st.integers(min_value=0, max_value=10_000_000)),
)
@example(seed=14, mutations=[(3239, b"\x00")], cut=None)  # found by the long run: lazy PKCS#7
def test_mutated_apks_yield_documents(
    seed: int, mutations: list[tuple[int, bytes]], cut: int | None
) -> None:
    doc = extract_sample(make_sample("fuzz.apk", mutate(_seed(seed), mutations, cut))).document
    internal = [e for e in doc.errors if "internal error" in e]
    assert not internal, internal


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.binary(max_size=4096))
def test_random_bytes(data: bytes) -> None:
    doc = extract_sample(make_sample("random.bin", data)).document
    assert not [e for e in doc.errors if "internal error" in e]
