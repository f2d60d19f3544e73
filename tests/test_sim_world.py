"""The simulated world: deterministic, consistent with its truth, and the CLI around it."""

from __future__ import annotations

import csv
import hashlib
import json
from collections import Counter
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from chaincut.cli.app import app
from chaincut.knowledge.brands import load_registry
from chaincut.sim.build import build_world
from chaincut.sim.truth import WorldTruth, load_truth
from chaincut.sim.world import WorldSpec, generate


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, WorldTruth]:
    out = tmp_path_factory.mktemp("world")
    return out, build_world(WorldSpec(seed=3, size="tiny"), out)


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_same_seed_same_bytes(tiny: tuple[Path, WorldTruth], tmp_path: Path) -> None:
    root, _ = tiny
    build_world(WorldSpec(seed=3, size="tiny"), tmp_path / "again")
    assert _files(root) == _files(tmp_path / "again")


def test_other_seed_other_world() -> None:
    a, b = generate(WorldSpec(seed=1, size="tiny")), generate(WorldSpec(seed=2, size="tiny"))
    assert [g.domains for g in a.gangs] != [g.domains for g in b.gangs]


def test_truth_matches_the_files(tiny: tuple[Path, WorldTruth]) -> None:
    root, truth = tiny
    assert load_truth(root) == truth
    for art in truth.artifacts:
        assert hashlib.sha256((root / art.path).read_bytes()).hexdigest() == art.sha256
        if art.role == "fake":
            assert art.gang and art.category
            # own-brand platforms (sim/own_brand.py) imitate no one
            assert art.brand or art.gang.startswith("own-")
        else:
            assert art.gang is None
    roles = Counter(a.role for a in truth.artifacts)
    assert roles["fake"] and roles["genuine"] and roles["hard_negative"]
    assert roles["official_page"]
    assert any(a.role == "fake" and a.brand is None for a in truth.artifacts)
    assert len({a.sha256 for a in truth.artifacts}) == len(truth.artifacts)


def test_suppliers_and_gangs(tiny: tuple[Path, WorldTruth]) -> None:
    _, truth = tiny
    gangs = {g.id for g in truth.gangs}
    assert any(len(s.gangs) >= 2 for s in truth.suppliers if s.linkable)
    for s in truth.suppliers:
        assert set(s.gangs) <= gangs
    cats = {g.id: g.category for g in truth.gangs}
    for art in truth.artifacts:
        if art.gang:
            assert art.category == cats[art.gang]


def test_cases_csv_and_regions(tiny: tuple[Path, WorldTruth]) -> None:
    root, truth = tiny
    rows = list(csv.DictReader((root / "cases.csv").open(encoding="utf-8")))
    assert [r["case_id"] for r in rows] == [c.case_id for c in truth.cases]
    by_path = {a.path: a.sha256 for a in truth.artifacts}
    for row, case in zip(rows, truth.cases, strict=True):
        refs = row["artifacts"].split(";")
        assert [by_path.get(r, r) for r in refs] == case.artifacts
        assert (root / refs[0]).exists() or len(refs[0]) == 64
    per_gang: dict[str, set[str]] = {}
    for c in truth.cases:
        per_gang.setdefault(c.gang, set()).add(c.region)
    assert any(len(regions) >= 2 for regions in per_gang.values())


def test_brands_overlay_loads(tiny: tuple[Path, WorldTruth]) -> None:
    root, truth = tiny
    registry = load_registry([root / "brands.yaml"])
    data = yaml.safe_load((root / "brands.yaml").read_text(encoding="utf-8"))
    for entry in data["brands"]:
        brand = registry.brands[entry["id"]]
        assert len(brand.certs) == 1 and Path(brand.icons[0]).is_file()
    genuine = {a.brand for a in truth.artifacts if a.role == "genuine"}
    assert genuine == {e["id"] for e in data["brands"]}


def test_apps_option_sets_the_number_of_fakes() -> None:
    world = generate(WorldSpec(seed=5, size="tiny", apps=7))
    assert sum(g.apps for g in world.gangs) == 7


def test_cli_sim_build_and_eval(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "w"
    res = runner.invoke(app, ["sim", "build", "--size", "tiny", "--seed", "1", "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert (out / "truth.json").is_file()
    res = runner.invoke(app, ["eval", str(out), "--format", "json", "--workers", "1"])
    assert res.exit_code == 0, res.output
    report = json.loads(res.stdout)
    names = {m["name"] for m in report["metrics"]}
    assert {"detection F1", "impersonation accuracy", "category macro-F1"} <= names
    assert report["scanned"] == report["artifacts"]
    res = runner.invoke(app, ["eval", str(tmp_path)])
    assert res.exit_code == 2


def test_own_brand_world_parts_are_judged_as_such(tiny: tuple[Path, WorldTruth]) -> None:
    """Own-brand fakes carry their trade's wording; official pages are the brand's own
    (origin and downloads on its domains); icon look-alikes name no brand."""
    from chaincut.detect.pipeline import ScanContext, scan_paths

    root, truth = tiny
    ctx = ScanContext.load(brands=[root / "brands.yaml"])
    official = [a for a in truth.artifacts if a.role == "official_page"]
    results = {r.sha256: r for r in scan_paths([str(root / a.path) for a in official], ctx, 1)}
    assert official and all(results[a.sha256].genuine == a.brand for a in official)
    own = [a for a in truth.artifacts if a.role == "fake" and a.brand is None and a.kind == "apk"]
    found = list(scan_paths([str(root / a.path) for a in own], ctx, 1))
    assert sum(r.verdict != "clean" for r in found) >= 0.6 * len(found)
