"""One fetch: redirects followed by hand, each hop checked by the guard and recorded.

No cookies are kept and no connection is reused, so one crawl cannot leak state into the
next. Bodies are streamed with a size cut-off and a deadline; TLS certificates are
verified against the URL's host name even though the socket goes to a pinned address.
"""

from __future__ import annotations

import http.client
import ipaddress
import ssl
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from chaincut.facts.models import Anomaly, Location
from chaincut.facts.web import FetchHop
from chaincut.fetch.decode import BodyDecoder
from chaincut.fetch.guard import (
    FETCHABLE_SCHEMES,
    Destination,
    FetchError,
    FetchRefused,
    address_problem,
)
from chaincut.fetch.guard import check_destination as _check
from chaincut.fetch.pinned import connect
from chaincut.fetch.policy import FetchPolicy
from chaincut.fetch.watch import ExchangeLimit, Watchdog

REDIRECT_STATUSES = (301, 302, 303, 307, 308)
CHUNK = 64 * 1024
ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
ACCEPT_LANGUAGE = "zh-CN,zh;q=0.9,en;q=0.8"  # the audience of the kits chaincut studies


@dataclass(frozen=True, slots=True)
class FetchOutcome:
    """What one fetch produced. ``body`` is None when nothing usable was received."""

    requested: str
    final_url: str
    user_agent: str
    chain: tuple[FetchHop, ...]
    body: bytes | None = None
    status: int | None = None
    content_type: str | None = None
    truncated: bool = False
    errors: tuple[str, ...] = ()
    anomalies: tuple[Anomaly, ...] = ()
    refused_private: bool = False  # --allow-private would have allowed it
    app_link: str | None = None  # a redirect to a non-web scheme, for the crawl to handle


@dataclass(slots=True)
class _Response:
    status: int
    reason: str
    content_type: str | None
    location: str | None
    ip: str
    body: bytes = b""
    truncated: bool = False
    errors: list[str] = field(default_factory=list)
    cut: str | None = None  # why the body was cut by an exchange limit


def fetch(url: str, policy: FetchPolicy, user_agent: str, deadline: float) -> FetchOutcome:
    """GET ``url`` following up to ``policy.max_redirects`` redirects; never raises."""
    chain: list[FetchHop] = []
    notes: list[Anomaly] = []
    current = url
    while True:
        try:
            dest = _check(current, policy.allow_private)
            resp = _request(dest, user_agent, policy, deadline)
        except FetchError as exc:
            chain.append(FetchHop(url=current, error=str(exc)))
            private = isinstance(exc, FetchRefused) and exc.private
            if private and len(chain) > 1:
                notes.append(_anomaly("redirect_to_private", str(exc), current))
            if isinstance(exc, ExchangeCut):
                notes.append(_anomaly("fetch_exchange_limit", str(exc), current))
            return FetchOutcome(
                url,
                current,
                user_agent,
                tuple(chain),
                errors=(str(exc),),
                anomalies=tuple(notes),
                refused_private=private,
            )
        chain.append(_hop(current, resp))
        if policy.allow_private:
            _note_private(resp.ip, current, notes)
        if resp.cut:
            notes.append(_anomaly("fetch_exchange_limit", resp.cut, current))
        target = _redirect_target(current, resp)
        stop = _redirect_problem(target, chain, policy, notes) if target else None
        if target is None or stop is not None:
            return _outcome(url, current, user_agent, chain, resp, notes, stop, target)
        current = target


class ExchangeCut(FetchError):
    """A fetch cut because the server broke a limit of the exchange (see ``watch.py``)."""


def _note_private(ip: str, url: str, notes: list[Anomaly]) -> None:
    """Under --allow-private, every private destination reached is recorded."""
    try:
        problem = address_problem(ipaddress.ip_address(ip.split("%", 1)[0]))
    except ValueError:
        return
    if problem is not None:
        notes.append(_anomaly("fetched_private", f"{url} was fetched from {ip}, {problem}", url))


def _is_redirect(resp: _Response) -> bool:
    return resp.status in REDIRECT_STATUSES and bool(resp.location)


def _redirect_target(current: str, resp: _Response) -> str | None:
    """The absolute URL a redirect points to; None (with an error) if it is not a URL."""
    if not _is_redirect(resp):
        return None
    try:
        target = urljoin(current, resp.location or "")
        urlsplit(target).port  # noqa: B018 - raises ValueError on a malformed authority
    except ValueError:
        resp.errors.append(f"the redirect's Location {resp.location!r} is not a valid URL")
        return None
    return target


def _redirect_problem(
    target: str, chain: list[FetchHop], policy: FetchPolicy, notes: list[Anomaly]
) -> str | None:
    """Why the redirect to ``target`` is not followed, or None to follow it."""
    last = chain[-1].url
    if not _is_web(target):
        notes.append(_anomaly("redirect_to_app_scheme", f"{last} -> {target}", last))
        return f"redirected to a non-web link {target}; followed as a link, not as a redirect"
    if any(hop.url == target for hop in chain):
        notes.append(_anomaly("redirect_loop", f"{last} -> {target}", last))
        return f"redirect loop: {last} leads back to {target}"
    if len(chain) > policy.max_redirects:
        notes.append(_anomaly("too_many_redirects", f"more than {policy.max_redirects}", last))
        return f"too many redirects (more than {policy.max_redirects})"
    return None


