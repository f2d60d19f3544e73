"""Who is asking, and may they: request dependencies shared by pages and the API.

An API token (``Authorization: Bearer``) needs no CSRF token; a browser session does for
every request that changes something (form field ``csrf`` or header ``X-CSRF-Token``).
Pages send the unauthenticated to the sign-in page; the API answers 401 or 403.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, HTTPException, Request

from chaincut.web import auth
from chaincut.web.auth import Principal
from chaincut.web.state import WebState

SESSION_COOKIE = "cc_session"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class SignInNeeded(Exception):
    """A page asked for without a valid session: redirect to the sign-in page."""

    def __init__(self, target: str) -> None:
        self.target = target


def web_state(request: Request) -> WebState:
    state: WebState = request.app.state.web
    return state


async def _web_state(request: Request) -> WebState:
    """The dependency: async, so that FastAPI does not hop to its thread pool for it."""
    return web_state(request)


def principal_of(request: Request) -> Principal | None:
    """The user behind a bearer token or a session cookie, None for anyone else."""
    engine = web_state(request).store.engine
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return auth.token_principal(engine, header[7:].strip())
    cookie = request.cookies.get(SESSION_COOKIE)
    return auth.session_principal(engine, cookie) if cookie else None


async def _check_csrf(request: Request, who: Principal) -> None:
    if who.csrf is None or request.method in SAFE_METHODS:
        return
    given = request.headers.get("x-csrf-token")
    if given is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get("csrf")
        given = value if isinstance(value, str) else None
    if not given or not hmac.compare_digest(given, who.csrf):
        raise HTTPException(403, "missing or wrong CSRF token")


def need(role: str) -> Callable[[Request], Awaitable[Principal]]:
    """API dependency: a signed-in user of at least ``role`` (CSRF-checked for sessions)."""

    async def dependency(request: Request) -> Principal:
        who = principal_of(request)
        if who is None:
            raise HTTPException(
                401, "sign in or send an API token", headers={"WWW-Authenticate": "Bearer"}
            )
        if not who.may(role):
            raise HTTPException(403, f"this needs the {role} role")
        await _check_csrf(request, who)
        return who

    return dependency


def page_need(role: str) -> Callable[[Request], Awaitable[Principal]]:
    """Page dependency: like :func:`need`, but the signed-out go to the sign-in page."""
    api = need(role)

    async def dependency(request: Request) -> Principal:
        if principal_of(request) is None:
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            raise SignInNeeded(target)
        return await api(request)

    return dependency


State = Annotated[WebState, Depends(_web_state)]
Viewer = Annotated[Principal, Depends(need("viewer"))]
Analyst = Annotated[Principal, Depends(need("analyst"))]
Admin = Annotated[Principal, Depends(need("admin"))]
PageViewer = Annotated[Principal, Depends(page_need("viewer"))]
PageAnalyst = Annotated[Principal, Depends(page_need("analyst"))]
PageAdmin = Annotated[Principal, Depends(page_need("admin"))]
