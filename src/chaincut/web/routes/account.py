"""Signing in and out, API tokens (create, list, revoke) and user management (admin)."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from chaincut.web import auth
from chaincut.web.auth import AuthError
from chaincut.web.deps import SESSION_COOKIE, Admin, PageViewer, State, Viewer, principal_of
from chaincut.web.templating import page

router = APIRouter()


def _safe_next(target: str | None) -> str:
    """Only a local path: never an open redirect."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return "/console"


@router.get("/login", response_class=HTMLResponse, include_in_schema=False)
def login_page(request: Request, next: str | None = None) -> HTMLResponse:
    return page(request, "login.html", next=_safe_next(next))


@router.post("/login", include_in_schema=False)
def login(
    *,
    request: Request,
    name: str = Form(...),
    password: str = Form(...),
    next: str | None = Form(None),
    state: State,
) -> Response:
    who = auth.check_password(state.store.engine, name, password)
    if who is None:
        return page(request, "login.html", status=401, error=True, next=_safe_next(next))
    value, _csrf = auth.new_session(state.store.engine, who.user_id, state.config.session_hours)
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(SESSION_COOKIE, value, httponly=True, samesite="strict",
                        secure=state.config.secure_cookies,
                        max_age=int(state.config.session_hours * 3600))  # fmt: skip
    return response


@router.post("/logout", include_in_schema=False)
def logout(*, request: Request, who: Viewer, state: State) -> Response:
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        auth.end_session(state.store.engine, cookie)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/console/tokens", response_class=HTMLResponse, include_in_schema=False)
def tokens_page(
    *,
    request: Request,
    who: PageViewer,
    state: State,
) -> HTMLResponse:
    return page(request, "tokens.html", who, tokens=auth.list_tokens(state.store.engine, who))


@router.post("/console/tokens", response_class=HTMLResponse, include_in_schema=False)
def tokens_create(
    *,
    request: Request,
    name: str = Form("script"),
    days: float = Form(90),
    who: PageViewer,
    state: State,
) -> HTMLResponse:
    _id, value = auth.new_token(state.store.engine, who.user_id, name, days or None)
    return page(
        request,
        "tokens.html",
        who,
        tokens=auth.list_tokens(state.store.engine, who),
        new_token=value,
    )


@router.post("/console/tokens/{token_id}/revoke", include_in_schema=False)
def tokens_revoke(
    *,
    token_id: int,
    who: PageViewer,
    state: State,
) -> Response:
    auth.revoke_token(state.store.engine, who, token_id)
    return RedirectResponse("/console/tokens", status_code=303)


class TokenRequest(BaseModel):
    name: str = Field("script", max_length=100)
    days: float | None = Field(90, gt=0, le=3650)


class TokenCreated(BaseModel):
    id: int
    token: str  # shown once; only its sha256 is kept


@router.post("/api/v1/tokens", tags=["accounts"], status_code=201)
def api_token_create(
    *,
    body: TokenRequest,
    who: Viewer,
    state: State,
) -> TokenCreated:
    """A new API token for the caller (send it as ``Authorization: Bearer``)."""
    token_id, value = auth.new_token(state.store.engine, who.user_id, body.name, body.days)
    return TokenCreated(id=token_id, token=value)


@router.get("/api/v1/tokens", tags=["accounts"])
def api_tokens(*, who: Viewer, state: State) -> list[dict[str, object]]:
    """The caller's tokens (an admin's: everyone's), never their values."""
    return [asdict(t) for t in auth.list_tokens(state.store.engine, who)]


@router.delete("/api/v1/tokens/{token_id}", tags=["accounts"], status_code=204)
def api_token_revoke(*, token_id: int, who: Viewer, state: State) -> Response:
    """Revoke a token at once (the caller's own; an admin: anyone's)."""
    if not auth.revoke_token(state.store.engine, who, token_id):
        raise HTTPException(404, "no such token")
    return Response(status_code=204)


class UserRequest(BaseModel):
    name: str = Field(..., min_length=1, max_length=100)
    password: str = Field(..., min_length=auth.MIN_PASSWORD, max_length=1000)
    role: str


@router.post("/api/v1/users", tags=["accounts"], status_code=201)
def api_user_set(*, body: UserRequest, who: Admin, state: State) -> dict[str, object]:
    """Create a user or reset one's password and role (admin)."""
    try:
        user_id = auth.set_user(state.store.engine, body.name, body.password, body.role)
    except AuthError as exc:
        raise HTTPException(422, str(exc)) from None
    return {"id": user_id, "name": body.name, "role": body.role}


@router.get("/api/v1/users", tags=["accounts"])
def api_users(*, who: Admin, state: State) -> list[dict[str, object]]:
    """Every user with role and state (admin)."""
    return [
        {"id": i, "name": n, "role": r, "disabled": d}
        for i, n, r, d in auth.list_users(state.store.engine)
    ]


@router.get("/api/v1/me", tags=["accounts"])
def api_me(request: Request, state: State) -> dict[str, object]:
    """Who the caller is (401 when nobody)."""
    who = principal_of(request)
    if who is None:
        raise HTTPException(401, "not signed in", headers={"WWW-Authenticate": "Bearer"})
    return {"name": who.name, "role": who.role, "csrf": who.csrf}
