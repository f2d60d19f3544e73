"""Cases per chain and per region: canonical regions, losses, timelines, coordination."""

from __future__ import annotations

import pytest

from chaincut.link.cases import cases_for_region
from chaincut.link.chains import build_chains
from chaincut.link.model import ArtifactRecord, CaseRecord
from chaincut.link.regions import REGION_NAMES, normalize_region
from tests.link_world import ind, make_world, sha


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("广东", "广东"),
        ("广东省", "广东"),
        ("GD", "广东"),
        ("gd", "广东"),
        ("Guangdong", "广东"),
        ("Guangdong Province", "广东"),
        ("CN-GD", "广东"),
        (" 北京市 ", "北京"),
        ("Beijing", "北京"),
        ("广西壮族自治区", "广西"),
        ("新疆维吾尔自治区", "新疆"),
        ("Inner Mongolia", "内蒙古"),
        ("香港特别行政区", "香港"),
        ("Hong Kong", "香港"),
        ("Shaanxi", "陕西"),
        ("Shanxi", "山西"),
        ("HA", "河南"),
        ("臺灣", "台湾"),
        ("Atlantis", "Atlantis"),
    ],
)
def test_region_forms_share_one_key(raw: str, key: str) -> None:
    assert normalize_region(raw) == key


def test_table_has_the_34_province_level_regions() -> None:
    assert len(REGION_NAMES) == 34 == len(set(REGION_NAMES))


def _two_gang_world() -> tuple[list[ArtifactRecord], list[CaseRecord]]:
    arts = [
        ArtifactRecord(
            sha256=sha(f"{g}-{a}"),
            kind="apk",
            verdict="malicious",
            indicators=[ind("cert_sha256", sha(f"c{g}")), ind("qq", f"{g}00")],
        )
        for g in range(2)
        for a in range(3)
    ]
    cases = [
        CaseRecord(
            case_id="GD-1",
            region="广东省",
            reported_at="2024-03-01",
            loss_amount=5000,
            artifacts=[sha("0-0")],
        ),
        CaseRecord(
            case_id="ZJ-7",
            region="Zhejiang",
            reported_at="2024-01-15",
            loss_amount=800.5,
            artifacts=[sha("0-2").upper()],
        ),
        CaseRecord(case_id="GD-2", region="GD", reported_at="2024-05-02", artifacts=[sha("1-1")]),
        CaseRecord(case_id="BJ-3", region="北京", artifacts=[sha("nothing")]),
    ]
    return arts, cases


def test_cases_timeline_and_losses_per_chain() -> None:
    arts, cases = _two_gang_world()
    cs = build_chains(arts, cases)
    chain = cs.chain(cs.artifact(sha("0-0")).chain)  # type: ignore[union-attr,arg-type]
    assert chain is not None
    assert {(c.case_id, c.region) for c in chain.cases} == {("GD-1", "广东"), ("ZJ-7", "浙江")}
    assert chain.regions == ["广东", "浙江"]
    assert chain.loss_total == 5800.5
    assert chain.timeline is not None
    assert (chain.timeline.first_report, chain.timeline.last_report) == ("2024-01-15", "2024-03-01")
    per = {r.region: r for r in chain.timeline.regions}
    assert per["广东"].cases == 1 and per["浙江"].loss_total == 800.5
    other = cs.chain(cs.artifact(sha("1-1")).chain)  # type: ignore[union-attr,arg-type]
    assert other is not None and other.loss_total is None  # no loss reported


def test_region_view_names_who_to_coordinate_with() -> None:
    arts, cases = _two_gang_world()
    cs = build_chains(arts, cases)
    view = cases_for_region(cs, "Guangdong")
    assert view.region == "广东"
    by_id = {c.case_id: c for c in view.cases}
    assert set(by_id) == {"GD-1", "GD-2"}
    assert [(p.region, p.case_id) for p in by_id["GD-1"].peers] == [("浙江", "ZJ-7")]
    assert by_id["GD-2"].peers == []
    assert view.shared == 1 and view.other_regions == ["浙江"]
    lone = cases_for_region(cs, "BJ")
    assert lone.cases[0].chains == [] and lone.shared == 0
    assert cases_for_region(cs, "四川").cases == []


def test_world_cases_cross_regions() -> None:
    world = make_world()
    cs = build_chains(world.artifacts, world.cases)
    assert sum(len(c.cases) for c in cs.chains) == len(world.cases)
    assert any(len(c.regions) > 1 for c in cs.chains)
    view = cases_for_region(cs, "广东省")
    assert view.cases and all(c.peers for c in view.cases if c.chains)