def _outcome(
    requested: str,
    final: str,
    agent: str,
    chain: list[FetchHop],
    resp: _Response,
    notes: list[Anomaly],
    stop: str | None,
    target: str | None,
) -> FetchOutcome:
    errors = [*resp.errors]
    if stop is not None:
        errors.insert(0, stop)
    elif resp.status >= 400:
        errors.insert(0, f"the server answered {resp.status} {resp.reason}".rstrip())
    usable = stop is None and resp.status < 400 and not _is_redirect(resp)
    app_link = target if target and not _is_web(target) else None
    return FetchOutcome(
        requested,
        final,
        agent,
        tuple(chain),
        body=resp.body if usable else None,
        status=resp.status,
        content_type=resp.content_type,
        truncated=resp.truncated,
        errors=tuple(errors),
        anomalies=tuple(notes),
        app_link=app_link,
    )


def _hop(url: str, resp: _Response) -> FetchHop:
    return FetchHop(
        url=url,
        status=resp.status,
        content_type=resp.content_type,
        location=resp.location,
        ip=resp.ip,
        error="; ".join(resp.errors) or None,
    )


def _is_web(url: str) -> bool:
    return urlsplit(url).scheme.lower() in FETCHABLE_SCHEMES


def _anomaly(code: str, detail: str, url: str) -> Anomaly:
    return Anomaly(code=code, detail=detail, location=Location(url=url))


def _request(dest: Destination, agent: str, policy: FetchPolicy, deadline: float) -> _Response:
    """One GET to the pinned destination; the body is read unless it is a redirect.

    Wall-clock limits hold over the whole exchange: connecting to all the host's addresses
    and receiving the status line and headers each get ``policy.timeout`` seconds in all,
    and nothing outlives the crawl's deadline (a watchdog shuts the socket then).
    """
    limit = _time_left(policy, deadline)
    conn, address = connect(dest, limit, total=limit)
    headers_by = min(deadline, time.monotonic() + policy.timeout)
    phase = "the status line and headers"
    sock = conn.sock  # kept: http.client lets go of it once the response has begun
    dog = Watchdog(sock, headers_by)
    try:
        conn.putrequest("GET", dest.target, skip_host=True, skip_accept_encoding=True)
        for name, value in _headers(dest, agent):
            conn.putheader(name, value)
        conn.endheaders()
        raw = conn.getresponse()
        dog.cancel()
        if dog.fired:  # the head was cut short, whatever http.client made of it
            raise TimeoutError(phase)
        resp = _Response(
            status=raw.status,
            reason=raw.reason,
            content_type=raw.getheader("Content-Type"),
            location=raw.getheader("Location"),
            ip=address,
        )
        if not _is_redirect(resp):
            phase = "the body"
            dog = Watchdog(sock, deadline)
            _read_body(raw, resp, policy, deadline, dog)
        return resp
    except (OSError, ValueError, http.client.HTTPException) as exc:
        cut = dog.fired or isinstance(exc, ExchangeLimit)
        why = _late(phase, policy) if dog.fired else _describe(exc, policy)
        raise (ExchangeCut if cut else FetchError)(f"fetching {dest.url} failed: {why}") from None
    finally:
        dog.cancel()
        conn.close()


def _late(phase: str, policy: FetchPolicy) -> str:
    if phase == "the body":
        return f"the crawl's time limit ({policy.deadline:g} s) was reached during the download"
    return f"timed out after {policy.timeout:g} s waiting for {phase}"


def _headers(dest: Destination, agent: str) -> list[tuple[str, str]]:
    return [
        ("Host", dest.host_header),
        ("User-Agent", agent),
        ("Accept", ACCEPT),
        ("Accept-Language", ACCEPT_LANGUAGE),
        ("Accept-Encoding", "gzip, deflate"),
        ("Connection", "close"),
    ]


def _time_left(policy: FetchPolicy, deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise FetchError(f"the crawl's time limit ({policy.deadline:g} s) was reached")
    return min(policy.timeout, left)


def _read_body(
    raw: http.client.HTTPResponse,
    resp: _Response,
    policy: FetchPolicy,
    deadline: float,
    dog: Watchdog | None = None,
) -> None:
    """Stream the body into ``resp``, decoded, up to ``policy.max_bytes``."""
    decoder = BodyDecoder(raw.getheader("Content-Encoding"))
    out = bytearray()
    try:
        while True:
            if time.monotonic() > deadline:
                resp.errors.append("the crawl's time limit was reached during the download")
                break
            chunk = raw.read1(CHUNK)
            if not chunk:
                decoder.finish()
                break
            out += decoder.feed(chunk, policy.max_bytes - len(out))
            if len(out) > policy.max_bytes:
                del out[policy.max_bytes :]
                resp.truncated = True
                break
    except (OSError, http.client.HTTPException) as exc:
        late = dog is not None and dog.fired
        why = f"the crawl's time limit ({policy.deadline:g} s) was reached" if late else None
        resp.errors.append(
            f"the download stopped after {len(out)} bytes: {why or _describe(exc, policy)}"
        )
        if late or isinstance(exc, ExchangeLimit):
            resp.cut = resp.errors[-1]
    if dog is not None and dog.fired and resp.cut is None:  # cut where EOF looked normal
        resp.errors.append(
            f"the download stopped after {len(out)} bytes: the crawl's time limit "
            f"({policy.deadline:g} s) was reached"
        )
        resp.cut = resp.errors[-1]
    if decoder.error:
        resp.errors.append(decoder.error)
    resp.body = bytes(out)


def _describe(exc: BaseException, policy: FetchPolicy | None) -> str:
    """Network failures in words."""
    if isinstance(exc, TimeoutError):
        return f"timed out after {policy.timeout:g} s" if policy else "timed out"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"TLS certificate verification failed ({exc.verify_message})"
    if isinstance(exc, http.client.IncompleteRead):
        return "the connection closed before the whole body arrived"
    text = str(exc) or type(exc).__name__
    return text
