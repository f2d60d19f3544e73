"""Fraud that imitates no one: wording as evidence, own-platform combinations, genuine
pages from their origin, icon likeness as context. Each signal has a counter-test: a
hard negative that must stay clean."""

from __future__ import annotations

from chaincut.detect.category import categorise
from chaincut.detect.impersonation import judge
from chaincut.detect.pipeline import ScanContext, scan_extraction
from chaincut.detect.score import icon_only
from chaincut.extractors.dispatch import ExtractionResult
from chaincut.extractors.findings import Findings
from chaincut.extractors.page.extract import read_page
from chaincut.facts.ios import IpaFacts, ProvisionFacts
from chaincut.facts.models import Anomaly, ApkFacts, FactsDocument, Indicator
from chaincut.knowledge.brands import Brand, BrandRegistry, default_registry
from chaincut.result.models import Impersonation, ScanResult, Signal

BANK = Brand(
    id="demo_bank",
    names=["示例银行", "Demo Bank"],
    category="banking",
    domains=["demobank.example"],
)


def registry() -> BrandRegistry:
    base = default_registry()
    return BrandRegistry(brands={**base.brands, BANK.id: BANK}, version=base.version + "+demo")


def scan(doc: FactsDocument, reg: BrandRegistry | None = None) -> ScanResult:
    base = ScanContext.load()
    ctx = ScanContext(knowledge=base.knowledge, rules=base.rules, brands=reg or base.brands)
    return scan_extraction(ExtractionResult(document=doc, blobs={}), ctx)


def apk(
    label: str, strings: dict[str, str] | None = None, urls: tuple[str, ...] = (), **extra: object
) -> FactsDocument:
    facts = ApkFacts(label=label, strings=strings or {}, **extra)
    found = [Indicator(kind="url", value=u) for u in urls]
    return FactsDocument(
        sha256="0" * 64, path="x.apk", kind="apk", size=1, apk=facts, indicators=found
    )


def page(html: str) -> FactsDocument:
    facts, indicators = read_page(html.encode(), "saved.html", Findings())
    return FactsDocument(
        sha256="1" * 64, path="saved.html", kind="page", size=len(html), page=facts,
        indicators=indicators,
    )  # fmt: skip


def rules(result: ScanResult) -> set[str]:
    return {e.rule for e in result.evidence}


# --- wording -------------------------------------------------------------------------------


def test_gambling_wording_alone_is_suspicious() -> None:
    doc = apk("皇冠体育", {"s": "时时彩 百家乐 下注 充值彩金"})
    result = scan(doc)
    assert result.verdict in ("suspicious", "malicious")
    assert {"fraud/gambling-wording", "fraud/platform-wording"} <= rules(result)
    assert result.category == "gambling"


def test_sports_news_stays_clean() -> None:
    result = scan(apk("体育新闻", {"s": "比赛 直播 新闻 比分"}))
    assert result.verdict == "clean" and "fraud/gambling-wording" not in rules(result)


def test_platform_wording_with_two_traits_flags_own_brand_platform() -> None:
    doc = apk(
        "乐岚兼职",
        {"s": "登录 注册"},
        urls=("https://h5.app-x.example/#/pages/index/index",),
        permissions=["android.permission.INTERNET", "android.permission.REQUEST_INSTALL_PACKAGES"],
    )
    result = scan(doc)
    assert "fraud/own-platform" in rules(result), rules(result)
    assert result.verdict in ("suspicious", "malicious")
    assert result.category == "part_time_job"


def test_loan_calculator_built_with_a_builder_stays_clean() -> None:
    # loan wording and one trait (a remote H5 app) is not enough
    doc = apk(
        "月供计算助手",
        {"s": "贷款 利率 还款 月供 计算"},
        urls=("https://h5.calc-x.example/#/pages/index/index",),
        permissions=["android.permission.INTERNET"],
    )
    result = scan(doc)
    assert result.verdict == "clean", rules(result)
    assert "fraud/own-platform" not in rules(result)


def test_single_decisive_term_in_the_name_decides_category() -> None:
    found = categorise(apk("乐岚兼职"), None, default_registry()).wording
    assert found is not None and found.category == "part_time_job"
    assert categorise(apk("岚溪社区"), None, default_registry()).wording is None


def test_outside_store_ios_with_fraud_name_flags() -> None:
    prov = ProvisionFacts(distribution="ad_hoc", team_id="ABCDE12345", device_count=90)
    doc = FactsDocument(
        sha256="2" * 64, path="x.ipa", kind="ipa", size=1,
        ipa=IpaFacts(display_name="公安鑫达", bundle_id="com.x.y", provision=prov),
        anomalies=[Anomaly(code="provision_signer_not_apple")],
    )  # fmt: skip
    assert scan(doc).verdict in ("suspicious", "malicious")
    # the same ad-hoc app under a plain name is not judged on its distribution alone
    ipa = doc.ipa
    assert ipa is not None
    plain = doc.model_copy(update={"ipa": ipa.model_copy(update={"display_name": "天气"})})
    assert scan(plain).verdict == "clean"


