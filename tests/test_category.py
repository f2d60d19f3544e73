"""Fraud category from wording: terms per category, places, brand and permission hints."""

from __future__ import annotations

from pathlib import Path

import pytest

from chaincut.detect.category import classify
from chaincut.facts.ios import ConfigPayload, IpaFacts, MobileconfigFacts
from chaincut.facts.models import ApkFacts, FactsDocument, H5Page
from chaincut.facts.web import PageFacts, PageLink
from chaincut.knowledge.brands import CATEGORIES, default_registry
from chaincut.knowledge.categories import (
    CategoryError,
    CategoryTerms,
    default_categories,
    load_categories,
)
from chaincut.result.models import Impersonation


def apk(label: str, strings: dict[str, str] | None = None, **extra: object) -> FactsDocument:
    facts = ApkFacts(label=label, strings=strings or {}, **extra)
    return FactsDocument(sha256="0" * 64, path="x.apk", kind="apk", size=1, apk=facts)


@pytest.mark.parametrize(
    ("label", "text", "category", "term"),
    [
        ("极速贷", "秒批放款，额度高达20万，不看征信", "loan", "秒批"),
        ("兼职宝", "刷单日结，佣金当天到账，点赞关注即可", "part_time_job", "刷单"),
        ("牛股汇", "导师带单，原始股内幕，稳赚高收益", "investment", "带单"),
        ("皇冠娱乐", "百家乐 真人娱乐 彩票 投注 棋牌", "gambling", "百家乐"),
        ("同城交友", "附近的人 约会 视频聊天 相亲", "dating", "同城交友"),
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
    bad.write_text("categories:\n  loan:\n    贷款: 2\nlure_categories: [loan, scams]\n",
                   encoding="utf-8")  # fmt: skip
    with pytest.raises(CategoryError, match="scams"):
        load_categories(bad)


def test_shipped_lure_categories_exclude_the_trusted_services() -> None:
    lures = set(default_categories().lure_categories)
    assert {"part_time_job", "gambling", "dating", "fake_authority"} <= lures
    assert not lures & {"banking", "payment", "shopping"}


def imitates(brand: str, confidence: float = 0.95) -> Impersonation:
    return Impersonation(brand=brand, confidence=confidence, name=brand)


def ipa(display_name: str) -> FactsDocument:
    facts = IpaFacts(display_name=display_name, name="App")
    return FactsDocument(sha256="3" * 64, path="a.ipa", kind="ipa", size=1, ipa=facts)


# Wording as real fraud apps and pages phrase it (none of it from the simulator's lists).
@pytest.mark.parametrize(
    ("label", "text", "category"),
    [
        ("鑫盛財富", "專業投資顧問一對一服務，年化收益率18%，新人註冊送體驗金", "investment"),
        ("金牛证券", "港股美股打新，新股申购中签率高，两融开户享低佣", "investment"),
        ("USDT交易", "币圈大佬喊单，合约杠杆100倍，USDT充值秒到", "investment"),
        ("速借花", "身份证就能借，不看征信秒下款，最高可借5万", "loan"),
        ("安心贷", "您的贷款已审批，放款前请缴纳工本费并刷流水验资", "loan"),
        (
            "工行e服务",
            "尊敬的用户，您的网上银行证书即将过期，请输入卡号与取款密码完成升级",
            "banking",
        ),
        ("码商联盟", "跑分平台招募码商，代收代付日入千元", "payment"),
        ("优品商城", "全场包邮，拼团砍价，下单立减，优惠券领不停", "shopping"),
        ("点点赚", "宝妈学生党足不出户手机赚钱，关注博主点赞一单3元，日结", "part_time_job"),
        ("心动缘", "附近单身美女等你脱单，红娘牵线，同城约会", "dating"),
        ("幸运飞艇", "首充送彩金，北京赛车PK10稳中计划，上分下分秒到", "gambling"),
        (
            "最高人民检察院",
            "你涉嫌一起洗钱案件，已立案侦查，请下载app进行远程视频笔录",
            "fake_authority",
        ),
        (
            "会员服务",
            "您开通的百万保障将自动扣费，请联系人工客服并开启屏幕共享关闭服务",
            "customer_service",
        ),
        ("Lucky Casino", "baccarat and slots, bet now, casino bonus", "gambling"),
    ],
)
def test_realistic_wording(label: str, text: str, category: str) -> None:
    found = classify(apk(label, {"s": text}), None, default_registry())
    assert found is not None and found.category == category, found
    assert len(found.terms) >= 2


def test_sure_brand_alone_categorises_a_wordless_ipa() -> None:
    """IPAs and profiles often carry nothing but the borrowed name."""
    found = classify(ipa("陌陌官方"), imitates("momo"), default_registry())
    assert found is not None and found.category == "dating"
    assert found.terms == ["imitates 陌陌"]


def test_unsure_brand_alone_is_not_enough() -> None:
    assert classify(ipa("陌陌官方"), imitates("momo", 0.6), default_registry()) is None
    assert classify(ipa("陌陌官方"), None, default_registry()) is None


def test_wording_overrides_the_brand_of_another_category() -> None:
    """A loan scam wearing a bank's name is a loan scam."""
    text = "无抵押信用贷，不看征信，秒批放款，额度最高20万，低息分期"
    found = classify(apk("中国银行", {"s": text}), imitates("boc"), default_registry())
    assert found is not None and found.category == "loan"
    assert "imitates 中国银行" not in found.terms and "不看征信" in found.terms


def test_brand_decides_shared_after_sales_wording() -> None:
    """Refund and lost-parcel wording is said by fake shops and fake customer service."""
    text = "您的快递丢失，可办理理赔退款，请联系客服"
    reg = default_registry()
    shop = classify(apk("淘宝", {"s": text}), imitates("taobao"), reg)
    desk = classify(apk("腾讯会议", {"s": text}), imitates("tencent_meeting"), reg)
    assert shop is not None and shop.category == "shopping"
    assert desk is not None and desk.category == "customer_service"
    assert "快递丢失" in shop.terms and "快递丢失" in desk.terms


def test_imitated_brand_name_is_not_counted_twice() -> None:
    """微众银行 is a lender: the 银行 in its name must not outvote its category."""
    doc = apk("微众银行", {"a": "微众银行官方", "b": "微众银行"})
    found = classify(doc, imitates("webank"), default_registry())
    assert found is not None and found.category == "loan"
    assert found.terms == ["imitates 微众银行"]


def test_a_phrase_hides_its_parts() -> None:
    found = classify(
        apk("服务中心", {"s": "注销校园贷账户，以免影响征信"}), None, default_registry()
    )
    assert found is not None and found.category == "customer_service"
    assert "注销校园贷" in found.terms and "注销" not in found.terms
    assert "征信" not in found.terms  # inside 影响征信


def test_terms_are_listed_strongest_first() -> None:
    found = classify(apk("彩票投注", {"s": "百家乐 下注 赔率"}), None, default_registry())
    assert found is not None and found.category == "gambling"
    assert set(found.terms[:2]) == {"彩票", "投注"}  # shown in the label: count double
    assert set(found.terms) >= {"彩票", "投注", "百家乐", "下注", "赔率"}


def test_tie_goes_to_the_category_with_more_terms() -> None:
    terms = CategoryTerms(categories={"loan": {"甲": 2, "乙": 2}, "banking": {"丙": 4, "丁": 0.5}})
    found = classify(apk("x", {"s": "甲乙丙"}), None, default_registry(), terms)
    assert found is not None and found.category == "loan"
    found = classify(apk("x", {"s": "甲乙丙丁"}), None, default_registry(), terms)
    assert found is not None and found.category == "banking"


def test_a_single_weak_term_is_unknown() -> None:
    assert classify(apk("记事本", {"s": "订单"}), None, default_registry()) is None
    assert classify(apk("天气", {"s": "余额 支付"}), None, default_registry()) is None


def test_page_link_texts_count() -> None:
    links = [PageLink(url="https://a.top/d.apk", kind="apk", source="a", text="下载彩票APP")]
    page = PageFacts(title="官方下载", text="百家乐 真人娱乐", links=links)
    doc = FactsDocument(sha256="4" * 64, path="p.html", kind="page", size=1, page=page)
    found = classify(doc, None, default_registry())
    assert found is not None and found.category == "gambling" and "彩票" in found.terms


def test_repeats_are_capped() -> None:
    """A word repeated thousands of times (a long FAQ) does not outvote the lure."""
    text = "刷单 垫付 佣金 " + "客服 " * 50_000
    found = classify(apk("任务", {"s": text}), None, default_registry())
    assert found is not None and found.category == "part_time_job"


def test_eval_reports_per_class_f1_and_confusions() -> None:
    """The eval's category detail names the weak classes and what they were taken for."""
    from chaincut.eval import metrics as M
    from chaincut.eval.report import _category_detail

    truth = ["shopping", "shopping", "loan", "loan"]
    found: list[str | None] = ["customer_service", "shopping", "loan", None]
    assert M.per_label_f1(truth, found) == pytest.approx({"loan": 2 / 3, "shopping": 2 / 3})
    assert M.confusions(truth, found) == {("shopping", "customer_service"): 1, ("loan", "none"): 1}
    detail = _category_detail(truth, found)
    assert "shopping->customer_service 1" in detail and "loan F1 0.67" in detail


def test_words_inside_addresses_are_not_wording() -> None:
    text = "充值通道 https://pay.lucky.shop/bet/casino 请联系 vip@loan.top"
    assert classify(apk("工具", {"s": text}), None, default_registry()) is None
    found = classify(apk("Casino", {"s": "bet now. baccarat"}), None, default_registry())
    assert found is not None and {"casino", "bet", "baccarat"} <= set(found.terms)


def test_a_kind_word_in_the_name_decides() -> None:
    # "XX客服" names a customer-service platform; "XX资本" an investment one
    found = classify(apk("元和客服", {"app_name": "元和客服"}), None, default_registry())
    assert found is not None and found.category == "customer_service"
    found = classify(apk("华鼎资本"), None, default_registry())
    assert found is not None and found.category == "investment"


def test_the_same_word_in_body_text_is_everyday() -> None:
    text = {"s": "联系客服", "t": "资本市场"}
    assert classify(apk("记事本", text), None, default_registry()) is None


def test_name_terms_are_validated(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("categories: {loan: {借: 2}}\nname_terms: {nope: {x: 1}}\n", encoding="utf-8")
    with pytest.raises(CategoryError, match="nope"):
        load_categories(path)
    text = "categories: {loan: {借: 2}}\nname_terms: {loan: {借款: 3}}\n"
    path.write_text(text, encoding="utf-8")
    terms = load_categories(path)
    found = classify(apk("快借款"), None, default_registry(), terms)
    assert found is not None and found.category == "loan" and found.terms == ["借款"]
