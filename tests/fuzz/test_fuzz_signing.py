"""Hypothesis: mutated signing blocks and v1 signature files never make read_signing raise."""

from __future__ import annotations

import zipfile
from io import BytesIO
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from chaincut.extractors.apk.signing import read_signing
from chaincut.extractors.findings import Findings
from chaincut.extractors.zip import ZipFormatError
from chaincut.facts.models import SigningFacts
from tests.signing_zip import archive_for

pytestmark = pytest.mark.fuzz
ROOT = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "androguard" / "apksig"
SEEDS = [
    "v1v2v3-with-rsa-2048-lineage-3-signers.apk",
    "v2-only-two-signers.apk",
    "v31-ec-p256-2-tgt-33-1-tgt-28-targetSdk-30.apk",
    "v3-only-with-dsa-sha256-1024.apk",
]
V1_SEEDS = ["v1-only-with-signed-attrs.apk", "v1-only-two-signers.apk", "golden-aligned-v1-out.apk"]
MUTATIONS = st.lists(
    st.tuples(st.integers(min_value=0), st.integers(min_value=0, max_value=255)),
    min_size=1,
    max_size=8,
)


def _load(name: str) -> bytes:
    path = ROOT / name
    if not path.exists():
        pytest.skip(f"corpus file {path} absent")
    return path.read_bytes()


def _read(buf: bytes) -> None:
    try:
        archive = archive_for(buf)
    except (ZipFormatError, ValueError, IndexError):
        return  # the stand-in ZIP reader refusing is not what we test
    for min_sdk in (None, 24, 28):
        facts = read_signing(archive, Findings(), min_sdk=min_sdk)
        assert isinstance(facts, SigningFacts)


def _block_region(buf: bytes) -> tuple[int, int]:
    archive = archive_for(buf)
    start = buf.rfind(b"APK Sig Block 42", 0, archive.cd_offset)
    size = int.from_bytes(buf[start - 8 : start], "little")
    return archive.cd_offset - size - 8, archive.cd_offset


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.sampled_from(SEEDS), mutations=MUTATIONS)
# a signer whose signature fails keeps its certificates; one with a broken issuer name
# raised from cryptography's lazy decoding when its facts were written
@example(seed="v1v2v3-with-rsa-2048-lineage-3-signers.apk", mutations=[(190, 0)])
def test_mutated_signing_block(seed: str, mutations: list[tuple[int, int]]) -> None:
    buf = bytearray(_load(seed))
    lo, hi = _block_region(bytes(buf))
    for pos, value in mutations:
        buf[lo + pos % (hi - lo)] = value
    _read(bytes(buf))


def _rezip(buf: bytes, name: str, data: bytes) -> bytes:
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(buf)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, data if info.filename == name else src.read(info))
    return out.getvalue()


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.sampled_from(V1_SEEDS),
    which=st.sampled_from([".SF", ".RSA", "MANIFEST.MF"]),
    mutations=MUTATIONS,
    cut=st.integers(min_value=0, max_value=4096),
)
def test_mutated_v1_files(
    seed: str, which: str, mutations: list[tuple[int, int]], cut: int
) -> None:
    buf = _load(seed)
    with zipfile.ZipFile(BytesIO(buf)) as zf:
        name = next(n for n in zf.namelist() if n.startswith("META-INF/") and n.endswith(which))
        data = bytearray(zf.read(name))
    for pos, value in mutations:
        if data:
            data[pos % len(data)] = value
    _read(_rezip(buf, name, bytes(data[: len(data) - cut % (len(data) + 1)])))
