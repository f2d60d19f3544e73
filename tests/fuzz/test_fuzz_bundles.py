"""Fuzz split/bundle packages and the protobuf XML reader: documents, never reader bugs.

Whole XAPK/APKS/APKM/AAB fixtures are mutated (bytes overwritten, the file cut) and run
through ``extract_sample``; aapt2 proto manifests are mutated and random bytes are fed to
``parse_proto_xml`` and the manifest reader, which must report, never raise.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chaincut.extractors.apk.bundle.prototable import proto_strings
from chaincut.extractors.apk.bundle.protoxml import parse_proto_xml
from chaincut.extractors.apk.manifest import read_manifest
from chaincut.extractors.dispatch import extract_sample, make_sample
from chaincut.extractors.findings import Findings
from tests.fuzz.mutate import mutate, mutation

BUNDLES = Path(__file__).resolve().parents[1] / "fixtures" / "bundle"
SEEDS = sorted(p for p in BUNDLES.glob("*") if p.suffix in (".xapk", ".apks", ".apkm", ".aab"))
EXAMPLES = int(os.environ.get("CHAINCUT_FUZZ_EXAMPLES", "100"))

pytestmark = pytest.mark.fuzz


def _seed(index: int) -> bytes:
    if not SEEDS:
        pytest.skip("bundle fixtures missing: run tests/fixtures/build_bundles.py")
    return SEEDS[index % len(SEEDS)].read_bytes()


def _proto_manifest() -> bytes:
    aab = BUNDLES / "sample.aab"
    if not aab.is_file():
        pytest.skip("bundle fixtures missing: run tests/fixtures/build_bundles.py")
    with zipfile.ZipFile(aab) as zf:
        return zf.read("base/manifest/AndroidManifest.xml")


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
def test_mutated_bundles_yield_documents(
    seed: int, mutations: list[tuple[int, bytes]], cut: int | None
) -> None:
    doc = extract_sample(make_sample("fuzz.xapk", mutate(_seed(seed), mutations, cut))).document
    internal = [e for e in doc.errors if "internal error" in e]
    assert not internal, internal


@settings(max_examples=EXAMPLES * 3, deadline=None)
@given(mutations=st.lists(mutation, min_size=1, max_size=8), cut=st.integers(0, 10_000))
def test_mutated_proto_manifests_are_read_or_reported(
    mutations: list[tuple[int, bytes]], cut: int
) -> None:
    findings = Findings()
    root = parse_proto_xml(mutate(_proto_manifest(), mutations, cut), findings)
    read_manifest(root, findings, None)


@settings(max_examples=EXAMPLES * 3, deadline=None)
@given(st.binary(max_size=2048))
def test_random_bytes_as_proto_xml(data: bytes) -> None:
    findings = Findings()
    read_manifest(parse_proto_xml(data, findings), findings, None)
    proto_strings(data, findings, "resources.pb")
