"""Indicator extraction: what must be found, what must not, and the limits."""

from __future__ import annotations

import socket
import time

import pytest

from chaincut.extractors.indicators import (
    MAX_INPUT,
    find_indicators,
    find_indicators_bytes,
    hosts,
    suffixes,
)
from chaincut.facts.models import Location


def pairs(text: str) -> list[tuple[str, str]]:
    return [(i.kind, i.value) for i in find_indicators(text)]


def values(text: str, kind: str) -> list[str]:
    return [v for k, v in pairs(text) if k == kind]


@pytest.mark.parametrize(
    ("text", "url"),
    [
        ("访问http://api.example-fraud.top/v1/login。谢谢", "http://api.example-fraud.top/v1/login"),
        ("see https://a.example.com:8443/p?q=1#f, then", "https://a.example.com:8443/p?q=1#f"),
        ('var u="wss://push.example.cn:9000/socket";', "wss://push.example.cn:9000/socket"),
        ("(details at http://a.example.com/x).", "http://a.example.com/x"),
        ("wiki http://a.example.com/x_(y) end", "http://a.example.com/x_(y)"),
        ('{"u":"https:\\/\\/cdn.x-y.cn\\/a.js"}', "https://cdn.x-y.cn/a.js"),
        ('<a href="http://b.example.org/">', "http://b.example.org/"),
        ("&quot;http://c.example.org/a&quot;", "http://c.example.org/a"),
        ("HTTPS://UP.EXAMPLE.COM/A", "https://UP.EXAMPLE.COM/A"),
        ("ftp://user:pw@files.example.net:21/pub", "ftp://user:pw@files.example.net:21/pub"),
        ("http://47.96.1.2:8080/api", "http://47.96.1.2:8080/api"),
        ("http://[2001:db8::2]:8443/x", "http://[2001:db8::2]:8443/x"),
        ("http://xn--fiqs8s.xn--55qx5d/path", "http://xn--fiqs8s.xn--55qx5d/path"),
        ("itms-services://?action=download-manifest&url=https://dl.ex.top/m.plist",
         "itms-services://?action=download-manifest&url=https://dl.ex.top/m.plist"),
        ("http://localhost:8080/dev", "http://localhost:8080/dev"),
    ],
)  # fmt: skip
def test_urls_found(text: str, url: str) -> None:
    assert url in values(text, "url")


@pytest.mark.parametrize(
    "text",
    [
        'xmlns:android="http://schemas.android.com/apk/res/android"',
        '<svg xmlns="http://www.w3.org/2000/svg">',
        "Licensed under http://www.apache.org/licenses/LICENSE-2.0",
        'String.format("http://%s:%d/api", host, port)',
        'String s = "http://" + host;',
        "xhttp://glued.example.com/",
        "http://${HOST}/x",
        "http://1.2.3.999/ is no address",
        "mailto:nobody",
    ],
)
def test_no_url(text: str) -> None:
    assert values(text, "url") == []


def test_url_brings_its_domain_then_ip_right_after() -> None:
    assert pairs("a http://api.example-fraud.top/v1 b http://47.96.1.2:8080/ c") == [
        ("url", "http://api.example-fraud.top/v1"),
        ("domain", "example-fraud.top"),
        ("url", "http://47.96.1.2:8080/"),
        ("ip", "47.96.1.2"),
    ]


def test_nested_urls_plain_and_percent_encoded() -> None:
    got = pairs("https://r.example.com/?u=https%3A%2F%2Fevil.example.org%2Fx")
    assert ("url", "https://evil.example.org/x") in got
    assert ("domain", "example.org") in got
    itms = pairs("itms-services://?action=download-manifest&url=https://dl.ex.top/m.plist")
    assert ("url", "https://dl.ex.top/m.plist") in itms and ("domain", "ex.top") in itms


