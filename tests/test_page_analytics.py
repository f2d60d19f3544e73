"""A landing page's web-analytics site id names who runs the page (knowledge/analytics.py).

A distribution service puts one Baidu Tongji / CNZZ / 51.la / Google id on every page it
hosts, whatever the domain; the id is an indicator of the page, with its service as the
provider. Counter: ids in the visible text, or a Baidu-like hex string without the
tracker's own address form, are not analytics ids.
"""

from __future__ import annotations

from chaincut.extractors.findings import Findings
from chaincut.extractors.page import read_page
from chaincut.knowledge.analytics import default_analytics

HEX = "0123456789abcdef0123456789abcdef"


def _page(body: str) -> str:
    return f"<html><head><title>下载</title>{body}</head><body><p>立即下载</p></body></html>"


def test_baidu_tongji_id_from_an_inline_loader_and_a_script_src() -> None:
    html = _page(
        '<script>var _hmt=_hmt||[];(function(){var hm=document.createElement("script");'
        f'hm.src="https://hm.stats-host.test/hm.js?{HEX}";}})();</script>'
        '<script src="https://s4.cnzz.com/z_stat.php?id=1278000001&web_id=1278000001"></script>'
    )
    _, inds = read_page(html.encode(), "saved.html", Findings())
    found = {(i.value, i.provider) for i in inds if i.kind == "analytics_id"}
    assert found == {(HEX, "baidu_tongji"), ("1278000001", "cnzz")}


def test_ids_outside_scripts_or_without_the_tracker_form_are_not_taken() -> None:
    html = _page(f"<script>var token='{HEX}';</script>").replace(
        "立即下载", f"hm.js?{HEX} UA-12345678-1"
    )
    _, inds = read_page(html.encode(), "saved.html", Findings())
    assert not [i for i in inds if i.kind == "analytics_id"]


def test_every_pattern_has_one_group_and_ids_are_bounded() -> None:
    services = default_analytics()
    assert {"baidu_tongji", "cnzz", "la51", "google_analytics"} <= {s.id for s in services.services}
    many = " ".join(f"hm.js?{i:032x}" for i in range(100))
    assert len(services.site_ids([many])) == 20
