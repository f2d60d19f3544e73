"""The Jinja2 environment of the pages: autoescaped, with the translator and CSRF token."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.templating import Jinja2Templates
from starlette.requests import Request
from starlette.responses import HTMLResponse

from chaincut.web.auth import Principal
from chaincut.web.i18n import language, translator

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))


def page(
    request: Request, name: str, who: Principal | None = None, status: int = 200, **context: Any
) -> HTMLResponse:
    """Render one page with the language, the translator and the signed-in user."""
    lang = language(request)
    response = TEMPLATES.TemplateResponse(
        request,
        name,
        {
            "lang": lang,
            "t": translator(lang),
            "who": who,
            "csrf": who.csrf if who else None,
            **context,
        },
        status_code=status,
    )
    if request.query_params.get("lang") == lang:
        response.set_cookie("lang", lang, max_age=365 * 86400, samesite="lax")
    return response
