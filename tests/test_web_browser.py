"""The web face in a real headless Chromium (Debian's ``chromium``, driven by Playwright):
the public check of a fake APK, of a QR image and of a pasted link, and an analyst who
signs in, searches a certificate, opens its chain and sees the graph; an admin who
creates a user on the users page and disables them.

The server is ``chaincut serve`` itself, on 127.0.0.1, over a copy of the demo store. The
pasted link and the QR code lead to the demo world's fake landing page, served by a local
site on 127.0.0.1 (``--allow-private`` lets the fetcher reach it; nothing leaves the
machine). Skipped with a message when Playwright or Chromium cannot be had. With
``CHAINCUT_SCREENSHOTS=DIR`` the pages are also saved there as PNGs (docs/ holds a set).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import qrcode

from chaincut.store import Store
from chaincut.web.auth import set_user
from tests.fetch_site import Route, serve
from tests.web_support import PASSWORD, DemoWorld, demo_world

__all__ = ["demo_world"]

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run"]  # fmt: skip
PHONE = {"width": 390, "height": 800}
DESK = {"width": 1100, "height": 800}

sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is needed")
if not CHROMIUM.exists():
    pytest.skip("Debian's chromium is not installed (apt-get install chromium)",
                allow_module_level=True)  # fmt: skip


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def landing(demo_world: DemoWorld) -> Iterator[tuple[str, str]]:
    """A local copy of a fake landing page of the world: (its URL, the imitated brand)."""
    page = demo_world.imitation("page")
    body = (demo_world.folder / page.path).read_bytes()
    with serve({"/download/": Route(body)}) as site:
        yield site.url("/download/"), str(page.brand)


@pytest.fixture(scope="module")
def server(demo_world: DemoWorld, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("web-browser")
    url = demo_world.copy_store(tmp / "store")
    with Store.open(url) as store:
        set_user(store.engine, "analyst", PASSWORD, "analyst")
        set_user(store.engine, "admin", PASSWORD, "admin")
    port = _free_port()
    cmd = [sys.executable, "-m", "chaincut", "serve", "--db", url, "--port", str(port),
           "--brands", str(demo_world.brands), "--allow-private", "--timeout", "60"]  # fmt: skip
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(base + "/", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.3)
            if proc.poll() is not None:
                pytest.fail(f"chaincut serve stopped: {proc.stderr.read() if proc.stderr else ''}")
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as p:
        try:
            chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        except Exception as exc:  # a browser that will not start: say so, do not fail
            pytest.skip(f"headless chromium could not be started: {exc}")
        yield chromium
        chromium.close()


def _page(browser: object, viewport: dict[str, int]) -> tuple[object, list[str]]:
    context = browser.new_context(viewport=viewport, locale="zh-CN")  # type: ignore[attr-defined]
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    return page, problems


def _shot(page: object, name: str) -> None:
    target = os.environ.get("CHAINCUT_SCREENSHOTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(target) / name))  # type: ignore[attr-defined]


def _verdict(page: object) -> tuple[str, str | None]:
    verdict = page.wait_for_selector("#verdict", timeout=60_000)  # type: ignore[attr-defined]
    brand = page.query_selector("#brand")  # type: ignore[attr-defined]
    named = brand.get_attribute("data-brand") if brand else None
    return verdict.get_attribute("data-verdict"), named


def test_public_check_of_a_fake_apk(server: str, browser: object, demo_world: DemoWorld) -> None:
    fake = demo_world.imitation("apk")
    path = demo_world.folder / fake.path
    page, problems = _page(browser, PHONE)
    page.goto(server + "/")  # type: ignore[attr-defined]
    assert "防诈骗" in page.title()  # type: ignore[attr-defined]
    page.set_input_files("#file", str(path))  # type: ignore[attr-defined]
    page.click("#check-button")  # type: ignore[attr-defined]
    verdict, brand = _verdict(page)
    assert (verdict, brand) == ("malicious", fake.brand)
    text = page.inner_text("#answer")  # type: ignore[attr-defined]
    assert "不要安装" in text and "96110" in text and "冒充" in text
    images = page.eval_on_selector_all(  # type: ignore[attr-defined]
        "#brand img", "els => els.map(e => e.naturalWidth)"
    )
    assert images and all(w > 0 for w in images)  # genuine (and fake) icons really load
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # type: ignore[attr-defined]
    _shot(page, "web-check-apk.png")
    assert problems == []


def test_public_check_of_a_qr_image(
    server: str, browser: object, landing: tuple[str, str], tmp_path: Path
) -> None:
    url, brand = landing
    image = tmp_path / "qr.png"
    qrcode.make(url).save(image)
    page, problems = _page(browser, PHONE)
    page.goto(server + "/")  # type: ignore[attr-defined]
    page.set_input_files("#file", str(image))  # type: ignore[attr-defined]
    page.click("#check-button")  # type: ignore[attr-defined]
    assert _verdict(page) == ("malicious", brand)
    _shot(page, "web-check-qr.png")
    assert problems == []


def test_public_check_of_a_pasted_link(
    server: str, browser: object, landing: tuple[str, str]
) -> None:
    url, brand = landing
    page, problems = _page(browser, PHONE)
    page.goto(server + "/?lang=en")  # type: ignore[attr-defined]
    page.fill("#url", url)  # type: ignore[attr-defined]
    page.click("#check-button")  # type: ignore[attr-defined]
    assert _verdict(page) == ("malicious", brand)
    assert "Do not install" in page.inner_text("#answer")  # type: ignore[attr-defined]
    _shot(page, "web-check-link.png")
    assert problems == []


def test_analyst_searches_a_certificate_and_sees_its_chain_graph(
    server: str, browser: object, demo_world: DemoWorld
) -> None:
    fake = next(a for a in demo_world.truth.artifacts if a.role == "fake" and a.kind == "apk")
    with Store.open(f"sqlite:///{demo_world.store_dir / 'store.sqlite'}") as store:
        stored = store.artifact(fake.sha256)
        assert stored is not None
        cert = next(i.value for i in stored.result.indicators if i.kind == "cert_sha256")
    page, problems = _page(browser, DESK)
    page.goto(server + "/console")  # type: ignore[attr-defined]
    assert "/login" in page.url  # type: ignore[attr-defined]
    page.fill("#name", "analyst")  # type: ignore[attr-defined]
    page.fill("#password", PASSWORD)  # type: ignore[attr-defined]
    page.click("#login-button")  # type: ignore[attr-defined]
    page.wait_for_selector("#q")  # type: ignore[attr-defined]
    page.fill("#q", cert)  # type: ignore[attr-defined]
    page.click("#search-button")  # type: ignore[attr-defined]
    page.wait_for_selector("#results")  # type: ignore[attr-defined]
    assert fake.sha256[:16] in page.inner_text("#results")  # type: ignore[attr-defined]
    _shot(page, "web-console-search.png")
    page.click("#results a.chain-link")  # type: ignore[attr-defined]
    page.wait_for_selector("#graph[data-nodes]", timeout=30_000)  # type: ignore[attr-defined]
    nodes = int(page.get_attribute("#graph", "data-nodes"))  # type: ignore[attr-defined]
    assert nodes >= 2
    assert page.query_selector("#graph canvas") is not None  # type: ignore[attr-defined]
    drawn = page.evaluate(  # type: ignore[attr-defined]
        "window.chaincutGraph.nodes().map(n => n.id())"
    )
    assert f"i:cert_sha256:{cert}" in drawn
    _shot(page, "web-console-chain.png")
    assert problems == []


def test_admin_creates_and_disables_a_user(server: str, browser: object) -> None:
    page, problems = _page(browser, DESK)
    page.goto(server + "/console/users")  # type: ignore[attr-defined]
    page.fill("#name", "admin")  # type: ignore[attr-defined]
    page.fill("#password", PASSWORD)  # type: ignore[attr-defined]
    page.click("#login-button")  # type: ignore[attr-defined]
    page.wait_for_selector("#create-user")  # type: ignore[attr-defined]
    page.fill("#create-user input[name=name]", "intern")  # type: ignore[attr-defined]
    page.fill("#create-user input[name=password]", "long enough pw")  # type: ignore[attr-defined]
    page.select_option("#create-user select[name=role]", "viewer")  # type: ignore[attr-defined]
    page.click("#create-user button")  # type: ignore[attr-defined]
    page.wait_for_selector("#done")  # type: ignore[attr-defined]
    row = 'tr[data-user="intern"]'
    assert "active" in page.inner_text(row)  # type: ignore[attr-defined]
    page.click(f"{row} form[action$='/disable'] button")  # type: ignore[attr-defined]
    page.wait_for_selector("#done")  # type: ignore[attr-defined]
    assert "intern disabled" in page.inner_text("#done")  # type: ignore[attr-defined]
    assert "disabled" in page.inner_text(row)  # type: ignore[attr-defined]
    _shot(page, "web-console-users.png")
    assert problems == []
