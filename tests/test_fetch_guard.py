"""The --fetch guard: which destinations are refused, and how the refusal reads."""

from __future__ import annotations

import contextlib
import ipaddress
import socket
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chaincut.fetch import guard
from chaincut.fetch.guard import FetchError, FetchRefused, address_problem, check_destination
from chaincut.fetch.links import fetch_url, is_ios_link
from chaincut.fetch.policy import ANDROID_CHROME, IPHONE_SAFARI, WECHAT_ANDROID, FetchPolicy

REFUSED = {
    "127.0.0.1": "loopback",
    "127.255.0.9": "loopback",
    "10.0.0.1": "private",
    "172.16.5.4": "private",
    "192.168.1.1": "private",
    "169.254.169.254": "link-local",  # cloud metadata
    "100.64.0.1": "carrier-grade NAT",
    "100.127.255.254": "carrier-grade NAT",
    "0.0.0.0": "unspecified",
    "224.0.0.251": "multicast",
    "240.0.0.1": "private",  # reserved class E; ipaddress files it under private
    "255.255.255.255": "private",
    "::1": "loopback",
    "::": "unspecified",
    "fe80::1": "link-local",
    "fc00::1": "private",
    "fd12:3456::1": "private",
    "ff02::1": "multicast",
    "::ffff:127.0.0.1": "IPv6 form of 127.0.0.1, a loopback",
    "::ffff:10.1.2.3": "IPv6 form of 10.1.2.3, a private",
    "2002:a9fe:a9fe::1": "IPv6 form of 169.254.169.254, a link-local",  # 6to4
    "64:ff9b::c0a8:101": "IPv6 form of 192.168.1.1, a private",  # NAT64
    "::127.0.0.1": "reserved",  # IPv4-compatible (deprecated)
}
PUBLIC = ["8.8.8.8", "1.1.1.1", "93.184.216.34", "100.128.0.1", "2606:4700::1111",
          "::ffff:8.8.4.4", "2a00:1450:4001:82a::200e"]  # fmt: skip


@pytest.mark.parametrize(("addr", "why"), sorted(REFUSED.items()))
def test_non_public_addresses_are_refused(addr: str, why: str) -> None:
    problem = address_problem(ipaddress.ip_address(addr))
    assert problem is not None and why in problem


@pytest.mark.parametrize("addr", PUBLIC)
def test_public_addresses_pass(addr: str) -> None:
    assert address_problem(ipaddress.ip_address(addr)) is None


def test_loopback_literal_message_is_clear() -> None:
    with pytest.raises(FetchRefused) as info:
        check_destination("http://127.0.0.1:8000/")
    assert str(info.value) == (
        "refused http://127.0.0.1:8000/: 127.0.0.1 is a loopback address; pass --allow-private"
        " to fetch private, loopback or link-local destinations"
    )
    assert info.value.private


def test_bracketed_ipv6_literal_is_refused() -> None:
    with pytest.raises(FetchRefused, match=r"::1 is a loopback address"):
        check_destination("http://[::1]:8080/admin")


