"""Request limits and response headers applied to every request.

- a body larger than the configured cap is refused with 413 before it is read;
- requests are rate-limited per client address (sliding one-minute window), with a
  tighter limit on the public check and on sign-in, one budget shared by all the
  server's web worker processes (a counter file beside the upload spool);
- every response carries security headers and a CSP that allows no inline script.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import struct
import threading
import time
from collections.abc import Callable
from pathlib import Path

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from chaincut.web.config import WebConfig

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]
PUBLIC_POSTS = ("/check", "/api/v1/check")
LOGIN_POSTS = ("/login", "/api/v1/session")


class RateLimiter:
    """Requests per client address and bucket in the last minute, one budget for every
    web worker process of a server: the counters live in a small file (``path``) that
    the processes update under an exclusive ``flock``, a few microseconds per request.

    Each (client, bucket) has a slot: the minute it counts, the hits of that minute and
    of the minute before. The last minute's hits are estimated as this minute's plus the
    part of the previous minute's still inside the sliding window (the usual two-window
    approximation, exact for a steady rate). The table has :data:`SLOTS` slots; a client
    whose slot is taken by a busy other client probes :data:`PROBES` slots further and
    otherwise takes over the least recently counted one.

    Without ``path`` the counters are this process's own (tests, a single worker).
    """

    def __init__(self, path: Path | None = None, clock: Callable[[], float] = time.time) -> None:
        self.path = path
        self.clock = clock
        self._lock = threading.Lock()
        self._mem = bytearray(SLOTS * SLOT.size)
        self._fd: int | None = None
        if path is not None:
            self._fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
            if os.fstat(self._fd).st_size < SLOTS * SLOT.size:
                os.ftruncate(self._fd, SLOTS * SLOT.size)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def allow(self, client: str, bucket: str, per_minute: int) -> bool:
        key = int.from_bytes(hashlib.blake2b(f"{bucket}\0{client}".encode(), digest_size=8)
                             .digest(), "little") or 1  # fmt: skip
        now = self.clock()
        minute = int(now // 60)
        with self._lock:
            if self._fd is None:
                return _count(self._mem, key, minute, now, per_minute)
            fcntl.flock(self._fd, fcntl.LOCK_EX)
            try:
                table = bytearray(os.pread(self._fd, SLOTS * SLOT.size, 0))
                table.extend(bytes(SLOTS * SLOT.size - len(table)))
                before = bytes(table)
                allowed = _count(table, key, minute, now, per_minute)
                if table != before:
                    os.pwrite(self._fd, table, 0)
                return allowed
            finally:
                fcntl.flock(self._fd, fcntl.LOCK_UN)


SLOT = struct.Struct("<QqII")  # key, minute, hits in that minute, hits in the one before
SLOTS = 4096
PROBES = 8


def _count(table: bytearray, key: int, minute: int, now: float, per_minute: int) -> bool:
    """Count one hit of ``key`` in ``table`` if its budget allows; whether it did."""
    start = key % SLOTS
    chosen, oldest = None, None
    for i in range(PROBES):
        slot = (start + i) % SLOTS
        k, m, _cur, _prev = SLOT.unpack_from(table, slot * SLOT.size)
        if k == key:
            chosen = slot
            break
        if k == 0 or m < minute - 1:  # empty or idle for two minutes: free
            chosen = chosen if chosen is not None else slot
        elif oldest is None or m < SLOT.unpack_from(table, oldest * SLOT.size)[1]:
            oldest = slot
    if chosen is None:
        chosen = oldest if oldest is not None else start
    k, m, cur, prev = SLOT.unpack_from(table, chosen * SLOT.size)
    if k != key:
        m, cur, prev = minute, 0, 0
    if m != minute:  # roll the windows forward
        cur, prev = 0, (cur if m == minute - 1 else 0)
    inside = 1.0 - (now / 60 - minute)  # share of the previous minute still in the window
    if cur + prev * inside >= per_minute:
        SLOT.pack_into(table, chosen * SLOT.size, key, minute, cur, prev)
        return False
    SLOT.pack_into(table, chosen * SLOT.size, key, minute, cur + 1, prev)
    return True


class TooLarge(BaseException):
    """Raised from ``receive`` past the cap; a BaseException so that no form parser or
    error middleware turns it into a 400 or 500 on the way out."""


async def _plain(send: Send, status: int, text: str, extra: list[tuple[bytes, bytes]]) -> None:
    body = text.encode()
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"content-length", str(len(body)).encode()), *extra, *HEADERS]})  # fmt: skip
    await send({"type": "http.response.body", "body": body})


class Guard:
    """ASGI middleware: size cap, rate limits, security headers."""

    def __init__(self, app: ASGIApp, config: WebConfig, limiter: RateLimiter) -> None:
        self.app = app
        self.config = config
        self.limiter = limiter

    def _bucket(self, scope: Scope) -> tuple[str, int]:
        path, method = scope["path"], scope["method"]
        if method == "POST" and path in PUBLIC_POSTS:
            return "public", self.config.public_per_minute
        if method == "POST" and path in LOGIN_POSTS:
            return "login", self.config.login_per_minute
        return "any", self.config.api_per_minute

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        client = (scope.get("client") or ("?", 0))[0]
        bucket, limit = self._bucket(scope)
        if not self.limiter.allow(client, bucket, limit):
            await _plain(send, 429, "too many requests; wait a minute\n", [(b"retry-after", b"60")])
            return
        cap = self.config.max_request
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > cap):
            await _plain(send, 413, f"request larger than {cap // (1024 * 1024)} MB\n", [])
            return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > cap:
                raise TooLarge()
            return message

        started = False

        async def with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                names = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in HEADERS if k not in names]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        try:
            await self.app(scope, limited, with_headers)
        except TooLarge:  # a body without Content-Length that grew past the cap
            if not started:
                await _plain(send, 413, "request too large\n", [])
