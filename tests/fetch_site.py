"""A local web site for the --fetch tests: a fraud kit's pages, served on 127.0.0.1 only."""

from __future__ import annotations

import gzip
import io
import plistlib
import socket
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
APK = FIXTURES / "apk" / "v2v3.apk"
IOS_FIXTURES = FIXTURES / "ios"


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str | None = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class Site:
    """Routes by path; every request is recorded as (path, User-Agent, Host, Cookie)."""

    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[tuple[str, str, str, str]] = field(default_factory=list)
    port: int = 0

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def hits(self, path: str) -> int:
        return sum(1 for p, *_ in self.requests if p == path)


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            agent = self.headers.get("User-Agent", "")
            host = self.headers.get("Host", "")
            site.requests.append((self.path, agent, host, self.headers.get("Cookie", "")))
            route = site.routes.get(self.path, Route(b"not here", 404, "text/plain"))
            if route.delay:
                time.sleep(route.delay)
            try:
                self.send_response(route.status)
                if route.content_type:
                    self.send_header("Content-Type", route.content_type)
                for name, value in route.headers.items():
                    self.send_header(name, value.replace("{port}", str(site.port)))
                self.send_header("Set-Cookie", "session=kit; Path=/")
                self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                self.wfile.write(route.body)
            except OSError:  # the client gave up (timeout tests)
                pass

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


@contextmanager
def serve(routes: dict[str, Route]) -> Iterator[Site]:
    """Serve ``routes`` on 127.0.0.1 (a free port) for the duration of the block."""
    site = Site(routes)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
    server.daemon_threads = True
    server.block_on_close = False
    site.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()


def redirect(location: str, status: int = 302) -> Route:
    return Route(b"", status, None, {"Location": location})


def html(text: str) -> Route:
    return Route(text.encode())


def gzipped(body: bytes, content_type: str = "text/html; charset=utf-8") -> Route:
    return Route(gzip.compress(body), 200, content_type, {"Content-Encoding": "gzip"})


def apk_bytes() -> bytes:
    return APK.read_bytes()


def ipa_bytes() -> bytes:
    """The iOS helper's fixture IPA when present, else a minimal Payload/X.app archive."""
    found = sorted(IOS_FIXTURES.glob("*.ipa")) if IOS_FIXTURES.is_dir() else []
    if found:
        return found[0].read_bytes()
    info = plistlib.dumps(
        {
            "CFBundleIdentifier": "com.example.fakebank",
            "CFBundleName": "FakeBank",
            "CFBundleDisplayName": "FakeBank",
            "CFBundleExecutable": "FakeBank",
            "CFBundleShortVersionString": "1.0",
            "CFBundleVersion": "1",
        }
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("Payload/FakeBank.app/Info.plist", info)
        zf.writestr("Payload/FakeBank.app/FakeBank", b"\xcf\xfa\xed\xfe" + b"\x00" * 60)
    return out.getvalue()


def manifest_bytes(ipa_url: str) -> bytes:
    """An itms-services install manifest pointing at ``ipa_url``."""
    item = {
        "assets": [{"kind": "software-package", "url": ipa_url}],
        "metadata": {
            "bundle-identifier": "com.example.fakebank",
            "bundle-version": "1.0",
            "kind": "software",
            "title": "FakeBank",
        },
    }
    return plistlib.dumps({"items": [item]})


def mobileconfig_bytes(clip_url: str) -> bytes:
    """An unsigned configuration profile holding one web clip."""
    clip = {
        "PayloadType": "com.apple.webClip.managed",
        "PayloadIdentifier": "com.example.fakebank.clip",
        "PayloadUUID": "6E1E2A57-7C3B-4B8A-9D5E-1F2A3B4C5D6E",
        "PayloadVersion": 1,
        "Label": "FakeBank",
        "URL": clip_url,
        "FullScreen": True,
        "IsRemovable": False,
    }
    profile = {
        "PayloadType": "Configuration",
        "PayloadIdentifier": "com.example.fakebank",
        "PayloadUUID": "0B7C3D2E-1F4A-4E5B-8C6D-7E8F9A0B1C2D",
        "PayloadVersion": 1,
        "PayloadDisplayName": "FakeBank",
        "PayloadContent": [clip],
    }
    return plistlib.dumps(profile)


@contextmanager
def serve_raw(answer: Callable[[socket.socket], None]) -> Iterator[str]:
    """A bare TCP server on 127.0.0.1 for hostile HTTP: ``answer`` writes whatever bytes it
    likes to each connection (after the request head is read). Yields the base URL."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.1)
    stop = threading.Event()

    def handle(conn: socket.socket) -> None:
        with conn:
            conn.settimeout(5)
            head = b""
            try:
                while b"\r\n\r\n" not in head and len(head) < 65536:
                    data = conn.recv(4096)
                    if not data:
                        return
                    head += data
                answer(conn)
            except OSError:  # the client hung up: what the limits are for
                pass

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            threading.Thread(target=handle, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(timeout=2)
        listener.close()


def trickle(conn: socket.socket, data: bytes, every: float, until: float) -> None:
    """Send ``data`` one byte each ``every`` seconds, for at most ``until`` seconds."""
    end = time.monotonic() + until
    for byte in data:
        if time.monotonic() > end:
            return
        conn.sendall(bytes([byte]))
        time.sleep(every)
