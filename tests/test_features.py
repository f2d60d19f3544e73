"""Features from facts: kinds, values, locations; builder/packer/SDK recognition and keys."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from chaincut.detect.components import indicators_from_components, recognise
from chaincut.detect.feature_kinds import kind_spec, markdown_table
from chaincut.detect.features import FeatureSet, extract_features
from chaincut.facts.ios import ConfigPayload, IpaFacts, MobileconfigFacts, ProvisionFacts
from chaincut.facts.models import (
    ApkFacts,
    CertificateFacts,
    Component,
    DexFacts,
    EmbeddedConfig,
    EntryFacts,
    FactsDocument,
    H5Page,
    Indicator,
    IntentFilter,
    Location,
    MetaData,
    SigningFacts,
)
from chaincut.facts.web import PageFacts, PageLink, UrlFacts
from chaincut.knowledge.kb import load_knowledge

ROOT = Path(__file__).resolve().parents[1]
NOW = datetime(2024, 6, 1, tzinfo=UTC)


def _entry(name: str) -> EntryFacts:
    return EntryFacts(name=name, size=10, compressed_size=10, method=8, crc32=0)


def _cert(not_before: str = "2024-05-20T00:00:00+00:00") -> CertificateFacts:
    return CertificateFacts(
        sha256="ab" * 32,
        sha1="cd" * 20,
        md5="ef" * 16,
        subject="CN=x",
        issuer="CN=x",
        serial="1",
        not_before=not_before,
        not_after="2049-05-20T00:00:00+00:00",
        self_signed=True,
    )


def _apk_doc(**apk: object) -> FactsDocument:
    base: dict[str, object] = {"package": "com.example.app"}
    base.update(apk)
    return FactsDocument(
        sha256="0" * 64,
        path="x.apk",
        kind="apk",
        size=1234,
        format="zip",
        apk=ApkFacts.model_validate(base),
        indicators=[
            Indicator(
                kind="url",
                value="http://47.100.1.2:8080/api",
                location=Location(entry="classes.dex"),
            ),
            Indicator(kind="domain", value="api.jpush.cn"),
            Indicator(kind="domain", value="www.pgyer.com"),
        ],
    )


def _shell_like() -> FactsDocument:
    return _apk_doc(
        permissions=["android.permission.INTERNET", "android.permission.SEND_SMS"],
        main_activity="com.example.app.Main",
        components=[
            Component(
                kind="activity",
                name="com.example.app.Main",
                intent_filters=[IntentFilter(actions=["android.intent.action.MAIN"])],
            ),
            Component(
                kind="receiver",
                name="com.example.app.Sms",
                effectively_exported=True,
                intent_filters=[IntentFilter(actions=["android.provider.Telephony.SMS_RECEIVED"])],
            ),
        ],
        meta_data={"JPUSH_APPKEY": "0123456789abcdef01234567"},
        meta_data_entries=[
            MetaData(name="JPUSH_APPKEY", value="0123456789abcdef01234567"),
            MetaData(name="UMENG_APPKEY", value="${UMENG_APPKEY}"),
        ],
        dex=[
            DexFacts(
                name="classes.dex",
                classes=40,
                packages=["cn.jpush.android.service", "com.example.app"],
                api_refs=[
                    "android.webkit.WebView.loadUrl",
                    "android.telephony.SmsManager.sendTextMessage",
                ],
            )
        ],
        native_libs=["lib/arm64-v8a/libjiagu_a64.so"],
        entries=[
            _entry("AndroidManifest.xml"),
            _entry("assets/apps/__UNI__A1B2C3D/www/manifest.json"),
        ],
        embedded_configs=[
            EmbeddedConfig(
                entry="assets/apps/__UNI__A1B2C3D/www/manifest.json",
                builder="dcloud",
                values={"app_id": "__UNI__A1B2C3D", "start_url": "https://h5.example.top/"},
            )
        ],
        strings={"app_name": "极速贷", "x": "y"},
        h5_pages=[
            H5Page(
                entry="assets/apps/__UNI__A1B2C3D/www/index.html",
                title="首页",
                text="极速放款 额度20万",
            )
        ],
        signing=SigningFacts(
            schemes={"v1": True, "v2": True, "v3": False, "v31": False},
            verified=True,
            certificates=[_cert()],
        ),
    )


def test_apk_features_have_kinds_values_and_locations() -> None:
    fs = extract_features(_shell_like(), load_knowledge(), now=NOW)
    assert fs.has("artifact.kind", "apk") and fs.has("format", "zip") and fs.has("size", 1234)
    assert fs.has("permission", "android.permission.SEND_SMS")
    assert fs.has("api", "android.telephony.SmsManager.sendTextMessage")
    assert fs.values("api")["android.webkit.WebView.loadUrl"] == [Location(entry="classes.dex")]
    assert fs.has("class_package", "cn.jpush.android.service")
    assert fs.has("component", "receiver:com.example.app.Sms")
    assert fs.has("component.exported", "receiver:com.example.app.Sms")
    assert fs.has("component.action", "receiver:android.provider.Telephony.SMS_RECEIVED")
    assert fs.has("intent_action", "android.intent.action.MAIN")
    assert fs.has("meta_data", "JPUSH_APPKEY")
    assert fs.has("meta_data.value", "JPUSH_APPKEY=0123456789abcdef01234567")
    assert fs.has("native_lib", "libjiagu_a64.so")
    assert fs.has("entry", "assets/apps/__UNI__A1B2C3D/www/manifest.json")
    assert fs.has("config", "start_url=https://h5.example.top/")
    assert fs.has("string", "极速贷") and fs.has("label", "极速贷") is False
    assert fs.has("string", "极速放款 额度20万")
    assert fs.has("cert.self_signed", True) and fs.has("cert.age_days", 12)
    assert fs.has("signing.verified", True) and fs.has("signing.scheme", "v2")
    assert fs.has("dex.classes", 40) and fs.has("dex.count", 1)
    assert fs.count("permission") == 2 and fs.counts["permission"] == 2


def test_common_indicators_are_kept_apart() -> None:
    fs = extract_features(_shell_like(), load_knowledge(), now=NOW)
    assert fs.has("indicator.url", "http://47.100.1.2:8080/api")
    assert not fs.has("indicator.domain", "api.jpush.cn")
    assert fs.has("indicator.common", "domain")
    assert fs.has("link.platform", "pgyer") and fs.has("link.platform_kind", "distribution")


def test_components_are_recognised_with_keys() -> None:
    kb = load_knowledge()
    doc = _shell_like()
    fs = extract_features(doc, kb, now=NOW)
    found = {(c.kind, c.id): c for c in recognise(doc, kb)}
    assert [(c.kind, c.id) for c in recognise(doc, fs)] == list(found)
    dcloud = found[("builder", "dcloud")]
    assert dcloud.app_key == "__UNI__A1B2C3D"
    assert any(e.startswith("entry assets/apps/") for e in dcloud.evidence)
    assert found[("packer", "jiagu_360")].evidence == ["native library libjiagu_a64.so"]
    assert found[("sdk", "jpush")].app_key == "0123456789abcdef01234567"
    assert ("sdk", "umeng") in found and found[("sdk", "umeng")].app_key is None  # placeholder
    assert ("builder", "generic_webview") not in found  # a real builder was recognised
    assert fs.has("builder", "dcloud") and fs.has("builder.webview", True)
    assert fs.has("builder_app_id", "dcloud:__UNI__A1B2C3D")
    assert fs.has("sdk_app_key", "jpush:0123456789abcdef01234567")
    assert fs.has("sdk_category", "push") and fs.has("packer", "jiagu_360")
    roles = {
        (i.kind, i.value): (i.role, i.common, i.provider)
        for i in indicators_from_components(list(found.values()), kb)
    }
    # an indicator's value is the bare key an outside tool looks up; whose key it is
    # travels beside it (the detection features above keep the provider:key spelling)
    assert roles[("builder_app_id", "__UNI__A1B2C3D")] == ("developer", False, "dcloud")
    assert roles[("packer", "jiagu_360")] == ("packager", True, None)
    assert roles[("sdk_app_key", "0123456789abcdef01234567")] == ("developer", False, "jpush")
    assert not any(k[1].startswith(("dcloud:", "jpush:")) for k in roles)


def test_bare_webview_shell_heuristic() -> None:
    kb = load_knowledge()
    doc = _apk_doc(
        main_activity="com.example.app.Main",
        dex=[DexFacts(name="classes.dex", classes=12, api_refs=["android.webkit.WebView.loadUrl"])],
    )
    comps = recognise(doc, kb)
    assert [(c.kind, c.id) for c in comps] == [("builder", "generic_webview")]
    assert "remote URL http://47.100.1.2:8080/api" in comps[0].evidence
    big = _apk_doc(
        dex=[
            DexFacts(name="classes.dex", classes=5000, api_refs=["android.webkit.WebView.loadUrl"])
        ]
    )
    assert recognise(big, kb) == []


def test_ios_and_profile_features() -> None:
    prov = ProvisionFacts(team_id="ABCDE12345", distribution="ad_hoc", device_count=88)
    ipa = IpaFacts(
        bundle_id="com.x.app",
        display_name="理财宝",
        frameworks=["Flutter.framework"],
        provision=prov,
        usage_descriptions={"NSContactsUsageDescription": "x"},
    )
    doc = FactsDocument(sha256="1" * 64, path="a.ipa", kind="ipa", size=1, ipa=ipa)
    fs = extract_features(doc, load_knowledge())
    assert fs.has("ios.distribution", "ad_hoc") and fs.has("ios.device_count", 88)
    assert fs.has("ios.team_id", "ABCDE12345") and fs.has("ios.bundle_id", "com.x.app")
    assert fs.has("ios.framework", "Flutter.framework") and fs.has("label", "理财宝")
    assert fs.has("ios.usage", "NSContactsUsageDescription")
    assert fs.has("builder", "flutter")  # recognised from its framework
    mc = MobileconfigFacts(
        signed=False,
        payloads=[
            ConfigPayload(type="com.apple.webClip.managed", url="https://h5.example.top/"),
            ConfigPayload(type="com.apple.security.root", dangerous=True),
        ],
        web_clips=["https://1.2.3.4/app"],
    )
    doc = FactsDocument(
        sha256="2" * 64, path="p.mobileconfig", kind="mobileconfig", size=1, mobileconfig=mc
    )
    fs = extract_features(doc, load_knowledge())
    assert fs.has("profile.web_clip", "https://1.2.3.4/app") and fs.has("profile.signed", False)
    assert fs.has("profile.dangerous", "com.apple.security.root")
    assert fs.has("url.ip_host", True)


def test_url_and_page_features() -> None:
    url = UrlFacts(
        url="https://xn--80ak6aa92e.com/a",
        host="xn--80ak6aa92e.com",
        punycode=True,
        shortener=None,
        platform="fir",
        platform_kind="distribution",
        link_kind="page",
        brand_tokens=["icbc"],
    )
    fs = extract_features(
        FactsDocument(sha256="3" * 64, path="u", kind="url", size=0, url=url), load_knowledge()
    )
    assert fs.has("url.punycode", True) and fs.has("url.ip_host", False)
    assert fs.has("url.platform_kind", "distribution") and fs.has("url.brand_token", "icbc")
    page = PageFacts(
        title="下载",
        text="立即下载",
        links=[
            PageLink(url="https://d.example/a.apk", kind="apk", source="a"),
            PageLink(
                url="itms-services://?action=download-manifest&url=https://d.example/m.plist",
                kind="itms_services",
                source="a",
            ),
        ],
        downloads=[
            "https://d.example/a.apk",
            "itms-services://?action=download-manifest&url=https://d.example/m.plist",
        ],
        ua_branching=["navigator.userAgent iPhone"],
        wechat_block=True,
    )
    fs = extract_features(
        FactsDocument(sha256="4" * 64, path="p", kind="page", size=0, page=page), load_knowledge()
    )
    assert set(fs.values("page.download")) == {"apk", "itms_services"}
    assert fs.has("page.wechat_block", True) and fs.has("string", "立即下载")
    assert fs.has("page.ua_branching", "navigator.userAgent iPhone")


def test_every_produced_kind_is_registered() -> None:
    docs = [_shell_like()]
    kinds: set[str] = set()
    for doc in docs:
        kinds |= extract_features(doc, load_knowledge(), now=NOW).kinds
    unknown = sorted(k for k in kinds if kind_spec(k) is None)
    assert not unknown


def test_feature_set_basics() -> None:
    fs = FeatureSet()
    fs.add("permission", "a")
    fs.add("permission", "a", Location(entry="x"))
    fs.add("permission", "b")
    assert len(fs) == 2 and fs.count("permission") == 2 and fs.values("nothing") == {}
    assert [(f.value, f.location) for f in fs] == [
        ("a", None),
        ("a", Location(entry="x")),
        ("b", None),
    ]


def test_docs_feature_kind_table_is_current() -> None:
    page = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    start = page.index("<!-- feature-kinds:start -->\n") + len("<!-- feature-kinds:start -->\n")
    end = page.index("<!-- feature-kinds:end -->")
    assert page[start:end] == markdown_table(), (
        "regenerate the table in docs/rules.md: python -m chaincut.detect.feature_kinds"
    )


def test_absent_kinds_share_one_empty_table_that_nothing_changes() -> None:
    """An absent kind answers with one shared read-only empty table; adding the kind to
    one set gives that set its own table and leaves every other set's answer empty."""
    one, two = FeatureSet(), FeatureSet()
    assert one.values("api") is two.values("api") and dict(one.values("api")) == {}
    assert not one.has("api", "x") and one.count("api") == 0
    with pytest.raises(TypeError):
        one.values("api")["x"] = []  # type: ignore[index]
    one.add("api", "x")
    assert dict(one.values("api")) == {"x": [None]} and one.count("api") == 1
    assert dict(two.values("api")) == {} and not two.has("api", "x")
