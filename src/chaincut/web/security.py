"""Request limits and response headers applied to every request.

- a body larger than the configured cap is refused with 413 before it is read;
- requests are rate-limited per client address (sliding one-minute window), with a
  tighter limit on the public check and on sign-in;
- every response carries security headers and a CSP that allows no inline script.
"""

from __future__ import annotations

import threading
import time
from collections import deque

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
    """Requests per client address and bucket in the last minute (in memory)."""

    def __init__(self) -> None:
        self._hits: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, client: str, bucket: str, per_minute: int) -> bool:
        now = time.monotonic()
        with self._lock:
            hits = self._hits.setdefault((client, bucket), deque())
            while hits and now - hits[0] > 60.0:
                hits.popleft()
            if len(hits) >= per_minute:
                return False
            hits.append(now)
            if len(self._hits) > 100_000:  # forget idle clients rather than grow forever
                self._hits = {k: v for k, v in self._hits.items() if v and now - v[-1] < 60}
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
