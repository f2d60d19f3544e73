"""``chaincut serve``: the public check page, the analyst console and the REST API.

The web stack (FastAPI, uvicorn, argon2) is imported inside the command, so other
commands do not pay for it. ``--demo`` builds and ingests the sample world exactly as
``chaincut demo`` does, then serves it with the world's brand registry.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from chaincut.cli.console import err, fail
from chaincut.cli.store_cmd import BLOBS_OPTION, DB_OPTION, check_location

if TYPE_CHECKING:  # the web stack loads only when the command runs
    from chaincut.web.config import WebConfig

ADMIN_PASSWORD_ENV = "CHAINCUT_ADMIN_PASSWORD"


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
    db: str | None = DB_OPTION,
    blobs: Path | None = BLOBS_OPTION,
    demo: bool = typer.Option(False, "--demo", help="Serve the sample world, already ingested."),
    world: Path | None = typer.Option(
        None, "--world", help="With --demo: keep the sample world here (reused when present)."
    ),
    brands: list[Path] = typer.Option([], "--brands", help="Extra brand registry YAML files."),
    rules: list[Path] = typer.Option([], "--rules", help="Extra rule folders."),
    admin: str | None = typer.Option(
        None,
        "--admin",
        help=f"Create or reset this admin user (password: ${ADMIN_PASSWORD_ENV} or a prompt).",
    ),
    runners: int = typer.Option(1, "--runners", min=1, help="Analysis runner processes."),
    web_workers: int = typer.Option(
        1, "--web-workers", min=1, help="Web server processes (one per core is plenty)."
    ),
    max_upload_mb: int = typer.Option(64, "--max-upload-mb", min=1, help="Largest upload, MB."),
    public_per_minute: int = typer.Option(
        20, "--public-per-minute", min=1, help="Public checks per client address per minute."
    ),
    api_per_minute: int = typer.Option(
        6000, "--api-per-minute", min=1, help="Other requests per client address per minute."
    ),
    timeout: float = typer.Option(120.0, "--timeout", help="Seconds allowed per file."),
    memory_mb: int = typer.Option(3072, "--memory-mb", help="Address-space cap per worker, MB."),
    allow_private: bool = typer.Option(
        False, "--allow-private", help="Let pasted links reach private addresses (labs only)."
    ),
    link_on_demand: bool = typer.Option(
        False,
        "--link-on-demand",
        help="Link chains only when a chain, case or artifact page asks (very large stores).",
    ),
    secure_cookies: bool = typer.Option(
        False, "--secure-cookies", help="Mark cookies Secure (serve behind HTTPS)."
    ),
) -> None:
    """Serve the public check page, the analyst console and the REST API."""
    from chaincut.web.config import MB, WebConfig

    if db is not None:
        check_location(db, blobs)
    with tempfile.TemporaryDirectory(prefix="chaincut-serve-") as tmp:
        extra_brands = list(brands)
        if demo:
            db, demo_brands = _demo_store(Path(tmp), world, db, blobs)
            extra_brands += demo_brands
        config = WebConfig(
            db=db,
            blobs=blobs,
            brands=tuple(extra_brands),
            rules=tuple(rules),
            max_upload=max_upload_mb * MB,
            public_per_minute=public_per_minute,
            api_per_minute=api_per_minute,
            timeout=timeout,
            memory_mb=memory_mb,
            fetch_allow_private=allow_private,
            secure_cookies=secure_cookies,
            background_linking=not link_on_demand,
        )
        _users(config, admin, demo)
        from chaincut.web.serve import run_server

        err.print(f"chaincut serving on http://{host}:{port}/ (console: /console, "
                  "API: /api/v1/openapi.json); Ctrl-C stops", markup=False)  # fmt: skip
        run_server(config, host, port, runners, web_workers)


def _demo_store(
    tmp: Path, world: Path | None, db: str | None, blobs: Path | None
) -> tuple[str, list[Path]]:
    """The demo world ingested like ``chaincut demo`` does; (store URL, its brand files)."""
    from chaincut.cli.demo_cmd import _ingest
    from chaincut.cli.demo_setup import check_store, prepare_world

    folder = world if world is not None else tmp / "world"
    truth = prepare_world(folder, quiet=False)
    if db is not None:
        check_store(db, blobs, truth)
    url = db or f"sqlite:///{tmp / 'demo.sqlite'}"
    _ingest(folder, truth, url, blobs, 0, quiet=False)
    brand_file = folder / truth.brands_file
    return url, [brand_file] if brand_file.is_file() else []


def _users(config: WebConfig, admin: str | None, demo: bool) -> None:
    """Create the admin asked for; a demo gets an ``admin`` with a printed password."""
    from sqlalchemy.exc import SQLAlchemyError

    from chaincut.store import Store, StoreConfigError
    from chaincut.web.auth import AuthError, list_users, set_user

    name = admin or ("admin" if demo else None)
    try:
        with Store.open(config.db, config.blobs) as store:
            if name is None:
                if not list_users(store.engine):
                    err.print("no console user yet: restart with --admin NAME to create one",
                              markup=False)  # fmt: skip
                return
            password = os.environ.get(ADMIN_PASSWORD_ENV)
            shown = False
            if not password and demo and admin is None:
                password, shown = secrets.token_urlsafe(12), True
            if not password:
                password = typer.prompt(f"password for {name}", hide_input=True,
                                        confirmation_prompt=True)  # fmt: skip
            set_user(store.engine, name, password, "admin")
    except (StoreConfigError, SQLAlchemyError) as exc:
        fail(f"cannot open the store: {str(exc).splitlines()[0]}")
        raise typer.Exit(2) from None
    except AuthError as exc:
        fail(str(exc))
        raise typer.Exit(2) from None
    if shown:
        err.print(f"console user: {name} / {password}", markup=False)
