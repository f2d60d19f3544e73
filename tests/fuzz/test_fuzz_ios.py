"""Hypothesis: mutated iOS fixtures and random plists never make a reader raise.

Seeds are the committed iOS fixtures (IPAs, profiles, configuration profiles, the itms
manifest); each run flips, cuts or inserts bytes and checks what the user sees: a
document, no internal error, and only registered anomaly codes. The plist reader is also
fed random binary-plist trailers and objects directly. CHAINCUT_FUZZ_EXAMPLES raises the
example count for a longer local run.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from chaincut.extractors.dispatch import extract_sample, make_sample
from chaincut.extractors.findings import Findings
from chaincut.extractors.plist import Limits, read_plist
from chaincut.facts.codes import all_codes

pytestmark = pytest.mark.fuzz
EXAMPLES = int(os.environ.get("CHAINCUT_FUZZ_EXAMPLES", "150"))
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ios"
SEEDS = sorted(
    p
    for p in FIXTURES.iterdir()
    if p.suffix in (".ipa", ".mobileconfig", ".mobileprovision", ".plist")
)
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
mutation = st.tuples(
    st.integers(min_value=0, max_value=10_000_000), st.binary(min_size=1, max_size=8)
)


def _seed(index: int) -> bytes:
    if not SEEDS:
        pytest.skip("iOS fixtures missing: run tests/fixtures/ios/build_ios_fixtures.py")
    return SEEDS[index % len(SEEDS)].read_bytes()


@SETTINGS
@given(
    seed=st.integers(min_value=0, max_value=1000),
    mutations=st.lists(mutation, min_size=1, max_size=10),
    cut=st.one_of(st.none(), st.integers(min_value=0, max_value=10_000_000)),
    insert=st.one_of(st.none(), st.tuples(st.integers(min_value=0), st.binary(max_size=64))),
)
@example(seed=77, mutations=[(31, b"-")], cut=None, insert=None)  # XML encoding="U-F-8"
@example(seed=1, mutations=[(2100544, b"\x00")], cut=None, insert=None)  # lazy cert subject
def test_mutated_ios_files_yield_documents(
    seed: int,
    mutations: list[tuple[int, bytes]],
    cut: int | None,
    insert: tuple[int, bytes] | None,
) -> None:
    data = bytearray(_seed(seed))
    for pos, chunk in mutations:
        at = pos % len(data)
        data[at : at + len(chunk)] = chunk
    if insert is not None:
        at = insert[0] % (len(data) + 1)
        data[at:at] = insert[1]
    if cut is not None:
        data = data[: cut % (len(data) + 1)]
    doc = extract_sample(make_sample("fuzz", bytes(data))).document
    assert not [e for e in doc.errors if "internal error" in e], doc.errors
    known = all_codes()
    assert all(a.code in known for a in doc.anomalies), [a.code for a in doc.anomalies]


@SETTINGS
@given(
    objects=st.binary(max_size=300),
    sizes=st.tuples(st.integers(0, 9), st.integers(0, 9)),
    count=st.integers(0, 1 << 20),
    top=st.integers(0, 1 << 20),
    table=st.integers(0, 400),
)
def test_random_bplists_never_raise(
    objects: bytes, sizes: tuple[int, int], count: int, top: int, table: int
) -> None:
    trailer = bytes(6) + bytes(sizes) + count.to_bytes(8, "big") + top.to_bytes(8, "big")
    data = b"bplist00" + objects + trailer + table.to_bytes(8, "big")
    f = Findings()
    plist = read_plist(data, f, limits=Limits(max_objects=5000))
    assert plist.format in ("binary", "invalid")
    assert plist.ok or f.anomalies
