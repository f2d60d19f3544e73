"""Connections pinned to the address the guard checked.

The socket goes to a checked IP address while the Host header, TLS SNI and certificate
verification use the URL's host name: no second DNS lookup happens between the check
and the connection, which is what DNS rebinding would exploit.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time

from chaincut.fetch.guard import Destination, FetchError
from chaincut.fetch.watch import GuardedResponse, Watchdog


class PinnedHTTP(http.client.HTTPConnection):
    """Plain HTTP to a checked address; the Host header carries the name."""

    response_class = GuardedResponse

    def __init__(self, dest: Destination, address: str, timeout: float) -> None:
        super().__init__(dest.host, dest.port, timeout=timeout)
        self.address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class PinnedHTTPS(http.client.HTTPSConnection):
    """TLS to a checked address, with SNI and certificate checks for the URL's host name."""

    response_class = GuardedResponse

    def __init__(self, dest: Destination, address: str, timeout: float) -> None:
        self.tls = ssl.create_default_context()
        super().__init__(dest.host, dest.port, timeout=timeout, context=self.tls)
        self.address = address

    def connect(self) -> None:
        raw = socket.create_connection((self.address, self.port), self.timeout)
        timeout = self.timeout if isinstance(self.timeout, int | float) else 60.0
        dog = Watchdog(raw, time.monotonic() + timeout)  # a handshake trickled byte by byte
        try:
            self.sock = self.tls.wrap_socket(raw, server_hostname=self.host)
        except BaseException as exc:
            raw.close()
            # A stalled read inside the handshake (socket timeout) is the same failure as
            # the watchdog firing; which one trips first depends on scheduling under load.
            if dog.fired or isinstance(exc, TimeoutError):
                raise TimeoutError(f"the TLS handshake took more than {timeout:.3g} s") from None
            raise
        finally:
            dog.cancel()


def connect(
    dest: Destination, timeout: float, total: float | None = None
) -> tuple[http.client.HTTPConnection, str]:
    """A connection to the first checked address that answers.

    ``timeout`` bounds each attempt and ``total`` all of them together, so a host that
    resolves to many dead addresses cannot multiply the connect timeout.
    """
    budget = timeout if total is None else total
    give_up = time.monotonic() + budget
    failure: OSError | None = None
    for tried, address in enumerate(dest.addresses):
        left = give_up - time.monotonic()
        if left <= 0:
            failure = TimeoutError(
                f"gave up after {tried} of {len(dest.addresses)} address(es) "
                f"({budget:g} s for connecting in all)"
            )
            break
        kind = PinnedHTTPS if dest.scheme == "https" else PinnedHTTP
        conn = kind(dest, address, min(timeout, left))
        try:
            conn.connect()
        except OSError as exc:
            conn.close()
            failure = exc
            continue
        if conn.sock is not None:
            conn.sock.settimeout(timeout)
        return conn, address
    reason = (str(failure) or type(failure).__name__) if failure else "no address"
    raise FetchError(f"cannot connect to {dest.host} port {dest.port}: {reason}")
