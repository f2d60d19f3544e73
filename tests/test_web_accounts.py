"""User management (admin page and API), the rate-limit budget shared by web worker
processes, and the chain sets persisted per store generation.

Accounts run on an empty store (no analysis needed); the chain-set tests use the demo
world's ingested store.
"""

from __future__ import annotations

import multiprocessing as mp
import time
import zlib
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from chaincut.store import Store
from chaincut.store.schema_web import WebChainSet
from chaincut.web import state as web_state
from chaincut.web.app import create_app
from chaincut.web.auth import list_users, set_user
from chaincut.web.config import WebConfig
from chaincut.web.security import SLOT, RateLimiter, _count
from chaincut.web.state import WAIT_FOR_OTHER, ChainCache, WebState
from tests.web_support import PASSWORD, ROLES, DemoWorld, demo_world

__all__ = ["demo_world"]


class Accounts:
    def __init__(self, tmp: Path) -> None:
        config = WebConfig(db=f"sqlite:///{tmp / 'store.sqlite'}", blobs=tmp / "blobs",
                           login_per_minute=1000)  # fmt: skip
        self.state = WebState.open(config)
        self.ids = {r: set_user(self.state.store.engine, r, PASSWORD, r) for r in ROLES}
        self.app = create_app(config, self.state)

    def session(self, name: str, password: str = PASSWORD) -> tuple[TestClient, str]:
        client = TestClient(self.app)
        r = client.post("/login", data={"name": name, "password": password},
                        follow_redirects=False)  # fmt: skip
        assert r.status_code == 303, r.text
        return client, str(client.get("/api/v1/me").json()["csrf"])

    def token(self, name: str) -> dict[str, str]:
        client, csrf = self.session(name)
        r = client.post("/api/v1/tokens", json={"name": "t"}, headers={"x-csrf-token": csrf})
        assert r.status_code == 201
        return {"authorization": f"Bearer {r.json()['token']}"}

    def account_log(self) -> list[tuple[str, str, dict[str, object]]]:
        return [(e.actor, e.subject, e.details) for e in self.state.store.custody()
                if e.action == "account"]  # fmt: skip


@pytest.fixture
def acc(tmp_path: Path) -> Accounts:
    return Accounts(tmp_path)


