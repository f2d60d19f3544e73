"""Hostile servers on 127.0.0.1 against the --fetch limits (issue 14, items 1-3 and "Also").

Each test asserts a limit in seconds, bytes or documents: a trickled status line, endless
``100 Continue``, trailer or chunk-size lines, dead addresses, a lone surrogate in a
page's script, and fetched bodies that must be read under the per-file budgets.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import resource
import socket
import time
import zipfile
from collections.abc import Iterator

import pytest

from chaincut.extractors.budget import Budget
from chaincut.fetch import FetchPolicy, crawl
from chaincut.fetch.client import fetch
from chaincut.fetch.guard import Destination, FetchError, address_problem, own_addresses
from chaincut.fetch.pinned import connect
from chaincut.fetch.watch import MAX_INTERIM, MAX_TRAILERS
from tests.cli_helpers import FIXTURES
from tests.fetch_site import Route, html, serve, serve_raw, trickle
from tests.test_budget import hostile  # noqa: F401 - the fixture, shared

LOCAL = FetchPolicy(allow_private=True, timeout=1.0, deadline=20.0)
OK_HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n"


def _get(url: str, policy: FetchPolicy = LOCAL) -> tuple[float, object]:
    started = time.monotonic()
    out = fetch(url, policy, "test", time.monotonic() + policy.deadline)
    return time.monotonic() - started, out


def _codes(out: object) -> list[str]:
    return [a.code for a in out.anomalies]  # type: ignore[attr-defined]


def test_a_trickled_status_line_is_cut_at_the_timeout() -> None:
    """1 byte every 0.1 s never trips a per-read timeout; the wall clock does."""
    head = OK_HEAD + b"X-Pad: " + b"a" * 300 + b"\r\n\r\nbody"
    with serve_raw(lambda conn: trickle(conn, head, 0.1, 40)) as base:
        took, out = _get(base + "/")
    assert took < 3, took
    assert out.body is None  # type: ignore[attr-defined]
    assert "timed out after 1 s waiting for the status line and headers" in out.errors[0]  # type: ignore[attr-defined]
    assert "fetch_exchange_limit" in _codes(out)


def test_endless_100_continue_is_capped() -> None:
    def answer(conn: socket.socket) -> None:
        for _ in range(10_000):
            conn.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
            time.sleep(0.001)

    with serve_raw(answer) as base:
        took, out = _get(base + "/")
    assert took < 2, took
    assert f"more than {MAX_INTERIM} interim (1xx) responses" in out.errors[0]  # type: ignore[attr-defined]
    assert "fetch_exchange_limit" in _codes(out)


def test_endless_trailers_are_capped_and_the_body_kept() -> None:
    def answer(conn: socket.socket) -> None:
        conn.sendall(OK_HEAD + b"Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n")
        for i in range(100_000):
            conn.sendall(b"X-Trailer-%d: 1\r\n" % i)

    with serve_raw(answer) as base:
        took, out = _get(base + "/")
    assert took < 2, took
    assert out.body == b"hello"  # type: ignore[attr-defined]
    assert any(f"more than {MAX_TRAILERS} trailer lines" in e for e in out.errors)  # type: ignore[attr-defined]
    assert "fetch_exchange_limit" in _codes(out)


def test_endless_chunk_size_lines_are_capped() -> None:
    """One byte of body per 60 KB chunk-size line: the framing, not the body, is capped."""

    def answer(conn: socket.socket) -> None:
        conn.sendall(OK_HEAD + b"Transfer-Encoding: chunked\r\n\r\n")
        line = b"1;" + b"x" * 60_000 + b"\r\na\r\n"
        for _ in range(10_000):
            conn.sendall(line)

    with serve_raw(answer) as base:
        took, out = _get(base + "/")
    assert took < 3, took
    assert out.body is not None and len(out.body) < 100  # type: ignore[attr-defined]
    assert any("chunk-size lines" in e for e in out.errors)  # type: ignore[attr-defined]


def test_the_crawl_deadline_holds_inside_a_slow_trailer() -> None:
    """Trailer lines every 0.3 s stay under every cap; the crawl's deadline cuts them."""

    def answer(conn: socket.socket) -> None:
        conn.sendall(OK_HEAD + b"Transfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n")
        for i in range(MAX_TRAILERS - 1):
            conn.sendall(b"X-T-%d: 1\r\n" % i)
            time.sleep(0.3)

    policy = FetchPolicy(allow_private=True, timeout=1.0, deadline=2.0)
    with serve_raw(answer) as base:
        took, out = _get(base + "/", policy)
    assert took < 3.5, took
    assert any("time limit (2 s)" in e for e in out.errors)  # type: ignore[attr-defined]