def ipa(name: str, distribution: str) -> FactsDocument:
    prov = ProvisionFacts(distribution=distribution, team_id="ABCDE12345", device_count=0)
    return FactsDocument(
        sha256="3" * 64, path="y.ipa", kind="ipa", size=1,
        ipa=IpaFacts(display_name=name, name=name, bundle_id="com.x.z", provision=prov),
    )  # fmt: skip


def test_enterprise_app_named_for_a_fraud_platform_flags() -> None:
    result = scan(ipa("华鼎资本", "enterprise"))
    assert "ios/outside-store-platform" in rules(result)
    assert result.verdict in ("suspicious", "malicious") and result.category == "investment"


def test_enterprise_office_app_stays_clean() -> None:
    result = scan(ipa("众信科技内部办公", "enterprise"))
    assert "ios/outside-store-platform" not in rules(result) and result.verdict == "clean"
    # the platform's name alone, from the App Store, is wording context only
    assert scan(ipa("华鼎资本", "app_store")).verdict == "clean"


def test_refund_by_screen_sharing_flags() -> None:
    doc = apk("元和客服", {"s": "退款理赔请开启屏幕共享，客服专员远程协助您注销账户"})
    result = scan(doc)
    assert "fraud/remote-screen-refund" in rules(result)
    assert result.verdict in ("suspicious", "malicious") and result.category == "customer_service"


def test_meeting_app_and_shop_stay_clean() -> None:
    meeting = scan(apk("易会", {"s": "视频会议 会议号 入会 屏幕共享 注销账户 联系客服"}))
    assert "fraud/remote-screen-refund" not in rules(meeting) and meeting.verdict == "clean"
    shop = scan(apk("优选商城", {"s": "购物车 订单 退款 售后 在线客服"}))
    assert "fraud/remote-screen-refund" not in rules(shop) and shop.verdict == "clean"


# --- genuine pages and imitations -----------------------------------------------------------

OFFICIAL = """<!-- saved from url=(0030)https://www.demobank.example/app/ -->
<html><head><title>示例银行 - 客户端下载</title>
<link rel="canonical" href="https://www.demobank.example/app/"></head>
<body><h1>示例银行</h1><a href="https://download.demobank.example/app/demo_8.0.apk">Android 下载</a>
<a href="https://apps.apple.com/cn/app/id1304704871">App Store 下载</a></body></html>"""


def test_saved_official_page_is_the_brands_own() -> None:
    doc = page(OFFICIAL)
    assert doc.page is not None and "https://www.demobank.example/app/" in doc.page.origins
    result = scan(doc, registry())
    assert result.verdict == "clean" and result.genuine == "demo_bank"
    assert result.impersonates is None


def test_copied_page_with_foreign_download_is_an_imitation() -> None:
    html = OFFICIAL.replace("https://download.demobank.example/app/", "https://cdn.dl-x.example/")
    result = scan(page(html), registry())
    assert result.genuine is None
    assert result.impersonates is not None and result.impersonates.brand == "demo_bank"
    assert result.verdict in ("suspicious", "malicious")


def test_icon_alone_names_no_brand() -> None:
    near = Signal(kind="icon", score=0.95, detail="icon distance 2/128")
    label = Signal(kind="label", score=0.9, detail="label")
    assert icon_only(Impersonation(brand="b", confidence=0.95, signals=[near]))
    assert not icon_only(Impersonation(brand="b", confidence=0.99, signals=[near, label]))
    assert judge(apk("天气"), {}, default_registry()).impersonation is None


# --- brand names in internationalised hosts -------------------------------------------------


def test_brand_name_in_unicode_or_punycode_host_is_an_imitation() -> None:
    from chaincut.detect.impersonation.domains import match_host
    from chaincut.detect.impersonation.index import brand_index

    entries = {e.id: e for e in brand_index(registry())}
    bank = entries["demo_bank"]
    puny = "示例银行".encode("idna").decode("ascii")
    vip = "示例银行-vip".encode("idna").decode("ascii")
    for host in ("示例银行.top", f"{puny}.top", f"www.{vip}.top"):
        found = match_host(host, bank)
        assert found is not None and found.score >= 0.8, host
    # counter: other Chinese words in a host, and the brand's own domain
    assert match_host("天气预报.top", bank) is None
    assert match_host("www.demobank.example", bank) is None


# --- hidden back ends ----------------------------------------------------------------------


def test_base64_hidden_url_is_an_indicator() -> None:
    from chaincut.extractors.indicators import find_indicators

    found = find_indicators('{"baseUrl2": "aHR0cHM6Ly9hcGkuZXhhbXBsZS1oaWRkZW4uY29tL3Yx"}')
    assert ("url", "https://api.example-hidden.com/v1") in {(i.kind, i.value) for i in found}
    assert ("domain", "example-hidden.com") in {(i.kind, i.value) for i in found}
    # counter: base64 that is not a URL, and text that merely starts like one
    assert find_indicators("token aHR0cGxlYXNlIGlnbm9yZQ== and aHR0cXXXXXXX!!") == []


