"""Fraud category from wording: terms per category, places, brand and permission hints."""

from __future__ import annotations

from pathlib import Path

import pytest

from chaincut.detect.category import classify
from chaincut.facts.ios import ConfigPayload, MobileconfigFacts
from chaincut.facts.models import ApkFacts, FactsDocument, H5Page
from chaincut.facts.web import PageFacts
from chaincut.knowledge.brands import CATEGORIES, default_registry
from chaincut.knowledge.categories import CategoryError, default_categories, load_categories
from chaincut.result.models import Impersonation


def apk(label: str, strings: dict[str, str] | None = None, **extra: object) -> FactsDocument:
    facts = ApkFacts(label=label, strings=strings or {}, **extra)  # type: ignore[arg-type]
    return FactsDocument(sha256="0" * 64, path="x.apk", kind="apk", size=1, apk=facts)


@pytest.mark.parametrize(
    ("label", "text", "category", "term"),
    [
        ("极速贷", "秒批放款，额度高达20万，不看征信", "loan", "秒批"),
        ("兼职宝", "刷单日结，佣金当天到账，点赞关注即可", "part_time_job", "刷单"),
        ("牛股汇", "导师带单，原始股内幕，稳赚高收益", "investment", "带单"),
        ("皇冠娱乐", "百家乐 真人娱乐 彩票 投注 棋牌", "gambling", "百家乐"),
        ("同城交友", "附近的人 约会 视频聊天 相亲", "dating", "交友"),
        (
            "國家反詐中心",
            "您的账户涉嫌洗钱，请将资金转入安全账户配合调查",
            "fake_authority",
            "安全账户",
        ),
        ("在线客服", "百万保障自动扣费，请共享屏幕注销账户", "customer_service", "注销账户"),
        (
            "Crypto Pro",
            "forex and crypto trading, daily investment returns",
            "investment",
            "crypto",
        ),
    ],
)
def test_categories_from_wording(label: str, text: str, category: str, term: str) -> None:
    found = classify(apk(label, {"s": text}), None, default_registry())
    assert found is not None and found.category == category
    assert term in found.terms and 0 < found.confidence <= 1


def test_h5_pages_count() -> None:
    pages = [H5Page(entry="assets/index.html", title="任务大厅", text="刷单 日结 佣金 垫付")]
    found = classify(apk("WebApp", h5_pages=pages), None, default_registry())
    assert found is not None and found.category == "part_time_job"


def test_web_clip_and_page_wording() -> None:
    clip = ConfigPayload(type="com.apple.webClip.managed", label="秒批贷款", url="https://a.top")
    prof = MobileconfigFacts(payloads=[clip], description="额度 放款 征信")
    doc = FactsDocument(sha256="1" * 64, path="p", kind="mobileconfig", size=1, mobileconfig=prof)
    assert (found := classify(doc, None, default_registry())) and found.category == "loan"
    page = PageFacts(title="彩票投注", text="时时彩 北京赛车 下注")
    doc = FactsDocument(sha256="2" * 64, path="p.html", kind="page", size=1, page=page)
    assert (found := classify(doc, None, default_registry())) and found.category == "gambling"


@pytest.mark.parametrize(
    ("label", "strings"),
    [
        ("计算器", {"a": "清除", "b": "设置", "c": "联系客服"}),
        ("天气", {"a": "今日天气", "b": "退款说明"}),
        ("Notes", {"a": "Save", "b": "Delete", "c": "Settings"}),
    ],
)
def test_ordinary_apps_have_no_category(label: str, strings: dict[str, str]) -> None:
    assert classify(apk(label, strings), None, default_registry()) is None


def test_permissions_alone_are_not_enough() -> None:
    perms = ["android.permission.READ_CONTACTS", "android.permission.READ_CALL_LOG"]
    assert classify(apk("工具", permissions=perms), None, default_registry()) is None


def test_imitated_brand_category_counts() -> None:
    imp = Impersonation(brand="htsc", confidence=0.9, name="华泰证券")
    found = classify(apk("华泰证券", {"a": "股票"}), imp, default_registry())
    assert found is not None and found.category == "investment"
    assert "imitates 华泰证券" in found.terms


def test_default_terms_cover_every_category() -> None:
    terms = default_categories()
    for category in CATEGORIES:
        if category != "other":
            assert len(terms.categories[category]) >= 8, category
    assert terms.version


def test_bad_category_files(tmp_path: Path) -> None:
    bad = tmp_path / "c.yaml"
    bad.write_text("categories:\n  phishing:\n    钓鱼: 1\n", encoding="utf-8")
    with pytest.raises(CategoryError, match="phishing"):
        load_categories(bad)
    bad.write_text("categories:\n  loan:\n    贷款: 9\n", encoding="utf-8")
    with pytest.raises(CategoryError, match="weight"):
        load_categories(bad)
    bad.write_text("categories: [", encoding="utf-8")
    with pytest.raises(CategoryError):
        load_categories(bad)
