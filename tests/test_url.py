"""The URL analyser: host forms, IP tricks, homographs, platforms, kinds; offline only."""

from __future__ import annotations

import hashlib
import socket
from pathlib import Path
from typing import Any

import pytest

from chaincut.extractors.findings import Findings
from chaincut.extractors.indicators import suffixes
from chaincut.extractors.url import analyse, analyse_url, url_document
from chaincut.extractors.url import host as hosts
from chaincut.facts.codes import all_codes
from chaincut.knowledge.confusables import skeleton
from chaincut.knowledge.platforms import default_platforms, platform_for
from tests.cli_helpers import jsonl, run_cli


def codes_of(url: str) -> list[str]:
    findings = Findings()
    analyse(url, findings)
    return [a.code for a in findings.anomalies]


@pytest.mark.parametrize(
    ("url", "ip"),
    [
        ("http://3232235777/", "192.168.1.1"),
        ("http://0xC0A80101/a", "192.168.1.1"),
        ("http://0300.0250.1.1/", "192.168.1.1"),
        ("http://127.1/", "127.0.0.1"),
        ("http://134744072/x.apk", "8.8.8.8"),
    ],
)
def test_obfuscated_ipv4(url: str, ip: str) -> None:
    facts = analyse_url(url)
    assert facts.ip == ip and facts.host == ip
    assert "url_ip_obfuscated" in codes_of(url)
    assert facts.registrable_domain is None


def test_plain_and_private_ips() -> None:
    public = analyse_url("http://8.8.8.8:8080/a.apk")
    assert public.ip == "8.8.8.8" and public.ip_private is False and public.port == 8080
    assert public.link_kind == "apk"
    assert "url_ip_obfuscated" not in codes_of("http://8.8.8.8/")
    v6 = analyse_url("http://[fe80::1]/")
    assert v6.ip == "fe80::1" and v6.ip_private is True
    assert "url_private_ip" in codes_of("http://[::ffff:10.0.0.1]/")
    assert "url_invalid_ipv4" in codes_of("http://1.2.3.256/")


def test_homograph_host_skeletons_to_the_bank() -> None:
    idn = "іcbc.com.cn".encode("idna").decode()  # Cyrillic і
    facts = analyse_url(f"https://{idn}/login")
    assert facts.host == "xn--cbc-ihd.com.cn" and facts.punycode
    assert facts.host_unicode == "іcbc.com.cn"
    assert facts.skeleton == "icbc.com.cn"
    assert facts.mixed_scripts
    assert "icbc" in facts.brand_tokens
    found = codes_of(f"https://{idn}/")
    assert {"url_punycode_host", "url_mixed_scripts", "url_confusable_host"} <= set(found)
    # the Unicode spelling reads the same
    assert analyse_url("https://іcbc.com.cn/").host == "xn--cbc-ihd.com.cn"


def test_fullwidth_and_digit_swaps() -> None:
    assert analyse_url("https://ＩＣＢＣ．com/").host == "icbc.com"
    assert skeleton("paypa1.com") == "paypal.com"
    assert skeleton("rnicrosoft.com") == skeleton("microsoft.com")
    assert skeleton("vvechat.com") == "wechat.com"


def test_userinfo_trick_and_brand_tokens() -> None:
    facts = analyse_url("http://www.icbc.com.cn@evil-kefu.top/icbc/app.apk")
    assert facts.userinfo and facts.host == "evil-kefu.top"
    assert facts.brand_tokens == ["icbc"] and facts.link_kind == "apk"
    assert "url_userinfo" in codes_of("http://www.icbc.com.cn@evil.top/")
    assert analyse_url("https://ccb-app.vip/").brand_tokens == ["ccb"]
    assert analyse_url("https://x.top/gongshangyinhang/").brand_tokens == ["icbc"]
    assert analyse_url("https://www.icbc.com.cn/icbc/").brand_tokens == []  # its own domain
    assert analyse_url("https://abc.example.com/").brand_tokens == []  # short id alone


def test_public_suffix_split() -> None:
    facts = analyse_url("https://a.b.evil.github.io/x")
    assert facts.registrable_domain == "github.io" and facts.suffix == "io"
    assert facts.subdomain == "a.b.evil"
    assert facts.platform_kind == "free_hosting"
    doc = url_document("https://a.b.evil.github.io/x").document
    assert ("host", "a.b.evil.github.io") in {(i.kind, i.value) for i in doc.indicators}
    assert analyse_url("https://www.sina.com.cn/").registrable_domain == "sina.com.cn"


