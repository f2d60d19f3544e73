"""Every simulated artifact reads back through chaincut's own extractors as intended."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from chaincut.extractors.dispatch import extract_sample, make_sample
from chaincut.facts.models import FactsDocument
from chaincut.sim import apps
from chaincut.sim.apk_writer import AppSpec, build_apk
from chaincut.sim.build import build_world
from chaincut.sim.truth import WorldTruth
from chaincut.sim.world import WorldSpec, generate
from tests.oracles import aapt_available, aapt_badging


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, WorldTruth]:
    out = tmp_path_factory.mktemp("world")
    return out, build_world(WorldSpec(seed=11, size="tiny"), out)


def _doc(data: bytes, name: str) -> FactsDocument:
    return extract_sample(make_sample(name, data)).document


def test_every_artifact_extracts_cleanly(tiny: tuple[Path, WorldTruth]) -> None:
    root, truth = tiny
    for art in truth.artifacts:
        doc = _doc((root / art.path).read_bytes(), art.path)
        assert doc.kind == art.kind, art.path
        assert not doc.errors and not doc.anomalies, (art.path, doc.errors, doc.anomalies)
        if doc.apk:
            assert doc.apk.signing.verified, art.path
        if art.kind == "qr":
            assert doc.qr and doc.qr.codes and doc.qr.codes[0].url, art.path


def _specs() -> list[AppSpec]:
    world = generate(WorldSpec(seed=2, size="tiny"))
    rng = random.Random(0)
    brand = {b.id: b for b in world.brands}
    out = [apps.fake_app(world, g, brand[g.brands[0]], rng)[0] for g in world.gangs]
    out.append(apps.genuine_app(world, world.brands[0]))
    out += [apps.hard_negative(world, n, rng) for n in range(4)]
    return out


@pytest.mark.parametrize("spec", _specs(), ids=lambda s: s.package)
def test_apk_facts_round_trip(spec: AppSpec) -> None:
    doc = _doc(build_apk(spec), "app.apk")
    assert doc.apk is not None and not doc.anomalies and not doc.errors
    facts = doc.apk
    assert facts.package == spec.package
    assert facts.label == spec.label
    assert facts.labels == {"default": spec.label, **spec.labels}
    assert facts.permissions == list(spec.permissions)
    assert facts.meta_data == dict(spec.meta_data)
    assert facts.main_activity == spec.main_activity
    assert facts.target_sdk == spec.target_sdk
    assert facts.signing.schemes["v2"] == spec.v2
    assert [c.sha256 for c in facts.signing.certificates] == [spec.signer.cert_sha256]
    assert facts.native_libs == [name for name, _ in spec.native_libs]
    assert facts.icon is not None and facts.icon.best is not None
    refs = {r for d in facts.dex for r in d.api_refs}
    assert "android.webkit.WebView.loadUrl" in refs
    builder_configs = [c for c in facts.embedded_configs if c.builder in ("dcloud", "apicloud")]
    assert bool(builder_configs) == any(n.startswith(("assets/apps/", "assets/widget/"))
                                        for n, _ in spec.assets)  # fmt: skip


@pytest.mark.oracle
@pytest.mark.skipif(not aapt_available(), reason="aapt is not installed")
def test_aapt_reads_simulated_apks(tmp_path: Path) -> None:
    for i, spec in enumerate(_specs()[:4]):
        path = tmp_path / f"{i}.apk"
        path.write_bytes(build_apk(spec))
        oracle = aapt_badging(str(path))
        assert oracle.error is None, oracle.error
        assert oracle.package == spec.package
        assert oracle.label == spec.label
        assert set(spec.permissions) <= oracle.permissions
        assert oracle.main_activity == spec.main_activity
