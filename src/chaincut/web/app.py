"""The application factory: one FastAPI app over one store.

``create_app`` opens the store (migrating it, which creates the web tables), mounts the
bundled static files (Cytoscape.js included: no CDN), adds the request guard (size cap,
rate limits shared by the server's processes through a file in the spool, security
headers) and the routes. The OpenAPI document is served at
``/api/v1/openapi.json``; no interactive docs page, whose CDN scripts the CSP forbids.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles

from chaincut import __version__
from chaincut.web.config import WebConfig
from chaincut.web.deps import SignInNeeded
from chaincut.web.routes import account, api, console, public
from chaincut.web.security import Guard, RateLimiter
from chaincut.web.state import WebState

STATIC = Path(__file__).parent / "static"
RATE_FILE = "rate-limits.bin"


def create_app(config: WebConfig, state: WebState | None = None) -> FastAPI:
    """The app; ``state`` lets a caller share an opened store (tests, the runner)."""
    app = FastAPI(
        title="chaincut",
        version=__version__,
        description="Public check, analyst console and REST API of chaincut.",
        openapi_url="/api/v1/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    app.state.web = state or WebState.open(config)

    @app.exception_handler(SignInNeeded)
    async def _sign_in(request: Request, exc: SignInNeeded) -> RedirectResponse:
        return RedirectResponse(f"/login?next={quote(exc.target, safe='/')}", status_code=303)

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in (public, account, console, api):
        app.include_router(module.router)
    limiter = RateLimiter(app.state.web.spool / RATE_FILE)  # shared by the web workers
    app.add_middleware(Guard, config=config, limiter=limiter)
    return app