# --- capabilities against the declared purpose ----------------------------------------------

SMS_PERMISSIONS = [
    "android.permission.INTERNET", "android.permission.READ_SMS",
    "android.permission.RECEIVE_SMS", "android.permission.SEND_SMS",
    "android.permission.READ_CONTACTS",
]  # fmt: skip


def test_sms_powers_in_an_sms_tool_are_its_purpose() -> None:
    helper = scan(apk("青禾短信助手", permissions=SMS_PERMISSIONS))
    assert helper.verdict == "clean", [(e.rule, e.score) for e in helper.evidence]
    # counter: the same powers in a flashlight have no business there
    torch = scan(apk("手电筒", permissions=SMS_PERMISSIONS))
    assert torch.verdict in ("suspicious", "malicious")
    assert "android/sms-outside-messaging-app" in rules(torch)


# --- back ends ordinary apps do not use ------------------------------------------------------


def test_platform_name_with_bare_ip_back_end_flags() -> None:
    # a documentation address stands for a public server; shared by many apps or not,
    # a bare-address back end is a trait of its own
    doc = apk("岚溪心动", urls=("http://198.51.100.23:8088/api/",))
    result = scan(doc)
    assert {"fraud/hardcoded-ip-backend", "fraud/platform-backend"} <= rules(result)
    assert result.verdict in ("suspicious", "malicious") and result.category == "dating"


def test_bare_ip_without_platform_wording_or_on_the_lan_stays_clean() -> None:
    assert scan(apk("曜岚相机", urls=("http://198.51.100.23:8088/api/",))).verdict == "clean"
    lan = scan(apk("岚溪心动", urls=("http://192.168.1.20:8080/api/",)))
    assert "fraud/hardcoded-ip-backend" not in rules(lan) and lan.verdict == "clean"


def test_platform_name_with_raw_payment_gateway_flags() -> None:
    doc = apk("泰铭资本", urls=("https://pay.pay-x.example/gateway/submit?mch_id=5550004321",))
    result = scan(doc)
    assert "fraud/platform-backend" in rules(result)
    assert result.verdict in ("suspicious", "malicious") and result.category == "investment"


def test_remote_h5_counts_for_task_platform_not_loan_calculator() -> None:
    task = scan(apk("澜曜兼职", urls=("https://h5.app-x.example/#/pages/index/index",)))
    assert "fraud/platform-backend" in rules(task) and task.verdict == "suspicious"
    calc = scan(apk("月供计算助手", {"s": "贷款 利率 还款"},
                    urls=("https://h5.calc-x.example/#/pages/index/index",)))  # fmt: skip
    assert "fraud/platform-backend" not in rules(calc) and calc.verdict == "clean"


def test_outside_store_ipa_with_bare_ip_back_end_flags() -> None:
    server = Indicator(kind="url", value="http://198.51.100.9:6060/")
    doc = ipa("Lanyao Games", "enterprise").model_copy(update={"indicators": [server]})
    result = scan(doc)
    assert "ios/outside-store-backend" in rules(result)
    assert result.verdict in ("suspicious", "malicious")
    office = ipa("众信科技内部办公", "enterprise").model_copy(
        update={"indicators": [Indicator(kind="url", value="https://oa.zhongxin.example/api/")]}
    )
    assert scan(office).verdict == "clean"


def test_sms_tool_reading_contacts_is_no_harvest() -> None:
    helper = scan(apk("Shengyi SMS Helper", permissions=SMS_PERMISSIONS))
    assert "android/harvest-personal-data" not in rules(helper)
    # contacts and the call log together are still more than an SMS tool needs
    more = scan(
        apk("SMS Helper", permissions=[*SMS_PERMISSIONS, "android.permission.READ_CALL_LOG"])
    )
    assert "android/harvest-personal-data" in rules(more)


# --- category: the borrowed brand is a costume ------------------------------------------------


def test_imitation_speaking_plainly_of_a_lure_takes_the_lure_category() -> None:
    shop = Brand(id="demo_mall", names=["示例优选"], category="shopping", domains=["mall.example"])
    reg = BrandRegistry(brands={**registry().brands, shop.id: shop}, version="demo+mall")
    doc = page("<html><head><title>示例优选商家版 - APP下载</title></head>"
               "<body>示例优选商家版 在家轻松赚钱，佣金日结</body></html>")  # fmt: skip
    imp = Impersonation(brand="demo_mall", confidence=0.95, name="示例优选")
    found = categorise(doc, imp, reg).reported
    assert found is not None and found.category == "part_time_job"
    # one word is not plain enough: a bank's "security center" is the bank's
    bank = categorise(
        apk("示例银行安全中心"),
        Impersonation(brand="demo_bank", confidence=0.95, name="示例银行"),
        reg,
    )
    assert bank.reported is not None and bank.reported.category == "banking"
