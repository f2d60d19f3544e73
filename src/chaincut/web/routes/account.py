"""Signing in and out, API tokens (create, list, revoke) and user management (admin):
create users, set roles, disable and enable them, revoke their tokens, each change a
custody entry (action ``account``), from the API or the console's users page (CSRF)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from urllib.parse import quote

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from chaincut.web import auth
from chaincut.web.auth import AuthError, Principal
from chaincut.web.deps import (
    SESSION_COOKIE,
    Admin,
    PageAdmin,
    PageViewer,
    State,
    Viewer,
    principal_of,
)
from chaincut.web.state import WebState
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
    if auth.revoke_token(state.store.engine, who, token_id):
        log_account(state, who, f"token {token_id}", {"revoked": True})
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
    log_account(state, who, f"token {token_id}", {"revoked": True})
    return Response(status_code=204)


class UserRequest(BaseModel):
    name: str = Field(..., min_length=1, max_length=100)
    password: str = Field(..., min_length=auth.MIN_PASSWORD, max_length=1000)
    role: str


def log_account(state: WebState, who: Principal, subject: str, details: dict[str, object]
                ) -> None:  # fmt: skip
    """Custody entry (action ``account``) for a change to users or tokens."""
    state.as_actor(who.name).log("account", subject, details)


def create_user(state: WebState, who: Principal, name: str, password: str, role: str) -> int:
    """Create a user or reset one's password and role (logged); 422 on a bad request.

    A reset's role change goes through ``change_user`` first, with its guards (409: an
    admin demoting themselves or the last enabled admin); a disabled user stays disabled."""
    existing = auth.user_id(state.store.engine, name)
    if existing is not None and role in auth.ROLES:
        change_user(state, who, existing, role, None)
    try:
        user_id = auth.set_user(state.store.engine, name, password, role, enable=False)
    except AuthError as exc:
        raise HTTPException(422, str(exc)) from None
    log_account(state, who, f"user {name.strip()}", {"set": {"role": role, "password": True}})
    return user_id


def change_user(
    state: WebState, who: Principal, user_id: int, role: str | None, disabled: bool | None
) -> auth.UserChange:
    """Set a user's role or enabled state (logged); 404 unknown, 409 refused, 422 bad."""
    try:
        change = auth.update_user(state.store.engine, who, user_id, role, disabled)
    except LookupError:
        raise HTTPException(404, "no such user") from None
    except AuthError as exc:
        status = 422 if str(exc).startswith("unknown role") else 409
        raise HTTPException(status, str(exc)) from None
    if change.before:
        after = {k: getattr(change, k) for k in change.before}
        log_account(
            state,
            who,
            f"user {change.name}",
            {"before": change.before, "after": after, "sessions_ended": change.sessions_ended},
        )
    return change


def revoke_all(state: WebState, who: Principal, user_id: int) -> list[int]:
    """Revoke every live token of a user (logged); 404 unknown."""
    name = auth.user_name(state.store.engine, user_id)
    if name is None:
        raise HTTPException(404, "no such user")
    ids = auth.revoke_user_tokens(state.store.engine, user_id)
    log_account(state, who, f"user {name}", {"tokens_revoked": ids})
    return ids


@router.post("/api/v1/users", tags=["accounts"], status_code=201)
def api_user_set(*, body: UserRequest, who: Admin, state: State) -> dict[str, object]:
    """Create a user or reset one's password and role (admin; custody-logged)."""
    user_id = create_user(state, who, body.name, body.password, body.role)
    return {"id": user_id, "name": body.name, "role": body.role}


@router.get("/api/v1/users", tags=["accounts"])
def api_users(*, who: Admin, state: State) -> list[dict[str, object]]:
    """Every user with role and state (admin)."""
    return [
        {"id": i, "name": n, "role": r, "disabled": d}
        for i, n, r, d in auth.list_users(state.store.engine)
    ]


class UserUpdate(BaseModel):
    role: str | None = None
    disabled: bool | None = None


