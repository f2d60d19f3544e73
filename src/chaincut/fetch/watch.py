"""Wall-clock limits a socket timeout cannot give, and the response reader that keeps them.

A socket timeout bounds each read, not the exchange: a server that trickles its status
line one byte a second, sends ``100 Continue`` forever, or never ends its chunk
trailers keeps every read short and the fetch alive. So a watchdog shuts the socket down
at the exchange's deadline (whatever read is blocked then fails at once), and the
response reader counts what ``http.client`` would read without end.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import threading
import time
from types import TracebackType

MAX_INTERIM = 5  # 1xx responses before the real one
MAX_TRAILERS = 100  # trailer lines after the last chunk (as http.client caps headers)
MAX_FRAMING = 4 * 1024 * 1024  # bytes of chunk-size lines (with extensions) per body
MAX_LINE = 65536  # as http.client


class ExchangeLimit(http.client.HTTPException):
    """A response that broke one of the caps above."""


class Watchdog:
    """Shuts ``sock`` down at ``at`` (time.monotonic) unless cancelled first."""

    def __init__(self, sock: socket.socket | None, at: float) -> None:
        self.fired = False
        self._sock = sock
        self._timer = threading.Timer(max(0.0, at - time.monotonic()), self._fire)
        self._timer.daemon = True
        self._timer.start()

    def _fire(self) -> None:
        self.fired = True
        if self._sock is not None:
            # the plain socket's shutdown, also under TLS: it only touches the descriptor
            with contextlib.suppress(OSError):
                socket.socket.shutdown(self._sock, socket.SHUT_RDWR)

    def cancel(self) -> None:
        self._timer.cancel()

    def __enter__(self) -> Watchdog:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.cancel()


class GuardedResponse(http.client.HTTPResponse):
    """``http.client``'s response with caps on interim responses, trailers and chunk lines."""

    _interim = 0
    _framing = 0

    def _read_status(self) -> tuple[str, int, str]:
        version, status, reason = super()._read_status()  # type: ignore[misc]
        if 100 <= status < 200:
            self._interim += 1
            if self._interim > MAX_INTERIM:
                raise ExchangeLimit(f"more than {MAX_INTERIM} interim (1xx) responses")
        return version, status, reason

    def _read_next_chunk_size(self) -> int:
        line = self.fp.readline(MAX_LINE + 1)
        if len(line) > MAX_LINE:
            raise http.client.LineTooLong("chunk size")
        self._framing += len(line)
        if self._framing > MAX_FRAMING:
            raise ExchangeLimit(f"more than {MAX_FRAMING} bytes of chunk-size lines")
        size = line.split(b";", 1)[0]
        try:
            return int(size, 16)
        except ValueError:
            self._close_conn()  # type: ignore[attr-defined]
            raise

    def _read_and_discard_trailer(self) -> None:
        for _ in range(MAX_TRAILERS + 1):
            line = self.fp.readline(MAX_LINE + 1)
            if len(line) > MAX_LINE:
                raise http.client.LineTooLong("trailer line")
            if line in (b"\r\n", b"\n", b""):
                return
        raise ExchangeLimit(f"more than {MAX_TRAILERS} trailer lines")

