"""Shared set-up of the web tests: the demo world ingested once per session into a
template store, copied for each test module that changes it, and users of every role."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from chaincut.cli.demo_cmd import _ingest
from chaincut.cli.demo_setup import prepare_world
from chaincut.sim.truth import ArtifactTruth, WorldTruth
from chaincut.web.app import create_app
from chaincut.web.auth import set_user
from chaincut.web.config import MB, WebConfig
from chaincut.web.runner import Runner
from chaincut.web.state import WebState

PASSWORD = "correct horse battery"
ROLES = ("viewer", "analyst", "admin")


@dataclass(frozen=True)
class DemoWorld:
    folder: Path
    truth: WorldTruth
    store_dir: Path  # store.sqlite and its blobs/ directory

    @property
    def brands(self) -> Path:
        return self.folder / self.truth.brands_file

    def path_of(self, role: str, kind: str, brand: str | None = None) -> Path:
        """The first artifact of the world with this role and kind (and brand)."""
        for a in self.truth.artifacts:
            if a.role == role and a.kind == kind and (brand is None or a.brand == brand):
                return self.folder / a.path
        raise LookupError((role, kind, brand))

    def imitation(self, kind: str) -> ArtifactTruth:
        """The first fake of this kind that imitates a brand (own-brand gangs' fakes, which
        imitate nobody, have no brand to be named)."""
        for a in self.truth.artifacts:
            if a.role == "fake" and a.kind == kind and a.brand is not None:
                return a
        raise LookupError(("fake", kind, "a brand"))

    def copy_store(self, target: Path) -> str:
        """A private copy of the ingested store; its URL."""
        shutil.copytree(self.store_dir, target)
        return f"sqlite:///{target / 'store.sqlite'}"


def build_demo_world(base: Path) -> DemoWorld:
    folder = base / "world"
    truth = prepare_world(folder, quiet=True)
    store_dir = base / "store"
    store_dir.mkdir()
    _ingest(folder, truth, f"sqlite:///{store_dir / 'store.sqlite'}", None, 2, quiet=True)
    return DemoWorld(folder, truth, store_dir)


@pytest.fixture(scope="session")
def demo_world(tmp_path_factory: pytest.TempPathFactory) -> DemoWorld:
    return build_demo_world(tmp_path_factory.mktemp("web-world"))


@dataclass
class WebEnv:
    world: DemoWorld
    config: WebConfig
    state: WebState
    client: TestClient
    runner: Runner

    def sign_in(self, role: str) -> tuple[TestClient, str]:
        """A fresh client signed in as the user of ``role``, and its CSRF token."""
        client = TestClient(self.client.app)
        r = client.post("/login", data={"name": role, "password": PASSWORD},
                        follow_redirects=False)  # fmt: skip
        assert r.status_code == 303, r.text
        return client, str(client.get("/api/v1/me").json()["csrf"])

    def token(self, role: str) -> str:
        """An API token of the user of ``role``, made through the API."""
        client, csrf = self.sign_in(role)
        r = client.post("/api/v1/tokens", json={"name": "t"}, headers={"x-csrf-token": csrf})
        assert r.status_code == 201, r.text
        return str(r.json()["token"])


def make_env(world: DemoWorld, tmp: Path, **overrides: object) -> WebEnv:
    url = world.copy_store(tmp / "store")
    options: dict[str, object] = {
        "db": url,
        "brands": (world.brands,),
        "timeout": 60.0,
        "memory_mb": 2048,
        "max_upload": 16 * MB,
        "login_per_minute": 1000,
        "public_per_minute": 1000,
    }
    options.update(overrides)
    config = WebConfig(**options)  # type: ignore[arg-type]
    state = WebState.open(config)
    for role in ROLES:
        set_user(state.store.engine, role, PASSWORD, role)
    app = create_app(config, state)
    return WebEnv(world, config, state, TestClient(app), Runner(config, state))