@pytest.fixture
def full_listener() -> Iterator[int]:
    """A port whose accept queue is full: further connects hang until they time out."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fill = []
    for _ in range(3):
        sock = socket.socket()
        sock.setblocking(False)
        with contextlib.suppress(BlockingIOError):
            sock.connect(("127.0.0.1", port))
        fill.append(sock)
    time.sleep(0.1)
    try:
        yield port
    finally:
        for sock in fill:
            sock.close()
        listener.close()


def test_connect_time_is_capped_over_all_addresses(full_listener: int) -> None:
    """Five dead addresses at 0.5 s each would take 2.5 s; the total is 0.8 s."""
    dest = Destination("http://kit.example/", "http", "kit.example", full_listener, "/",
                       ("127.0.0.1",) * 5)
    started = time.monotonic()
    with pytest.raises(FetchError, match="gave up after"):
        connect(dest, 0.5, total=0.8)
    assert time.monotonic() - started < 1.3


def test_missing_ranges_and_own_addresses_are_refused() -> None:
    import ipaddress

    for text in ("fec0::1", "192.0.0.8", "192.88.99.1", "3fff::1"):
        assert address_problem(ipaddress.ip_address(text)), text
    assert address_problem(ipaddress.ip_address("8.8.8.8")) is None
    for own in own_addresses():
        assert address_problem(own), own


def test_allow_private_records_every_private_destination() -> None:
    with serve({"/": html("<html>local</html>")}) as site:
        _took, out = _get(site.url("/"))
    notes = [a for a in out.anomalies if a.code == "fetched_private"]  # type: ignore[attr-defined]
    assert len(notes) == 1 and "127.0.0.1, a loopback address" in notes[0].detail


def test_a_lone_surrogate_in_a_script_does_not_end_the_crawl() -> None:
    """The page links a URL holding an escaped lone surrogate, then the app (a DEX, to
    stay fast)."""
    page = (
        '<html><script>location.href="/x\\ud800y.apk";</script>'
        '<a href="/app.apk">Android</a></html>'
    )
    dex = (FIXTURES / "apk" / "sample.dex").read_bytes()
    routes = {"/": html(page), "/app.apk": Route(dex, content_type="text/html")}
    with serve(routes) as site:
        docs = [r.document for r in crawl(site.url("/"), LOCAL, Budget(seconds=30))]
        assert site.hits("/app.apk") == 1
    for doc in docs:
        doc.model_dump_json()  # every document can be written
    assert any(d.kind == "dex" and d.path.endswith("/app.apk") for d in docs)
    page_doc = next(d for d in docs if d.page is not None)
    assert "invalid_unicode" in [a.code for a in page_doc.anomalies]


@pytest.mark.usefixtures("hostile")
def test_fetched_bodies_are_read_under_the_time_budget() -> None:
    """A body that hangs its reader costs its own document after --timeout; the link
    after it is still fetched and read."""
    page = '<html><a href="/hang.apk">x</a> <a href="/next.apk">y</a></html>'
    routes = {
        "/": html(page),
        "/hang.apk": Route(b"HOSTILE SLEEP", content_type="application/octet-stream"),
        "/next.apk": Route(b"HOSTILE fine", content_type="application/octet-stream"),
    }
    started = time.monotonic()
    with serve(routes) as site:
        docs = [r.document for r in crawl(site.url("/"), LOCAL, Budget(seconds=2))]
    assert time.monotonic() - started < 12
    hung = next(d for d in docs if d.path.endswith("/hang.apk"))
    assert any("time budget of 2 s exceeded" in e for e in hung.errors), hung.errors
    assert hung.fetch is not None and hung.size == len(b"HOSTILE SLEEP")
    after = next(d for d in docs if d.path.endswith("/next.apk"))
    assert after.format == "hostile" and not after.errors


@pytest.mark.usefixtures("hostile")
def test_fetched_bodies_are_read_under_the_memory_budget() -> None:
    """A body whose reader eats memory kills a worker capped by --memory-mb, not the
    crawling process."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with serve({"/eat": Route(b"HOSTILE EAT", content_type="text/plain")}) as site:
        docs = [r.document for r in crawl(site.url("/eat"), LOCAL, Budget(30, 1024))]
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    eaten = docs[-1]
    assert any("memory" in e for e in eaten.errors), eaten.errors
    assert grown_mb < 200, grown_mb


def _dex_bomb(entries: int, size: int) -> bytes:
    """An APK-shaped ZIP whose DEX entries are ``size`` zero bytes each (deflated)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("AndroidManifest.xml", b"\x03\x00\x08\x00" + b"\0" * 60)
        for i in range(entries):
            name = "classes.dex" if i == 0 else f"classes{i + 1}.dex"
            zf.writestr(name, b"dex\n035\0" + b"\0" * (size - 8))
    return out.getvalue()


def test_dex_entries_are_capped_in_total_per_package(monkeypatch: pytest.MonkeyPatch) -> None:
    """Four 3 MiB DEX entries under a 7 MiB total: two are read, the cut is an anomaly.
    Fetched, so the cap is shown holding inside the budget worker too."""
    extract = importlib.import_module("chaincut.extractors.apk.extract")
    monkeypatch.setattr(extract, "MAX_DEX_TOTAL", 7 * 1024 * 1024)  # the fork inherits it
    body = _dex_bomb(4, 3 * 1024 * 1024)
    assert len(body) < 100_000
    with serve({"/bomb.apk": Route(body, content_type="application/octet-stream")}) as site:
        docs = [r.document for r in crawl(site.url("/bomb.apk"), LOCAL, Budget(30))]
    bomb = docs[-1]
    assert bomb.kind == "apk" and bomb.apk is not None
    capped = [a for a in bomb.anomalies if a.code == "dex_total_capped"]
    assert len(capped) == 1 and capped[0].detail.startswith("2 DEX entries from classes3.dex")
    assert len(bomb.apk.dex) == 2


def test_a_lone_surrogate_in_a_url_is_fetched_as_u_fffd() -> None:
    """quote() cannot encode a lone surrogate; a browser sends U+FFFD, and so does fetch."""
    with serve({"/x%EF%BF%BDy": html("<html>found</html>")}) as site:
        _took, out = _get(site.url("/x\ud800y"))
        assert site.requests[0][0] == "/x%EF%BF%BDy"
    assert out.body == b"<html>found</html>"  # type: ignore[attr-defined]


def test_headers_are_capped_at_100() -> None:
    def answer(conn: socket.socket) -> None:
        conn.sendall(OK_HEAD + b"".join(b"X-H-%d: 1\r\n" % i for i in range(5000)) + b"\r\n")

    with serve_raw(answer) as base:
        took, out = _get(base + "/")
    assert took < 2, took
    assert out.body is None and "got more than 100 headers" in out.errors[0]  # type: ignore[attr-defined]
