"""The fetcher against a local server: redirects, refusals, limits, encodings, failures."""

from __future__ import annotations

import socket
import time
from typing import Any

import pytest

from chaincut.fetch import guard
from chaincut.fetch.client import FetchOutcome, fetch
from chaincut.fetch.policy import FetchPolicy
from tests.fetch_site import Route, apk_bytes, gzipped, html, redirect, serve

LOCAL = FetchPolicy(allow_private=True)


def _get(url: str, policy: FetchPolicy = LOCAL) -> FetchOutcome:
    return fetch(url, policy, policy.user_agent, time.monotonic() + 30)


def _codes(outcome: FetchOutcome) -> list[str]:
    """Anomaly codes, less the fetched_private notes every --allow-private fetch here makes."""
    return [a.code for a in outcome.anomalies if a.code != "fetched_private"]


def test_redirects_are_followed_and_every_hop_recorded() -> None:
    routes = {
        "/s/abc": redirect("/landing", 301),
        "/landing": redirect("http://127.0.0.1:{port}/dl/app.apk", 307),
        "/dl/app.apk": Route(apk_bytes(), content_type="application/vnd.android.package-archive"),
    }
    with serve(routes) as site:
        out = _get(site.url("/s/abc"))
    assert out.body == apk_bytes() and out.status == 200 and not out.errors
    assert out.final_url == site.url("/dl/app.apk")
    assert [(h.url, h.status, h.location) for h in out.chain] == [
        (site.url("/s/abc"), 301, "/landing"),
        (site.url("/landing"), 307, site.url("/dl/app.apk")),
        (site.url("/dl/app.apk"), 200, None),
    ]
    assert all(h.ip == "127.0.0.1" for h in out.chain)
    assert out.chain[-1].content_type == "application/vnd.android.package-archive"


def test_phone_headers_and_no_cookies_kept() -> None:
    routes = {"/a": redirect("/b"), "/b": html("<p>ok</p>")}
    with serve(routes) as site:
        out = _get(site.url("/a"))
    assert out.body == b"<p>ok</p>"
    (a, ua_a, host_a, cookie_a), (b, ua_b, _host, cookie_b) = site.requests
    assert (a, b) == ("/a", "/b")
    assert ua_a == ua_b == LOCAL.user_agent and "Android" in ua_a
    assert host_a == f"127.0.0.1:{site.port}"
    assert cookie_a == cookie_b == ""  # Set-Cookie of /a was not sent back


def test_private_destination_refused_without_allow_private() -> None:
    with serve({"/": html("hi")}) as site:
        out = _get(site.url("/"), FetchPolicy())
    assert out.body is None and out.refused_private
    assert out.errors == (
        f"refused {site.url('/')}: 127.0.0.1 is a loopback address; pass --allow-private to"
        " fetch private, loopback or link-local destinations",
    )
    assert site.requests == []  # refused before connecting