@router.patch("/api/v1/users/{user_id}", tags=["accounts"])
def api_user_update(
    *, user_id: int, body: UserUpdate, who: Admin, state: State
) -> dict[str, object]:
    """Set a user's role or disable (enable) them (admin; custody-logged). Disabling ends
    their sessions and stops their tokens. An admin cannot demote or disable themselves,
    and the last enabled admin stays (409)."""
    change = change_user(state, who, user_id, body.role, body.disabled)
    return {"id": change.id, "name": change.name, "role": change.role,
            "disabled": change.disabled, "changed": sorted(change.before)}  # fmt: skip


@router.post("/api/v1/users/{user_id}/revoke-tokens", tags=["accounts"])
def api_user_revoke_tokens(*, user_id: int, who: Admin, state: State) -> dict[str, object]:
    """Revoke every live API token of a user at once (admin; custody-logged)."""
    return {"revoked": revoke_all(state, who, user_id)}


def users_page_of(request: Request, who: Principal, state: WebState, status: int = 200,
                  **context: object) -> HTMLResponse:  # fmt: skip
    users = [{"id": i, "name": n, "role": r, "disabled": d}
             for i, n, r, d in auth.list_users(state.store.engine)]  # fmt: skip
    return page(request, "users.html", who, status=status, users=users, roles=auth.ROLES,
                tokens=auth.list_tokens(state.store.engine, who), **context)  # fmt: skip


@router.get("/console/users", response_class=HTMLResponse, include_in_schema=False)
def users_page(*, request: Request, done: str | None = None, who: PageAdmin, state: State
               ) -> HTMLResponse:  # fmt: skip
    return users_page_of(request, who, state, done=(done or "")[:200])


def _page_action(request: Request, who: Principal, state: WebState, act: Callable[[], str]
                 ) -> Response:  # fmt: skip
    """Run a user-management form's action; back to the page with what was done, or the
    page with the refusal."""
    try:
        done = act()
    except HTTPException as exc:
        return users_page_of(request, who, state, status=exc.status_code, error=str(exc.detail))
    return RedirectResponse(f"/console/users?done={quote(done)}", status_code=303)


@router.post("/console/users", response_class=HTMLResponse, include_in_schema=False)
def users_create(
    *,
    request: Request,
    name: str = Form(...),
    password: str = Form(...),
    role: str = Form("viewer"),
    who: PageAdmin,
    state: State,
) -> Response:
    def act() -> str:
        create_user(state, who, name, password, role)
        return f"user {name.strip()} saved as {role}"

    return _page_action(request, who, state, act)


@router.post("/console/users/{user_id}/role", response_class=HTMLResponse, include_in_schema=False)
def users_role(
    *, request: Request, user_id: int, role: str = Form(...), who: PageAdmin, state: State
) -> Response:
    def act() -> str:
        change = change_user(state, who, user_id, role, None)
        return f"{change.name} is {change.role}"

    return _page_action(request, who, state, act)


@router.post("/console/users/{user_id}/{switch}", response_class=HTMLResponse,
             include_in_schema=False)  # fmt: skip
def users_switch(
    *, request: Request, user_id: int, switch: str, who: PageAdmin, state: State
) -> Response:
    """``disable``, ``enable`` or ``revoke-tokens``."""
    if switch not in ("disable", "enable", "revoke-tokens"):
        raise HTTPException(404, "no such action")

    def act() -> str:
        if switch == "revoke-tokens":
            ids = revoke_all(state, who, user_id)
            return f"{len(ids)} token(s) revoked"
        change = change_user(state, who, user_id, None, switch == "disable")
        return f"{change.name} {'disabled' if change.disabled else 'enabled'}"

    return _page_action(request, who, state, act)


@router.get("/api/v1/me", tags=["accounts"])
def api_me(request: Request, state: State) -> dict[str, object]:
    """Who the caller is (401 when nobody)."""
    who = principal_of(request)
    if who is None:
        raise HTTPException(401, "not signed in", headers={"WWW-Authenticate": "Bearer"})
    return {"name": who.name, "role": who.role, "csrf": who.csrf}