@pytest.mark.parametrize(
    ("url", "kind", "platform_kind"),
    [
        ("https://t.cn/A6abcd", "page", "shortener"),
        ("https://bit.ly/3xyz", "page", "shortener"),
        ("https://www.pgyer.com/abcd", "page", "distribution"),
        ("https://fir.vip/xyz", "page", "distribution"),
        ("https://bucket.oss-cn-shenzhen.aliyuncs.com/x/app.apk", "apk", "object_storage"),
        ("https://b-1250000000.cos.ap-guangzhou.myqcloud.com/a.ipa", "ipa", "object_storage"),
        ("https://obs.cn-north-4.myhuaweicloud.com/b/p.mobileconfig", "mobileconfig",
         "object_storage"),
        ("https://x.bcebos.com/d?attname=loan.apk", "apk", "object_storage"),
        ("https://testflight.apple.com/join/AbCd", "testflight", "testflight"),
        ("https://apps.apple.com/cn/app/id123", "app_store", "app_store"),
        ("https://play.google.com/store/apps/details?id=a.b", "play_store", "app_store"),
        ("https://app.mi.com/details?id=a.b", "android_market", "app_store"),
        ("https://sj.qq.com/appdetail/a.b", "android_market", "app_store"),
        ("https://x.vercel.app/", "page", "free_hosting"),
        ("https://example.com/static/app.js", "script", None),
        ("https://example.com/qr.png", "image", None),
    ],
)  # fmt: skip
def test_platforms_and_kinds(url: str, kind: str, platform_kind: str | None) -> None:
    facts = analyse_url(url)
    assert facts.link_kind == kind
    assert facts.platform_kind == platform_kind


def test_shortener_is_named() -> None:
    facts = analyse_url("https://t.cn/A6abcd")
    assert facts.shortener and facts.platform is None
    assert "url_shortener" in codes_of("https://t.cn/A6abcd")


def test_itms_services_manifest() -> None:
    manifest = "https://ios.oss-cn-hangzhou.aliyuncs.com/m.plist"
    url = f"itms-services://?action=download-manifest&url={manifest}"
    facts = analyse_url(url)
    assert facts.link_kind == "itms_services" and facts.itms_manifest_url == manifest
    assert codes_of(url) == []
    doc = url_document(url).document
    values = [(i.kind, i.value) for i in doc.indicators]
    assert ("url", url) in values and ("url", manifest) in values
    assert ("domain", "aliyuncs.com") in values


def test_odd_forms_never_raise() -> None:
    for text in ["", "http://", "https://[::1", "http://a:b:c/", "http://x:99999/", "%%%",
                 "http://\u0000evil.com/", "https:\\\\evil.com\\a", "javascript:alert(1)",
                 "http://" + "a." * 200 + "com", "http://" + "9" * 5000, "data:text/html,hi",
                 "http://xn--zz/", "http://exa mple.com/", "x" * 20000]:  # fmt: skip
        analyse_url(text)
    assert "url_backslash" in codes_of("https:\\\\evil.com\\a.apk")
    assert analyse_url("https:\\\\evil.com\\a.apk").host == "evil.com"
    assert "url_invalid_port" in codes_of("http://x.com:99999/")
    assert "url_too_long" in codes_of("http://x.com/" + "a" * 10000)


def test_every_emitted_code_is_registered() -> None:
    known = all_codes()
    urls = ["http://3232235777/", "http://[::1]:7/", "https://xn--cbc-ihd.com.cn/",
            "http://u@x.com:1/", "http://x:99999", "https:\\\\a.com", "https://t.cn/a",
            "http://1.2.3.999/", "http://bad_host!.com/"]  # fmt: skip
    for url in urls:
        assert set(codes_of(url)) <= set(known)


def test_url_document() -> None:
    url = "https://x.example/a.apk"
    doc = url_document(url).document
    assert doc.kind == "url" and doc.path == url and doc.format == "url"
    assert doc.sha256 == hashlib.sha256(url.encode()).hexdigest()
    assert doc.size == len(url.encode())
    assert doc.url is not None and doc.url.link_kind == "apk"


def test_platform_data_loads() -> None:
    platforms = default_platforms().platforms
    ids = [p.id for p in platforms]
    assert len(ids) == len(set(ids))
    kinds = {p.kind for p in platforms}
    assert kinds == {"shortener", "distribution", "super_signature", "free_hosting",
                     "object_storage", "app_store", "testflight"}  # fmt: skip
    assert platform_for("www.t.cn") is not None and platform_for("notbit.ly") is None


def test_no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Analysis (and the public suffix list) never touches a socket."""
    hosts.split.cache_clear()
    suffixes._rules.cache_clear()

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    facts = analyse_url("https://www.fresh-name-nobody-cached.co.uk/x")
    assert facts.registrable_domain == "fresh-name-nobody-cached.co.uk"


def test_cli_facts_of_urls_keeps_input_order(tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    page.write_text("<html><a href='https://e.example/x.apk'>x</a></html>", encoding="utf-8")
    url = "https://x.example/a.apk"
    proc = run_cli("facts", "--jobs", "2", url, str(page), "http://3232235777/")
    assert proc.returncode == 0, proc.stderr
    docs = jsonl(proc.stdout)
    assert [d["path"] for d in docs] == [url, str(page), "http://3232235777/"]
    first = docs[0]
    assert first["kind"] == "url"
    assert first["sha256"] == hashlib.sha256(url.encode()).hexdigest()
    assert first["url"]["link_kind"] == "apk"
    # ".example" is no public suffix, so there is no registrable domain to report
    assert [(i["kind"], i["value"]) for i in first["indicators"]] == [("url", url)]
    assert docs[1]["kind"] == "page"
    assert docs[2]["url"]["ip"] == "192.168.1.1"
    assert {"kind": "ip", "value": "192.168.1.1", "location": None} in docs[2]["indicators"]
