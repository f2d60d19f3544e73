"""Running the server: analysis runner processes beside uvicorn, on 127.0.0.1 by default.

The runners are forked before the web app opens its store (no database connection crosses
a fork) and stop when the server stops, or by themselves when their parent is gone.
"""

from __future__ import annotations

import contextlib
import importlib.util
import multiprocessing as mp
import os
from multiprocessing.process import BaseProcess
from typing import TYPE_CHECKING, Any

from chaincut.web.config import WebConfig

if TYPE_CHECKING:
    from fastapi import FastAPI

if TYPE_CHECKING:
    pass


def _runner_main(config: WebConfig, parent: int) -> None:
    from chaincut.web.runner import Runner

    Runner(config).serve_forever(lambda: os.getppid() != parent)


def start_runners(config: WebConfig, count: int) -> list[BaseProcess]:
    ctx = mp.get_context("fork")
    procs: list[BaseProcess] = []
    for _ in range(max(1, count)):
        proc = ctx.Process(target=_runner_main, args=(config, os.getpid()), name="chaincut-runner")
        proc.start()
        procs.append(proc)
    return procs


def stop_runners(procs: list[BaseProcess]) -> None:
    for proc in procs:
        with contextlib.suppress(Exception):
            proc.terminate()
    for proc in procs:
        proc.join(timeout=10)
        if proc.is_alive():
            proc.kill()


CONFIG_ENV = "CHAINCUT_WEB_CONFIG"
HTTP_PARSER = "httptools" if importlib.util.find_spec("httptools") else "h11"
EVENT_LOOP = "uvloop" if importlib.util.find_spec("uvloop") else "asyncio"


def worker_app() -> FastAPI:
    """The app of one web worker process (``--web-workers`` > 1), configured from the env."""
    from chaincut.web.app import create_app

    return create_app(WebConfig.from_json(os.environ[CONFIG_ENV]))


def run_server(config: WebConfig, host: str, port: int, runners: int, workers: int = 1) -> None:
    """Serve until interrupted; the runners stop with the server."""
    import uvicorn

    from chaincut.web.app import create_app

    procs = start_runners(config, runners)
    # httptools parses HTTP in C (h11 is pure Python) and uvloop runs the event loop in C:
    # 459-780 searches/s with 50 clients against 282-344/s on the asyncio loop at the
    # same machine load (docs/benchmarks.md). Both optional: without them, the pure ones.
    options: dict[str, Any] = {"host": host, "port": port, "log_level": "warning",
                               "access_log": False, "server_header": False,
                               "loop": EVENT_LOOP, "http": HTTP_PARSER}  # fmt: skip
    try:
        if workers > 1:
            os.environ[CONFIG_ENV] = config.to_json()
            uvicorn.run("chaincut.web.serve:worker_app", factory=True, workers=workers,
                        timeout_worker_healthcheck=60, **options)  # fmt: skip
        else:
            uvicorn.run(create_app(config), **options)
    finally:
        stop_runners(procs)