@pytest.mark.parametrize(
    ("text", "domain"),
    [
        ("host: www.example.com", "example.com"),
        ("api.example-fraud.top", "example-fraud.top"),
        ("pay.shop.com.cn;", "shop.com.cn"),
        ("//cdn.example.net/a.js", "example.net"),
        ("h5.fraud-site.vip", "fraud-site.vip"),
        ("go to fraud.cc now", "fraud.cc"),
        ("api.example.in", "example.in"),
        ("www.xn--fiqs8s.xn--fiqs8s", "xn--fiqs8s.xn--fiqs8s"),
        ("WWW.SHOUTING.COM", "shouting.com"),
        ("app.example.com", "example.com"),
        ("t.cn/abc", "t.cn"),
    ],
)
def test_bare_domains_found(text: str, domain: str) -> None:
    assert values(text, "domain") == [domain]


@pytest.mark.parametrize(
    "text",
    [
        "com.google.android.gms",
        "com.tencent.mm",
        "io.flutter.app",
        "cn.jpush.im",
        "okhttp3.internal.ws",
        "org.chromium.net",
        "android.intent.action.VIEW",
        "Lcom/alipay/sdk/app/PayTask;",
        "R.id.name",
        "this.app",
        "window.location.host",
        "obj.info",
        "libfoo.so",
        "main.py",
        "Android.mk",
        "ro.build.version.sdk",
        "assets/www.foo.com",
        "user_name.example.com",
        "config.json index.html classes.dex",
    ],
)
def test_code_is_not_a_domain(text: str) -> None:
    assert values(text, "domain") == []


@pytest.mark.parametrize(
    ("text", "ip"),
    [
        ("server=47.96.1.2;", "47.96.1.2"),
        ("连接121.40.11.22失败", "121.40.11.22"),
        ("lan 10.0.0.1", "10.0.0.1"),
        ("v6 2001:db8::1 end", "2001:db8::1"),
        ("fe80::1%eth0", "fe80::1"),
        ("2001:0db8:0000:0000:0000:ff00:0042:8329", "2001:db8::ff00:42:8329"),
    ],
)
def test_ips_found(text: str, ip: str) -> None:
    assert values(text, "ip") == [ip]


@pytest.mark.parametrize(
    "text",
    [
        "version 1.2.3.4",
        "Version: 4.0.0.1",
        "v1.2.3.4",
        "OID 1.2.840.113549.1.1.11",
        "0.0.0.0 255.255.255.255 127.0.0.1 224.0.0.1",
        "256.1.1.1 1.2.3",
        "01.02.03.04",
        "12:30:45 00:11:22:33:44:55 std::map ::1",
        "build 3.10.2.1",
    ],
)
def test_not_ips(text: str) -> None:
    assert values(text, "ip") == []


def test_emails() -> None:
    got = values("mail Support@Example-Fraud.top, icon@2x.png, a@b, x.y+z@mail.qq.com", "email")
    assert got == ["support@example-fraud.top", "x.y+z@mail.qq.com"]
    assert values("see ftp://user@files.example.net/", "email") == []
    assert values("联系邮箱kefu@163.com谢谢", "email") == ["kefu@163.com"]


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("客服电话13812345678请拨打", "+8613812345678"),
        ("tel:+86 138 1234 5678", "+8613812345678"),
        ("0086-139-1234-5678", "+8613912345678"),
        ("+8613800138000", "+8613800138000"),
        ("热线 400-123-4567", "4001234567"),
        ("800 123 4567", "8001234567"),
        ("北京 010-62345678", "+861062345678"),
        ("call +1 (555) 123-4567", "+15551234567"),
        ("+44 20 7946 0958.", "+442079460958"),
    ],
)
def test_phones_found(text: str, phone: str) -> None:
    assert values(text, "phone") == [phone]


@pytest.mark.parametrize(
    "text",
    [
        "id=138123456789",  # twelve digits
        "1712345678901",  # a millisecond timestamp
        "a13812345678",
        "13812345678b",
        "12812345678",  # 12x is no mobile prefix
        "+12 34",
        "0x13812345678",
    ],
)
def test_not_phones(text: str) -> None:
    assert values(text, "phone") == []


def test_same_number_three_ways_is_one_indicator() -> None:
    assert values("13812345678 / +86 138-1234-5678 / 0086 13812345678", "phone") == [
        "+8613812345678"
    ]