def _fake_dns(monkeypatch: pytest.MonkeyPatch, table: dict[str, list[str]]) -> list[str]:
    real = socket.getaddrinfo
    asked: list[str] = []

    def fake(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host not in table:
            return real(host, port, *args, **kwargs)
        asked.append(host)
        out = []
        for addr in table[host]:
            family = socket.AF_INET6 if ":" in addr else socket.AF_INET
            sockaddr = (addr, port, 0, 0) if ":" in addr else (addr, port)
            out.append((family, socket.SOCK_STREAM, 6, "", sockaddr))
        return out

    monkeypatch.setattr(guard.socket, "getaddrinfo", fake)
    return asked


def test_any_private_address_of_a_name_refuses_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """DNS answers mixing a public and a private address are refused (rebinding bait)."""
    _fake_dns(monkeypatch, {"dl.kit.example": ["93.184.216.34", "10.0.0.7"]})
    with pytest.raises(FetchRefused) as info:
        check_destination("https://dl.kit.example/app.apk")
    assert "dl.kit.example resolved to 10.0.0.7, a private address" in str(info.value)
    assert "--allow-private" in str(info.value)


def test_name_resolving_to_mapped_loopback_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_dns(monkeypatch, {"v6.kit.example": ["::ffff:127.0.0.1"]})
    with pytest.raises(FetchRefused, match=r"IPv6 form of 127\.0\.0\.1"):
        check_destination("http://v6.kit.example/")


def test_public_name_is_pinned_to_its_checked_addresses(monkeypatch: pytest.MonkeyPatch) -> None:
    asked = _fake_dns(monkeypatch, {"xn--fiq228c.example": ["93.184.216.34"]})
    dest = check_destination("https://中文.example:8443/下载 app?a=1#frag")
    assert dest.addresses == ("93.184.216.34",)
    assert dest.host == "xn--fiq228c.example" and dest.port == 8443
    assert dest.host_header == "xn--fiq228c.example:8443"
    assert dest.target == "/%E4%B8%8B%E8%BD%BD%20app?a=1"  # fragment never sent
    assert asked == ["xn--fiq228c.example"]  # one lookup


def test_allow_private_lets_loopback_through() -> None:
    dest = check_destination("http://127.0.0.1:9/", allow_private=True)
    assert dest.addresses == ("127.0.0.1",)


@pytest.mark.parametrize(
    "url",
    ["ftp://files.example/a.apk", "file:///etc/passwd", "data:text/html,hi",
     "javascript:alert(1)", "intent://x#Intent;end", "itms-services://?action=download-manifest",
     "//no-scheme.example/x"],
)  # fmt: skip
def test_other_schemes_are_never_fetched(url: str) -> None:
    with pytest.raises(FetchRefused) as info:
        check_destination(url)
    assert "never fetched (only http and https)" in str(info.value)
    assert not info.value.private


def test_bad_urls_are_refused_not_crashing() -> None:
    for url in ("http://", "http://host:99999/", "http://[::1/"):
        with pytest.raises(FetchRefused):
            check_destination(url)


def test_unresolvable_host_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*_args: Any, **_kw: Any) -> Any:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(guard.socket, "getaddrinfo", fail)
    with pytest.raises(FetchError, match=r"cannot resolve nowhere\.example"):
        check_destination("http://nowhere.example/")


def test_itms_services_fetches_its_manifest() -> None:
    link = "itms-services://?action=download-manifest&url=https%3A%2F%2Fcdn.example%2Fm.plist"
    assert fetch_url(link) == "https://cdn.example/m.plist"
    assert is_ios_link(link) and is_ios_link("https://cdn.example/a.IPA")
    assert not is_ios_link("https://cdn.example/a.apk")
    with pytest.raises(FetchRefused, match="itms-services link names no manifest"):
        fetch_url("itms-services://?action=download-manifest")
    with pytest.raises(FetchRefused, match="file links are never fetched"):
        fetch_url("itms-services://?action=download-manifest&url=file:///etc/passwd")


def test_user_agent_choices() -> None:
    base = FetchPolicy()
    assert base.user_agent == ANDROID_CHROME and base.ios_user_agent == IPHONE_SAFARI
    assert "Android" in ANDROID_CHROME and "Mobile" in ANDROID_CHROME
    wechat = base.with_user_agent("WeChat")
    assert wechat.user_agent == WECHAT_ANDROID and "MicroMessenger" in WECHAT_ANDROID
    assert wechat.ios_user_agent == IPHONE_SAFARI  # such pages send iPhones to Safari
    iphone = base.with_user_agent("iphone")
    assert iphone.user_agent == iphone.ios_user_agent == IPHONE_SAFARI
    custom = base.with_user_agent("MyAgent/1.0")
    assert custom.user_agent == custom.ios_user_agent == "MyAgent/1.0"
    assert base.max_bytes == 64 * 1024 * 1024 and base.timeout == 20
    assert (base.max_redirects, base.max_depth, base.max_artifacts) == (10, 3, 50)
    assert not base.allow_private


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.text(max_size=60),
        st.from_regex(r"(https?|itms-services|ftp)://[\[\]:@%/?#&=.a-z0-9\u4e00-\u4e10-]{0,40}"),
    )
)
def test_hostile_urls_only_raise_fetch_errors(url: str) -> None:
    """Whatever a page or a redirect names, the guard and the link reader answer in words."""

    def no_dns(*_args: Any, **_kw: Any) -> Any:
        raise socket.gaierror(socket.EAI_NONAME, "no DNS in tests")

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(guard.socket, "getaddrinfo", no_dns)
        for check in (check_destination, fetch_url):
            with contextlib.suppress(FetchError):
                check(url)
        is_ios_link(url)
