"""Fuzz indicator extraction: any text or bytes gives a bounded list, fast, never raises.

Inputs mix random data with indicator-shaped fragments (schemes, dots, digits, '@', '::',
DEX length bytes) so the boundary and validation code is what gets exercised.
CHAINCUT_FUZZ_EXAMPLES raises the example count for a longer local run.
"""

from __future__ import annotations

import os
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chaincut.extractors.indicators import find_indicators, find_indicators_bytes

EXAMPLES = int(os.environ.get("CHAINCUT_FUZZ_EXAMPLES", "400"))
FRAGMENTS = [
    "http://", "https://", "itms-services://?url=", "%3A%2F%2F", "ws://", "://", "[", "]",
    "::", ":", ".", "..", "@", "+86", "0086", "+", "-", " ", "(", ")", "\\/", "&quot;",
    "www.", "example.com", ".top", ".so", "com.", "xn--", "1", "13812345678", "400",
    "47.96.1.2", "255", "2001:db8", "\x00", "\x25", "K", "%", "$", "电话", "。", "\ud7ff",
]  # fmt: skip
text_strategy = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), max_size=80
).map("".join)
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

pytestmark = pytest.mark.fuzz


def _check(result: list[object], limit: int, elapsed: float) -> None:
    assert len(result) <= limit
    assert elapsed < 2.0, f"took {elapsed:.2f}s"


@SETTINGS
@given(text=text_strategy, limit=st.integers(min_value=0, max_value=50))
def test_text_never_raises(text: str, limit: int) -> None:
    start = time.perf_counter()
    result = find_indicators(text, limit=limit)
    _check(list(result), limit, time.perf_counter() - start)
    values = [(i.kind, i.value) for i in result]
    assert len(values) == len(set(values))
    assert all(i.kind in {"url", "domain", "ip", "email", "phone"} for i in result)


@SETTINGS
@given(
    data=st.one_of(
        st.binary(max_size=4096),
        text_strategy.map(lambda t: t.encode("utf-8", "surrogatepass")),
        text_strategy.map(lambda t: t.encode("utf-16-le", "surrogatepass")),
    )
)
def test_bytes_never_raises(data: bytes) -> None:
    start = time.perf_counter()
    result = find_indicators_bytes(data)
    _check(list(result), 2000, time.perf_counter() - start)


@settings(max_examples=max(10, EXAMPLES // 20), deadline=None)
@given(piece=st.sampled_from(FRAGMENTS), repeat=st.integers(min_value=1000, max_value=40_000))
def test_repetition_is_bounded(piece: str, repeat: int) -> None:
    """Long runs of one fragment (the classic regex-backtracking trigger) stay fast."""
    start = time.perf_counter()
    find_indicators(piece * repeat)
    find_indicators_bytes((piece * repeat).encode("utf-8", "surrogatepass"))
    assert time.perf_counter() - start < 5.0