def test_order_of_first_appearance_and_dedupe() -> None:
    text = "a@example.org 13812345678 http://x.example.com/ a@example.org 10.1.1.1 13812345678"
    assert [k for k, _ in pairs(text)] == ["email", "phone", "url", "domain", "ip"]


def test_location_and_limit() -> None:
    loc = Location(entry="classes.dex")
    text = " ".join(f"http://h{i}.example.com/" for i in range(50))
    got = find_indicators(text, location=loc, limit=7)
    assert len(got) == 7 and all(i.location == loc for i in got)
    assert find_indicators(text, limit=0) == []
    assert find_indicators("") == [] and find_indicators_bytes(b"") == []


def test_default_limit_caps_output() -> None:
    text = " ".join(f"http://h{i}.example{i}.com/" for i in range(3000))
    assert len(find_indicators(text)) == 2000


def test_input_cap() -> None:
    text = "x" * MAX_INPUT + " http://late.example.com/"
    assert find_indicators(text) == []


def test_bytes_in_dex_like_data() -> None:
    blob = (
        b"dex\n035\x00\x00\x12\x00" + b"\x25http://api.example-fraud.top/v1/login\x00"
        b"\x19support@example-fraud.top\x00\x0b13812345678\x00\xe5\xae\xa2\xe6\x9c\x8d"
        b"\x00Ljava/lang/String;\x00com.google.android.gms\x00"
    )
    got = [(i.kind, i.value) for i in find_indicators_bytes(blob)]
    assert got == [
        ("url", "http://api.example-fraud.top/v1/login"),
        ("domain", "example-fraud.top"),
        ("email", "support@example-fraud.top"),
        ("phone", "+8613812345678"),
    ]


def test_bytes_utf16le() -> None:
    blob = b"\x01\x02" + "see https://u16.example.com/x and ops@u16.example.com".encode("utf-16-le")
    got = [(i.kind, i.value) for i in find_indicators_bytes(blob)]
    assert ("url", "https://u16.example.com/x") in got
    assert ("email", "ops@u16.example.com") in got


def test_javascript_source() -> None:
    js = (
        'var api="https://h5.fraud-pay.vip/api/order";window.location.href=api;'
        "this.app.data.link=1;$.ajax({url:'http://8.8.4.4:81/x'});"
    )
    assert pairs(js) == [
        ("url", "https://h5.fraud-pay.vip/api/order"),
        ("domain", "fraud-pay.vip"),
        ("url", "http://8.8.4.4:81/x"),
        ("ip", "8.8.4.4"),
    ]


def test_fixture_dex_strings() -> None:
    from pathlib import Path

    dex = (Path(__file__).parent / "fixtures" / "apk" / "sample.dex").read_bytes()
    got = [(i.kind, i.value) for i in find_indicators_bytes(dex)]
    for expected in [
        ("url", "https://c2.example-fraud.top:8443/gate.php?id=1"),
        ("url", "http://121.40.11.22/upload"),
        ("ip", "121.40.11.22"),
        ("email", "ops@example-fraud.top"),
        ("url", "https://dl.example-fraud.top/m.plist"),
    ]:
        assert expected in got


def test_no_network_access(monkeypatch: pytest.MonkeyPatch) -> None:
    """The public suffix list is the bundled snapshot: a fresh reader opens no socket."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network access attempted")

    suffixes._rules.cache_clear()
    hosts._split.cache_clear()
    hosts.registrable.cache_clear()
    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    assert values("http://offline.example-fraud.top/", "domain") == ["example-fraud.top"]


def test_speed_on_binary_noise() -> None:
    import random

    rng = random.Random(7)
    blob = bytes(rng.getrandbits(8) for _ in range(1_000_000))
    blob += b"1.2.3.4 a.b.c.d 13800000000 " * 20_000
    # a guard against catastrophic regex backtracking (minutes, not seconds), counted in
    # this process's CPU time so a busy machine does not fail it; speed itself is a
    # benchmark's figure (benchmarks/bench_extract.py)
    start = time.process_time()
    find_indicators_bytes(blob)
    assert time.process_time() - start < 5.0