def test_viewers_analysts_and_strangers_cannot_manage_users(acc: Accounts) -> None:
    body = {"name": "mallory", "password": "long enough pw", "role": "admin"}
    target = acc.ids["viewer"]
    anon = TestClient(acc.app)
    assert anon.get("/api/v1/users").status_code == 401
    assert anon.patch(f"/api/v1/users/{target}", json={"role": "admin"}).status_code == 401
    r = anon.get("/console/users", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    for role in ("viewer", "analyst"):
        auth = acc.token(role)
        assert TestClient(acc.app).get("/api/v1/users", headers=auth).status_code == 403
        client = TestClient(acc.app)
        assert client.post("/api/v1/users", json=body, headers=auth).status_code == 403
        assert client.patch(f"/api/v1/users/{acc.ids[role]}", json={"role": "admin"},
                            headers=auth).status_code == 403  # fmt: skip
        assert client.post(f"/api/v1/users/{target}/revoke-tokens",
                           headers=auth).status_code == 403  # fmt: skip
        page, csrf = acc.session(role)
        assert page.get("/console/users").status_code == 403
        r = page.post("/console/users", data={**body, "csrf": csrf}, follow_redirects=False)
        assert r.status_code == 403
        r = page.post(f"/console/users/{target}/disable", data={"csrf": csrf},
                      follow_redirects=False)  # fmt: skip
        assert r.status_code == 403
    names = [n for _i, n, _r, _d in list_users(acc.state.store.engine)]
    assert "mallory" not in names
    assert acc.account_log() == []  # refusals change nothing


def test_admin_session_changes_need_the_csrf_token(acc: Accounts) -> None:
    admin, csrf = acc.session("admin")
    viewer = acc.ids["viewer"]
    assert admin.patch(f"/api/v1/users/{viewer}", json={"disabled": True}).status_code == 403
    r = admin.patch(f"/api/v1/users/{viewer}", json={"disabled": True},
                    headers={"x-csrf-token": "forged"})  # fmt: skip
    assert r.status_code == 403
    r = admin.post(f"/console/users/{viewer}/disable", data={}, follow_redirects=False)
    assert r.status_code == 403
    r = admin.post(
        "/console/users",
        data={"name": "x", "password": "long enough pw", "role": "viewer"},
        follow_redirects=False,
    )
    assert r.status_code == 403
    assert acc.account_log() == []
    r = admin.post(f"/console/users/{viewer}/disable", data={"csrf": csrf},
                   follow_redirects=False)  # fmt: skip
    assert r.status_code == 303
    page = admin.get(r.headers["location"])
    assert "viewer disabled" in page.text
    assert [s for _a, s, _d in acc.account_log()] == ["user viewer"]


def test_admin_creates_users_sets_roles_disables_and_revokes_tokens(acc: Accounts) -> None:
    admin = acc.token("admin")
    api = TestClient(acc.app)
    r = api.post("/api/v1/users", json={"name": "carol", "password": "long enough pw",
                                        "role": "viewer"}, headers=admin)  # fmt: skip
    assert r.status_code == 201
    carol = int(r.json()["id"])
    session, _csrf = acc.session("carol", "long enough pw")
    carol_api = TestClient(acc.app)
    client, csrf = acc.session("carol", "long enough pw")  # she makes herself a token
    made = client.post("/api/v1/tokens", json={"name": "c"}, headers={"x-csrf-token": csrf})
    carol_auth = {"authorization": f"Bearer {made.json()['token']}"}
    assert carol_api.get("/api/v1/me", headers=carol_auth).json()["role"] == "viewer"

    r = api.patch(f"/api/v1/users/{carol}", json={"role": "analyst"}, headers=admin)
    assert r.status_code == 200 and r.json()["changed"] == ["role"]
    assert carol_api.get("/api/v1/me", headers=carol_auth).json()["role"] == "analyst"
    assert api.patch(f"/api/v1/users/{carol}", json={"role": "god"}, headers=admin
                     ).status_code == 422  # fmt: skip
    assert api.patch("/api/v1/users/99999", json={"role": "viewer"}, headers=admin
                     ).status_code == 404  # fmt: skip

    r = api.patch(f"/api/v1/users/{carol}", json={"disabled": True}, headers=admin)
    assert r.status_code == 200 and r.json()["disabled"] is True
    assert session.get("/api/v1/me").status_code == 401  # her sessions ended
    assert carol_api.get("/api/v1/me", headers=carol_auth).status_code == 401
    assert TestClient(acc.app).post("/login", data={"name": "carol", "password": "long enough pw"}
                                    ).status_code == 401  # fmt: skip
    api.patch(f"/api/v1/users/{carol}", json={"disabled": False}, headers=admin)
    assert carol_api.get("/api/v1/me", headers=carol_auth).status_code == 200

    r = api.post(f"/api/v1/users/{carol}/revoke-tokens", headers=admin)
    assert r.status_code == 200 and len(r.json()["revoked"]) == 1
    assert carol_api.get("/api/v1/me", headers=carol_auth).status_code == 401

    log = acc.account_log()
    assert all(actor == "admin" for actor, _s, _d in log)
    details = [d for _a, s, d in log if s == "user carol"]
    assert {"set": {"role": "viewer", "password": True}} in details
    assert {"before": {"role": "viewer"}, "after": {"role": "analyst"},
            "sessions_ended": 0} in details  # fmt: skip
    assert any(d.get("after") == {"disabled": True} and d["sessions_ended"] == 2
               for d in details)  # fmt: skip
    assert any("tokens_revoked" in d for d in details)


def test_admins_cannot_lock_the_console_out(acc: Accounts) -> None:
    admin = acc.token("admin")
    api = TestClient(acc.app)
    me = acc.ids["admin"]
    r = api.patch(f"/api/v1/users/{me}", json={"role": "viewer"}, headers=admin)
    assert r.status_code == 409 and "yourself" in r.json()["detail"]
    assert api.patch(f"/api/v1/users/{me}", json={"disabled": True}, headers=admin
                     ).status_code == 409  # fmt: skip
    other = api.post(
        "/api/v1/users",
        json={"name": "root2", "password": "long enough pw", "role": "admin"},
        headers=admin,
    ).json()["id"]
    client, csrf = acc.session("root2", "long enough pw")
    r = client.patch(f"/api/v1/users/{me}", json={"role": "analyst"},
                     headers={"x-csrf-token": csrf})  # fmt: skip
    assert r.status_code == 200  # another admin may
    r = client.patch(f"/api/v1/users/{other}", json={"disabled": True},
                     headers={"x-csrf-token": csrf})  # fmt: skip
    assert r.status_code == 409  # the last enabled admin stays


def test_users_page_lists_users_and_its_forms_work(acc: Accounts) -> None:
    admin, csrf = acc.session("admin")
    page = admin.get("/console/users")
    assert page.status_code == 200
    assert all(f'data-user="{r}"' in page.text for r in ROLES)
    assert 'href="/console/users"' in page.text  # the admin's menu links it
    r = admin.post("/console/users", data={"name": "dave", "password": "long enough pw",
                                           "role": "analyst", "csrf": csrf})  # fmt: skip
    assert r.status_code == 200 and "user dave saved as analyst" in r.text
    short = admin.post("/console/users", data={"name": "eve", "password": "short",
                                               "role": "viewer", "csrf": csrf})  # fmt: skip
    assert short.status_code == 422 and "at least 8" in short.text
    dave = next(i for i, n, _r, _d in list_users(acc.state.store.engine) if n == "dave")
    r = admin.post(f"/console/users/{dave}/role", data={"role": "viewer", "csrf": csrf})
    assert r.status_code == 200 and "dave is viewer" in r.text
    viewer_page, _ = acc.session("viewer")
    assert 'href="/console/users"' not in viewer_page.get("/console").text


# -- rate limits shared by processes ---------------------------------------------------------


NOON = 1_800_000_000.0 + 30  # half-way through a minute: no minute ends during the test


def _spend(path: str, tries: int, per_minute: int, out: mp.Queue) -> None:  # type: ignore[type-arg]
    limiter = RateLimiter(Path(path), clock=lambda: NOON)
    out.put(sum(limiter.allow("203.0.113.9", "public", per_minute) for _ in range(tries)))


def test_two_processes_share_one_rate_budget(tmp_path: Path) -> None:
    path = tmp_path / "rate.bin"
    ctx = mp.get_context("spawn")
    out: mp.Queue[int] = ctx.Queue()  # type: ignore[type-arg]
    procs = [ctx.Process(target=_spend, args=(str(path), 30, 40, out)) for _ in range(2)]
    for p in procs:
        p.start()
    allowed = [out.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    assert sum(allowed) == 40  # one budget, not 40 per process
    here = RateLimiter(path, clock=lambda: NOON)
    assert not here.allow("203.0.113.9", "public", 40)  # a third process sees it spent
    assert here.allow("203.0.113.10", "public", 40)  # another client has its own
    assert here.allow("203.0.113.9", "login", 40)  # and another bucket
    alone = RateLimiter()  # no file: this process's own counters
    assert alone.allow("203.0.113.9", "public", 40)


def test_rate_window_slides_over_two_minutes() -> None:
    table = bytearray(4096 * SLOT.size)
    minute = 1000
    start = minute * 60.0
    assert sum(_count(table, 7, minute, start + 1, 10) for _ in range(15)) == 10
    # half-way through the next minute, half of the last minute's hits still count
    half = start + 90
    assert sum(_count(table, 7, minute + 1, half, 10) for _ in range(15)) == 5
    # two minutes later nothing is left of them
    later = start + 185
    assert sum(_count(table, 7, minute + 3, later, 10) for _ in range(15)) == 10


# -- chain sets persisted per store generation ------------------------------------------------


def test_chains_are_linked_once_per_generation_for_every_process(
    demo_world: DemoWorld, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = demo_world.copy_store(tmp_path / "store")
    builds: list[int] = []
    real = web_state.build_chains

    def counted(*args: object, **kwargs: object) -> object:
        builds.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(web_state, "build_chains", counted)
    config = WebConfig(db=url, background_linking=False)
    first, second = WebState.open(config), WebState.open(config)  # as two worker processes
    linked = first.chains.get(first.store)
    assert linked.chainset.chains and len(builds) == 1
    again = second.chains.get(second.store)
    assert len(builds) == 1  # loaded from the store, not linked again
    assert [c.id for c in again.chainset.chains] == [c.id for c in linked.chainset.chains]
    assert again.chain_of == linked.chain_of
    restarted = ChainCache(background=False)  # a restart: peek finds the saved set at once
    peeked = restarted.peek(first.store)
    assert peeked is not None and peeked.chain_of == linked.chain_of
    assert len(builds) == 1

    with Store.open(url, actor="test") as store:  # a change makes a new generation
        store.log("edit", "test change", {})
    second.chains.get(second.store)
    assert len(builds) == 2
    first.chains.get(first.store)
    assert len(builds) == 2
    with Session(first.store.engine) as session:
        rows = session.execute(select(WebChainSet.generation, WebChainSet.data)).all()
    assert len(rows) == 1 and rows[0][1] is not None  # the old generation is gone
    with Session(first.store.engine) as session, session.begin():  # saved by an older model
        session.execute(update(WebChainSet).values(data=zlib.compress(b'{"chains": 1}')))
    third = WebState.open(config)
    started = time.monotonic()
    assert third.chains.get(third.store).chain_of == linked.chain_of
    assert len(builds) == 3 and time.monotonic() - started < WAIT_FOR_OTHER  # relinked
    third.close()
    for s in (first, second):
        s.close()


# -- search's driver-level SQL on both backends ---------------------------------------------


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_search_by_value_prefix_brand_and_label_on_both_backends(
    backend: str, tmp_path: Path
) -> None:
    """Search hands its SQL to the driver (``?`` for sqlite3, ``%s`` for psycopg2)."""
    from chaincut.extractors.budget import Job, extract_file
    from chaincut.result.models import ResultIndicator
    from chaincut.store.scanning import fallback_scan
    from chaincut.web.queries import search
    from tests.cli_helpers import FIXTURES
    from tests.store_pg import pg_server

    if backend == "sqlite":
        store = Store.open(f"sqlite:///{tmp_path / 'store.sqlite'}", actor="t")
    else:
        store = Store.open(pg_server().new_database(), tmp_path / "blobs", actor="t")
    path = FIXTURES / "apk" / "v2v3.apk"
    result = extract_file(Job(display=str(path), fspath=str(path)))
    cert = "AB:" + "cd" * 31
    indicators = [ResultIndicator(kind="cert_sha256", value=cert.replace(":", "").lower()),
                  ResultIndicator(kind="domain", value="pay_100%.example")]  # fmt: skip
    scan = fallback_scan(result).model_copy(update={"indicators": indicators})
    store.add_result(result, scan, str(path), path.read_bytes())
    sha = result.document.sha256
    chain_of = {sha: "C1"}
    try:
        found = search(store, cert, chain_of)  # colons and upper case: still the value
        assert [i["kind"] for i in found["indicators"]] == ["cert_sha256"]
        assert found["indicators"][0]["artifacts"][0] == {
            **found["indicators"][0]["artifacts"][0],
            "sha256": sha,
            "chain": "C1",
        }
        assert search(store, "pay_100%.example", {})["indicators"][0]["value"] == (
            "pay_100%.example")  # fmt: skip
        assert [a["sha256"] for a in search(store, sha[:12], {})["artifacts"]] == [sha]
        stored = store.artifact(sha)
        assert stored is not None and stored.label == "Chaincut Base"  # the fixture's label
        assert [a["sha256"] for a in search(store, "aincut B", {})["artifacts"]] == [sha]
        # LIKE wildcards in the query are literal: "%" or "_" alone match no label
        for wild in ("%", "_", "Chaincut%Base"):
            assert search(store, wild, {})["artifacts"] == [], wild
    finally:
        store.close()


def test_resetting_a_user_keeps_the_admin_guards_and_a_disabled_user_disabled(
    acc: Accounts,
) -> None:
    admin = acc.token("admin")
    api = TestClient(acc.app)
    me = {"name": "admin", "password": "long enough pw", "role": "viewer"}
    r = api.post("/api/v1/users", json=me, headers=admin)
    assert r.status_code == 409 and "yourself" in r.json()["detail"]
    assert ("admin", "admin") in [(n, role) for _, n, role, _ in list_users(acc.state.store.engine)]
    viewer = acc.ids["viewer"]
    assert api.patch(f"/api/v1/users/{viewer}", json={"disabled": True},
                     headers=admin).status_code == 200  # fmt: skip
    reset = {"name": "viewer", "password": "another long pw", "role": "analyst"}
    assert api.post("/api/v1/users", json=reset, headers=admin).status_code == 201
    users = {n: (role, disabled) for _, n, role, disabled in list_users(acc.state.store.engine)}
    assert users["viewer"] == ("analyst", True)
