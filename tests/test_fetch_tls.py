"""https through a pinned address: SNI and certificate checks use the URL's host name."""

from __future__ import annotations

import datetime as dt
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from chaincut.fetch import guard, pinned
from chaincut.fetch.client import fetch
from chaincut.fetch.policy import FetchPolicy

LOCAL = FetchPolicy(allow_private=True, timeout=5)


def _certificate(tmp: Path, name: str) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp / "cert.pem", tmp / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


class _Hello(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = self.headers.get("Host", "").encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


class _Trickle(BaseHTTPRequestHandler):
    """Headers one byte every 0.1 s, under TLS: only a wall-clock limit stops it."""

    def do_GET(self) -> None:
        head = b"HTTP/1.1 200 OK\r\nX-Pad: " + b"a" * 300 + b"\r\n\r\n"
        end = time.monotonic() + 20
        try:
            for byte in head:
                if time.monotonic() > end:
                    return
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(0.1)
        except OSError:  # the client gave up: what the limit is for
            pass

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def _tls_server(
    cert: Path, key: Path, names: list[str], handler: type[BaseHTTPRequestHandler] = _Hello
) -> Iterator[int]:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)

    def sni(_sock: Any, name: str | None, _ctx: Any) -> None:
        names.append(name or "")

    ctx.sni_callback = sni
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def kit_tls(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> Iterator[tuple[int, list[str]]]:
    """An https server for kit.example on 127.0.0.1; the client trusts its certificate.
    (``@pytest.mark.parametrize("kit_tls", [handler], indirect=True)`` picks the handler.)"""
    cert, key = _certificate(tmp_path, "kit.example")
    real_dns = socket.getaddrinfo
    names = {"kit.example", "other.example"}

    def dns(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host in names:
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]
        return real_dns(host, port, *args, **kwargs)

    monkeypatch.setattr(guard.socket, "getaddrinfo", dns)
    trusting = ssl.create_default_context(cafile=str(cert))
    monkeypatch.setattr(pinned.ssl, "create_default_context", lambda: trusting)
    seen: list[str] = []
    handler = getattr(request, "param", _Hello)
    with _tls_server(cert, key, seen, handler) as port:
        yield port, seen


def test_https_to_pinned_address_verifies_the_name(kit_tls: tuple[int, list[str]]) -> None:
    port, sni = kit_tls
    out = fetch(f"https://kit.example:{port}/", LOCAL, "ua", time.monotonic() + 10)
    assert out.errors == () and out.body == f"kit.example:{port}".encode()
    assert out.chain[0].ip == "127.0.0.1" and sni == ["kit.example"]


def test_certificate_for_another_name_is_rejected(kit_tls: tuple[int, list[str]]) -> None:
    port, sni = kit_tls
    out = fetch(f"https://other.example:{port}/", LOCAL, "ua", time.monotonic() + 10)
    assert out.body is None and sni == ["other.example"]
    assert "certificate" in out.errors[0].lower()


def test_untrusted_certificate_is_rejected(
    kit_tls: tuple[int, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.undo()  # the system trust store, which does not know the test certificate
    port, _sni = kit_tls
    out = fetch(f"https://127.0.0.1:{port}/", LOCAL, "ua", time.monotonic() + 10)
    assert out.body is None and "certificate" in out.errors[0].lower()


@pytest.mark.parametrize("kit_tls", [_Trickle], indirect=True)
def test_trickled_headers_under_tls_are_cut_at_the_timeout(
    kit_tls: tuple[int, list[str]],
) -> None:
    port, _sni = kit_tls
    policy = FetchPolicy(allow_private=True, timeout=1)
    started = time.monotonic()
    out = fetch(f"https://kit.example:{port}/", policy, "ua", time.monotonic() + 20)
    assert time.monotonic() - started < 3
    assert out.body is None
    assert "timed out after 1 s waiting for the status line and headers" in out.errors[0]


def test_a_trickled_tls_handshake_is_cut_at_the_timeout() -> None:
    """A server answering the ClientHello one byte every 0.1 s never trips a per-read
    timeout; the handshake's wall clock does."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    port = listener.getsockname()[1]

    def serve() -> None:
        conn, _ = listener.accept()
        with conn:
            conn.recv(4096)
            try:
                for byte in b"\x16\x03\x03\x40\x00" + b"\x02" * 200:
                    conn.sendall(bytes([byte]))
                    time.sleep(0.1)
            except OSError:
                pass

    threading.Thread(target=serve, daemon=True).start()
    dest = guard.Destination(f"https://kit.example:{port}/", "https", "kit.example", port, "/",
                             ("127.0.0.1",))
    started = time.monotonic()
    with pytest.raises(guard.FetchError, match="TLS handshake took more than 1 s"):
        pinned.connect(dest, 1.0)
    assert time.monotonic() - started < 2.5
    listener.close()