def _fake_dns(monkeypatch: pytest.MonkeyPatch, table: dict[str, str]) -> list[str]:
    real = socket.getaddrinfo
    asked: list[str] = []

    def fake(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host in table:
            asked.append(host)
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (table[host], port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(guard.socket, "getaddrinfo", fake)
    return asked


def test_public_looking_name_resolving_private_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked = _fake_dns(monkeypatch, {"app-download.example": "127.0.0.1"})
    with serve({"/": html("hi")}) as site:
        out = _get(f"http://app-download.example:{site.port}/", FetchPolicy())
    assert asked == ["app-download.example"]
    assert "app-download.example resolved to 127.0.0.1, a loopback address" in out.errors[0]
    assert out.refused_private and site.requests == []


def test_redirect_from_public_server_to_private_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The test server plays a public host; its redirect to an internal name is refused."""
    real = guard.address_problem
    monkeypatch.setattr(
        guard, "address_problem", lambda ip: None if str(ip) == "127.0.0.1" else real(ip)
    )
    _fake_dns(monkeypatch, {"intranet.example": "192.168.1.10"})
    routes = {"/go": redirect("http://intranet.example/admin")}
    with serve(routes) as site:
        out = _get(site.url("/go"), FetchPolicy())
    assert [h.status for h in out.chain] == [302, None]
    assert "intranet.example resolved to 192.168.1.10, a private address" in (
        out.chain[-1].error or ""
    )
    assert _codes(out) == ["redirect_to_private"] and out.refused_private
    assert out.body is None


def test_connection_is_pinned_with_the_name_in_host(monkeypatch: pytest.MonkeyPatch) -> None:
    """One lookup per hop; the socket goes to the checked address, Host keeps the name."""
    asked = _fake_dns(monkeypatch, {"kit.example": "127.0.0.1"})
    with serve({"/": html("pinned")}) as site:
        out = _get(f"http://kit.example:{site.port}/")
    assert out.body == b"pinned" and out.chain[0].ip == "127.0.0.1"
    assert asked == ["kit.example"]
    assert site.requests[0][2] == f"kit.example:{site.port}"


def test_redirect_loop_stops() -> None:
    routes = {"/a": redirect("/b"), "/b": redirect("/a")}
    with serve(routes) as site:
        out = _get(site.url("/a"))
    assert out.body is None and "redirect loop" in out.errors[0]
    assert _codes(out) == ["redirect_loop"]
    assert site.hits("/a") == 1 and site.hits("/b") == 1


def test_too_many_redirects() -> None:
    routes = {f"/r{i}": redirect(f"/r{i + 1}") for i in range(20)}
    with serve(routes) as site:
        out = _get(site.url("/r0"), FetchPolicy(allow_private=True, max_redirects=3))
    assert out.body is None and out.errors[0] == "too many redirects (more than 3)"
    assert _codes(out) == ["too_many_redirects"] and len(out.chain) == 4


def test_oversize_body_is_truncated_at_max_bytes() -> None:
    with serve({"/big": Route(b"A" * 200_000, content_type="application/octet-stream")}) as site:
        out = _get(site.url("/big"), FetchPolicy(allow_private=True, max_bytes=50_000))
    assert out.truncated and out.body == b"A" * 50_000


def test_gzip_bomb_is_cut_at_max_bytes() -> None:
    with serve({"/bomb": gzipped(b"\0" * 50_000_000)}) as site:
        out = _get(site.url("/bomb"), FetchPolicy(allow_private=True, max_bytes=1_000_000))
    assert out.truncated and out.body is not None and len(out.body) == 1_000_000


def test_gzip_and_deflate_bodies_are_decoded() -> None:
    import zlib

    page = "<html><title>下载</title></html>".encode()
    routes = {
        "/gz": gzipped(page),
        "/zlib": Route(zlib.compress(page), headers={"Content-Encoding": "deflate"}),
    }
    with serve(routes) as site:
        gz, deflated = _get(site.url("/gz")), _get(site.url("/zlib"))
    assert gz.body == page and deflated.body == page and not gz.errors


def test_corrupt_gzip_is_an_error_not_a_crash() -> None:
    bad = Route(b"this is not gzip", headers={"Content-Encoding": "gzip"})
    with serve({"/bad": bad}) as site:
        out = _get(site.url("/bad"))
    assert out.body == b"" and "gzip body is corrupt" in out.errors[0]


def test_slow_server_hits_the_timeout() -> None:
    with serve({"/slow": Route(b"late", delay=3)}) as site:
        started = time.monotonic()
        out = _get(site.url("/slow"), FetchPolicy(allow_private=True, timeout=0.3))
    assert time.monotonic() - started < 2
    assert out.body is None and "timed out after 0.3 s" in out.errors[0]
    assert out.chain[0].error == out.errors[0]


def test_crawl_deadline_bounds_a_fetch() -> None:
    out = fetch("http://127.0.0.1:9/", LOCAL, "x", time.monotonic() - 1)
    assert out.body is None and "time limit" in out.errors[0]


def test_not_found_is_an_error_with_its_hop() -> None:
    with serve({}) as site:
        out = _get(site.url("/missing.apk"))
    assert out.body is None and out.status == 404
    assert out.errors == ("the server answered 404 Not Found",)
    assert out.chain[0].status == 404


def test_connection_refused_is_an_error() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    out = _get(f"http://127.0.0.1:{port}/")
    assert out.body is None and "cannot connect to 127.0.0.1" in out.errors[0]


def test_unsupported_scheme_is_refused() -> None:
    out = _get("ftp://127.0.0.1/app.apk")
    assert out.body is None and not out.refused_private
    assert out.errors == ("refused ftp://127.0.0.1/app.apk: ftp links are never fetched"
                          " (only http and https)",)  # fmt: skip


def test_redirect_to_itms_services_is_handed_back_as_a_link() -> None:
    link = "itms-services://?action=download-manifest&url=https://cdn.example/m.plist"
    with serve({"/ios": redirect(link)}) as site:
        out = _get(site.url("/ios"))
    assert out.app_link == link and out.body is None
    assert _codes(out) == ["redirect_to_app_scheme"]
