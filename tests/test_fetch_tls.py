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


@contextmanager
def _tls_server(cert: Path, key: Path, names: list[str]) -> Iterator[int]:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)

    def sni(_sock: Any, name: str | None, _ctx: Any) -> None:
        names.append(name or "")

    ctx.sni_callback = sni
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hello)
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
def kit_tls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[int, list[str]]]:
    """An https server for kit.example on 127.0.0.1; the client trusts its certificate."""
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
    with _tls_server(cert, key, seen) as port:
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
