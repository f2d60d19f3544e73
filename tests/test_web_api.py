"""The web face through its HTTP interface (FastAPI TestClient): the public check, the
console API with roles, tokens, sessions and CSRF, the limits and the custody log.

Analysis is real: jobs are drained by the same runner ``chaincut serve`` starts (budgeted
worker processes, the demo world's brand registry), never faked.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlalchemy.orm import Session

from chaincut.store.schema_web import WebSession
from chaincut.store.util import digest
from chaincut.web import jobs
from chaincut.web.app import RATE_FILE
from chaincut.web.auth import check_password
from chaincut.web.config import MB
from tests.fetch_site import Route, serve
from tests.web_support import DemoWorld, WebEnv, demo_world, make_env

__all__ = ["demo_world"]


@pytest.fixture(scope="module")
def env(demo_world: DemoWorld, tmp_path_factory: pytest.TempPathFactory) -> WebEnv:
    return make_env(demo_world, tmp_path_factory.mktemp("web-api"))


def _check_file(env: WebEnv, path: Path) -> dict:
    with path.open("rb") as fh:
        r = env.client.post(
            "/api/v1/check", files={"file": (path.name, fh, "application/octet-stream")}
        )
    assert r.status_code == 202, r.text
    job_id = r.json()["id"]
    assert env.client.get(f"/api/v1/jobs/{job_id}").json()["status"] == "queued"
    assert env.runner.drain() >= 1
    doc = env.client.get(f"/api/v1/jobs/{job_id}").json()
    assert doc["status"] == "done", doc
    return doc


def _certificate(env: WebEnv) -> tuple[str, str]:
    """A signing certificate of a fake app that belongs to a chain, and that app."""
    for a in env.world.truth.artifacts:
        if a.role != "fake" or a.kind != "apk":
            continue
        stored = env.state.store.artifact(a.sha256)
        assert stored is not None
        certs = [i.value for i in stored.result.indicators if i.kind == "cert_sha256"]
        if certs:
            return certs[0], a.sha256
    raise AssertionError("no fake APK with a certificate")


# -- the public check ---------------------------------------------------------------------


def test_check_page_is_chinese_first_with_a_csp_without_inline_script(env: WebEnv) -> None:
    r = env.client.get("/")
    assert r.status_code == 200
    assert "防诈骗" in r.text and 'lang="zh-CN"' in r.text
    csp = r.headers["content-security-policy"]
    script = next(p for p in csp.split(";") if p.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script and "'self'" in script
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"
    assert "<script>" not in r.text and " on" + "click=" not in r.text
    english = env.client.get("/?lang=en")
    assert "Fake app check" in english.text and 'lang="en"' in english.text


def test_public_check_of_a_fake_apk_names_the_imitated_brand(env: WebEnv) -> None:
    fake = env.world.imitation("apk")
    doc = _check_file(env, env.world.folder / fake.path)
    plain = doc["plain"]
    assert plain["verdict"] == "malicious"
    assert plain["brand"]["id"] == fake.brand
    assert plain["category"] and 2 <= len(plain["reasons"]) <= 3
    assert plain["known"]["regions"] >= 1  # the demo store holds this operation's cases
    assert "case_id" not in str(plain)  # counts only, no case details
    page = env.client.get(f"/check/{doc['id']}?lang=zh").text
    assert "不要安装" in page and plain["brand"]["name"] in page and "96110" in page
    icon = env.client.get(f"/brands/{plain['brand']['id']}/icon")
    assert icon.status_code == 200 and icon.headers["content-type"] == "image/png"
    if plain["has_icon"]:
        fake_icon = env.client.get(f"/check/{doc['id']}/icon")
        assert fake_icon.headers["content-type"].startswith("image/")


def test_a_finished_job_carries_an_etag_and_revalidates(env: WebEnv) -> None:
    genuine = env.world.path_of("genuine", "apk")
    with genuine.open("rb") as fh:
        job_id = env.client.post("/api/v1/check", files={"file": (genuine.name, fh)}).json()["id"]
    queued = env.client.get(f"/api/v1/jobs/{job_id}")
    assert "etag" not in queued.headers and queued.headers["cache-control"] == "no-store"
    env.runner.drain()
    first = env.client.get(f"/api/v1/jobs/{job_id}")
    etag = first.headers["etag"]
    assert first.json()["status"] == "done"
    again = env.client.get(f"/api/v1/jobs/{job_id}")  # from memory: the same bytes
    assert again.content == first.content and again.headers["etag"] == etag
    r = env.client.get(f"/api/v1/jobs/{job_id}", headers={"if-none-match": etag})
    assert r.status_code == 304 and r.content == b""
    r = env.client.get(f"/api/v1/jobs/{job_id}", headers={"if-none-match": '"other"'})
    assert r.status_code == 200


def test_public_check_of_a_genuine_app_says_safe(env: WebEnv) -> None:
    doc = _check_file(env, env.world.path_of("genuine", "apk"))
    assert doc["plain"]["verdict"] == "clean" and doc["plain"]["brand"] is None
    assert "未发现问题" in env.client.get(f"/check/{doc['id']}?lang=zh").text


def test_public_check_of_a_qr_image_judges_its_link(env: WebEnv) -> None:
    doc = _check_file(env, env.world.path_of("fake", "qr"))
    kinds = [r["kind"] for r in doc["answer"]["results"]]
    assert kinds[0] == "qr" and "url" in kinds  # the QR's link was analysed too
    assert doc["plain"]["verdict"] in ("suspicious", "malicious")


def test_private_address_link_is_refused_before_queueing(env: WebEnv) -> None:
    before = jobs.queued(env.state.store.engine)
    for url in (
        "http://127.0.0.1:8000/admin",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/",
        "http://10.0.0.1/x",
        "file:///etc/passwd",
    ):
        r = env.client.post("/api/v1/check", data={"url": url})
        assert r.status_code == 422, (url, r.text)
        assert "refused" in r.json()["detail"]
    assert jobs.queued(env.state.store.engine) == before
    page = env.client.post("/check", data={"url": "http://192.168.1.1/"})
    assert page.status_code == 422 and "private address" in page.text


def test_pasted_public_link_is_analysed(env: WebEnv) -> None:
    r = env.client.post("/api/v1/check", data={"url": "https://wechat-secure.example.invalid/d"})
    assert r.status_code == 202, r.text
    env.runner.drain()
    doc = env.client.get(r.json()["job"]).json()
    assert doc["status"] == "done" and doc["answer"]["results"][0]["kind"] == "url"


def test_pasted_link_is_crawled_and_its_page_names_the_brand(
    demo_world: DemoWorld, tmp_path: Path
) -> None:
    """The runner crawls in its own process: the fetcher's body workers must be able to
    start there (a daemonic crawl process could not have them, and every fetched page
    came back as an internal error judged clean)."""
    lab = make_env(demo_world, tmp_path, fetch_allow_private=True)
    landing = demo_world.imitation("page")
    with serve({"/download/": Route((demo_world.folder / landing.path).read_bytes())}) as site:
        r = lab.client.post("/api/v1/check", data={"url": site.url("/download/")})
        assert r.status_code == 202, r.text
        assert lab.runner.drain() == 1
    doc = lab.client.get(r.json()["job"]).json()
    results = doc["answer"]["results"]
    assert not [e for x in results for e in x["errors"] if "internal error" in e]
    assert "page" in [x["kind"] for x in results]
    assert doc["plain"]["verdict"] == "malicious"
    assert doc["plain"]["brand"]["id"] == landing.brand


def test_upload_limits(demo_world: DemoWorld, tmp_path: Path) -> None:
    small = make_env(
        demo_world, tmp_path, max_upload=1 * MB, public_per_minute=5, login_per_minute=2
    )
    big = io.BytesIO(b"PK\x03\x04" + b"\0" * (2 * MB))
    r = small.client.post("/api/v1/check", files={"file": ("big.apk", big, "application/zip")})
    assert r.status_code == 413
    kept = [p.name for p in small.state.spool.iterdir() if p.name != RATE_FILE]
    assert kept == []  # nothing of it kept (the shared rate-limit counters aside)

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        yield (b'--x\r\nContent-Disposition: form-data; name="file"; filename="a.apk"\r\n'
               b"Content-Type: application/octet-stream\r\n\r\n")  # fmt: skip
        for _ in range(3):
            yield b"\0" * MB
        yield b"\r\n--x--\r\n"

    streamed = small.client.post(
        "/api/v1/check", content=chunks(),
        headers={"content-type": "multipart/form-data; boundary=x"},
    )  # fmt: skip
    assert streamed.status_code == 413, streamed.text
    empty = small.client.post("/api/v1/check", files={"file": ("e.apk", b"", "application/zip")})
    assert empty.status_code == 400
    both = small.client.post(
        "/api/v1/check",
        data={"url": "https://a.example/"},
        files={"file": ("a.apk", b"PK", "application/zip")},
    )
    assert both.status_code == 400
    page = small.client.post("/check", data={"url": "https://a.example/"}, follow_redirects=False)
    assert page.status_code == 303
    limited = small.client.post("/api/v1/check", data={"url": "https://a.example/"})
    assert limited.status_code == 429  # the sixth public submission this minute
    assert limited.headers["retry-after"] == "60"
    assert small.client.get("/").status_code == 200  # reading is not limited as tightly
    for expected in (401, 401, 429):  # sign-in attempts are limited too
        r = small.client.post("/login", data={"name": "admin", "password": "guess-guess"})
        assert r.status_code == expected


def test_uploads_are_kept_inert_and_never_served(env: WebEnv) -> None:
    payload = b"<html><script>alert(1)</script></html>"
    r = env.client.post("/api/v1/check", files={"file": ("x.html", payload, "text/html")})
    job_id = r.json()["id"]
    spooled = env.state.spool / job_id
    assert spooled.read_bytes() == payload and spooled.stat().st_mode & 0o777 == 0o600
    env.runner.drain()
    for path in (f"/check/{job_id}/icon", f"/static/../{job_id}", f"/spool/{job_id}"):
        got = env.client.get(path)
        assert got.status_code == 404 or "text/html" not in got.headers.get("content-type", "")
        assert payload not in got.content


def test_unknown_job_is_404(env: WebEnv) -> None:
    assert env.client.get("/api/v1/jobs/nope-nope-nope-nope").status_code == 404
    assert env.client.get("/check/nope-nope-nope-nope").status_code == 404


# -- sign-in, roles, tokens, CSRF ------------------------------------------------------


def test_the_unauthenticated_see_no_analyst_page_chain_or_case(env: WebEnv) -> None:
    anon = TestClient(env.client.app)
    chain = env.state.chains.get(env.state.store).chainset.chains[0].id
    for path in (
        "/console",
        f"/console/chains/{chain}",
        "/console/cases?region=x",
        "/console/chains",
        "/console/tokens",
    ):
        r = anon.get(path, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login"), path
    for path in (
        "/api/v1/search?q=x",
        "/api/v1/chains",
        f"/api/v1/chains/{chain}",
        f"/api/v1/chains/{chain}/graph",
        "/api/v1/cases?region=x",
        "/api/v1/suppliers",
        "/api/v1/exports/graphml",
        "/api/v1/tokens",
        "/api/v1/users",
    ):
        r = anon.get(path)
        assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer", path
    bad = anon.get("/api/v1/chains", headers={"authorization": "Bearer cct_not-a-token"})
    assert bad.status_code == 401


def test_wrong_password_and_passwords_are_argon2(env: WebEnv) -> None:
    r = env.client.post("/login", data={"name": "analyst", "password": "wrong password"})
    assert r.status_code == 401 and ("Wrong" in r.text or "不正确" in r.text)
    assert check_password(env.state.store.engine, "analyst", "wrong password") is None
    from sqlalchemy import select

    from chaincut.store.schema_web import WebUser

    with Session(env.state.store.engine) as s:
        hashed = s.scalar(select(WebUser.password_hash).where(WebUser.name == "analyst"))
    assert hashed is not None and hashed.startswith("$argon2id$")


def test_expired_session_is_refused(env: WebEnv) -> None:
    client, _csrf = env.sign_in("analyst")
    assert client.get("/api/v1/chains").status_code == 200
    cookie = client.cookies.get("cc_session")
    assert cookie
    with Session(env.state.store.engine) as s, s.begin():
        s.execute(
            update(WebSession)
            .where(WebSession.digest == digest(cookie))
            .values(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1))
        )
    assert client.get("/api/v1/chains").status_code == 401
    r = client.get("/console", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")


def test_session_posts_need_the_csrf_token(env: WebEnv) -> None:
    client, csrf = env.sign_in("analyst")
    assert client.post("/api/v1/tokens", json={"name": "x"}).status_code == 403
    assert (
        client.post(
            "/api/v1/tokens", json={"name": "x"}, headers={"x-csrf-token": "forged"}
        ).status_code
        == 403
    )
    assert client.post("/console/tokens", data={"name": "x"}).status_code == 403
    ok = client.post("/console/tokens", data={"name": "x", "csrf": csrf})
    assert ok.status_code == 200 and "cct_" in ok.text
    assert client.post("/logout", follow_redirects=False).status_code == 403
    assert client.post("/logout", data={"csrf": csrf}, follow_redirects=False).status_code == 303
    assert client.get("/api/v1/chains").status_code == 401  # signed out for real


def test_tokens_act_with_their_role_and_are_revocable(env: WebEnv) -> None:
    viewer = env.token("viewer")
    auth = {"authorization": f"Bearer {viewer}"}
    assert env.client.get("/api/v1/chains", headers=auth).status_code == 200
    assert env.client.get("/api/v1/exports/graphml", headers=auth).status_code == 403
    cases = {"file": ("c.csv", b"case_id,region,reported_at,artifacts\n", "text/csv")}
    assert env.client.post("/api/v1/cases", headers=auth, files=cases).status_code == 403
    assert (
        env.client.post(
            "/api/v1/submit", headers=auth, data={"url": "https://a.example/"}
        ).status_code
        == 403
    )
    sha = env.world.truth.artifacts[0].sha256
    assert env.client.get(f"/api/v1/artifacts/{sha}/report.html", headers=auth).status_code == 403
    assert env.client.get("/api/v1/users", headers=auth).status_code == 403
    listed = env.client.get("/api/v1/tokens", headers=auth).json()
    assert listed and all("token" not in t for t in listed)
    mine = listed[-1]["id"]
    assert env.client.delete(f"/api/v1/tokens/{mine}", headers=auth).status_code == 204
    assert env.client.get("/api/v1/chains", headers=auth).status_code == 401


def test_admin_manages_users(env: WebEnv) -> None:
    admin = {"authorization": f"Bearer {env.token('admin')}"}
    analyst = {"authorization": f"Bearer {env.token('analyst')}"}
    body = {"name": "newbie", "password": "long enough pw", "role": "viewer"}
    assert env.client.post("/api/v1/users", json=body, headers=analyst).status_code == 403
    assert env.client.post("/api/v1/users", json=body, headers=admin).status_code == 201
    assert (
        env.client.post("/api/v1/users", json={**body, "role": "god"}, headers=admin).status_code
        == 422
    )
    names = [u["name"] for u in env.client.get("/api/v1/users", headers=admin).json()]
    assert "newbie" in names
    assert check_password(env.state.store.engine, "newbie", "long enough pw") is not None


# -- the console API ---------------------------------------------------------------------


def test_search_a_certificate_then_its_artifact_chain_and_graph(env: WebEnv) -> None:
    cert, sha = _certificate(env)
    auth = {"authorization": f"Bearer {env.token('viewer')}"}
    found = env.client.get("/api/v1/search", params={"q": cert.upper()}, headers=auth).json()
    hit = next(h for h in found["indicators"] if h["kind"] == "cert_sha256")
    assert sha in [a["sha256"] for a in hit["artifacts"]]
    chain_id = next(a["chain"] for a in hit["artifacts"] if a["sha256"] == sha)
    assert chain_id
    page = env.client.get(f"/api/v1/artifacts/{sha}", headers=auth).json()
    assert page["chain"] == chain_id and page["artifact"]["facts"]["sha256"] == sha
    chain = env.client.get(f"/api/v1/chains/{chain_id}", headers=auth).json()
    assert sha in chain["artifacts"]
    graph = env.client.get(f"/api/v1/chains/{chain_id}/graph", headers=auth).json()
    nodes = {e["data"]["id"] for e in graph if e["group"] == "nodes"}
    assert f"a:{sha}" in nodes and f"i:cert_sha256:{cert}" in nodes
    edges = [e["data"] for e in graph if e["group"] == "edges"]
    assert all(e["source"] in nodes and e["target"] in nodes for e in edges)
    developer = env.client.get(
        f"/api/v1/chains/{chain_id}/graph", params={"role": "developer"}, headers=auth
    ).json()
    roles = {e["data"].get("role") for e in developer if e["data"].get("type") == "infra"}
    assert roles == {"developer"}
    by_sha = env.client.get("/api/v1/search", params={"q": sha[:12]}, headers=auth).json()
    assert sha in [a["sha256"] for a in by_sha["artifacts"]]


def test_search_by_package_domain_and_brand(env: WebEnv) -> None:
    auth = {"authorization": f"Bearer {env.token('viewer')}"}
    fake = env.world.imitation("apk")  # searched by the brand it imitates, below
    stored = env.state.store.artifact(fake.sha256)
    assert stored is not None
    for kind in ("package", "domain"):
        value = next((i.value for i in stored.result.indicators if i.kind == kind), None)
        if value is None:
            continue
        found = env.client.get("/api/v1/search", params={"q": value}, headers=auth).json()
        assert any(h["kind"] == kind for h in found["indicators"]), kind
    brand = env.client.get("/api/v1/search", params={"q": fake.brand}, headers=auth).json()
    assert fake.sha256 in [a["sha256"] for a in brand["artifacts"]]
    nothing = env.client.get(
        "/api/v1/search", params={"q": "no-such-thing-anywhere"}, headers=auth
    ).json()
    assert nothing["indicators"] == [] and nothing["artifacts"] == []


def test_chains_filters_suppliers_and_region_cases(env: WebEnv) -> None:
    auth = {"authorization": f"Bearer {env.token('viewer')}"}
    chains = env.client.get("/api/v1/chains", headers=auth).json()
    assert chains
    region = chains[0]["regions"][0]
    in_region = env.client.get("/api/v1/chains", params={"region": region}, headers=auth).json()
    assert in_region and all(region in c["regions"] for c in in_region)
    none = env.client.get("/api/v1/chains", params={"until": "1990-01-01"}, headers=auth).json()
    assert none == []
    suppliers = env.client.get("/api/v1/suppliers", headers=auth).json()
    assert all(len(s["chains"]) >= 2 for s in suppliers)
    view = env.client.get("/api/v1/cases", params={"region": region}, headers=auth).json()
    assert view["region"] == region and view["cases"]
    log = env.state.store.custody()
    assert any(e.action == "view" and e.subject == f"cases {region}" and e.actor == "viewer"
               for e in log)  # fmt: skip


def test_cases_import_by_analyst_is_logged(env: WebEnv) -> None:
    auth = {"authorization": f"Bearer {env.token('analyst')}"}
    sha = next(a.sha256 for a in env.world.truth.artifacts if a.role == "fake")
    csv = f"case_id,region,reported_at,artifacts,loss_amount\nWEB-1,海南,2024-06-01,{sha},5000\n"
    r = env.client.post(
        "/api/v1/cases", headers=auth, files={"file": ("new.csv", csv.encode(), "text/csv")}
    )
    assert r.status_code == 201, r.text
    assert r.json()["added"] == 1 and r.json()["resolved"] == [sha]
    entry = env.state.store.custody()[-1]
    assert entry.action == "case-import" and entry.actor == "analyst"
    bad = env.client.post(
        "/api/v1/cases",
        headers=auth,
        files={"file": ("bad.csv", b"case_id,region\nx,y\n", "text/csv")},
    )
    assert bad.status_code == 422
    view = env.client.get("/api/v1/cases", params={"region": "海南"}, headers=auth).json()
    assert [c["case_id"] for c in view["cases"]] == ["WEB-1"]


@pytest.mark.parametrize("fmt", ["graphml", "csv"])
def test_exports_are_downloads_logged_in_custody(env: WebEnv, fmt: str) -> None:
    auth = {"authorization": f"Bearer {env.token('analyst')}"}
    r = env.client.get(f"/api/v1/exports/{fmt}", headers=auth)
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    if fmt == "graphml":
        assert b"<graphml" in r.content
    else:
        assert zipfile.ZipFile(io.BytesIO(r.content)).namelist()
    entry = env.state.store.custody()[-1]
    assert entry.action == "export" and entry.details["format"] == fmt
    assert env.client.get("/api/v1/exports/pdf", headers=auth).status_code == 404


def test_chain_report_download_is_analyst_only_and_logged(env: WebEnv) -> None:
    chain = env.state.chains.get(env.state.store).chainset.chains[0]
    viewer = {"authorization": f"Bearer {env.token('viewer')}"}
    path = f"/api/v1/chains/{chain.id}/report.html"
    assert env.client.get(path, headers=viewer).status_code == 403
    analyst = {"authorization": f"Bearer {env.token('analyst')}"}
    r = env.client.get(path, headers=analyst)
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    assert "script-src" not in r.headers["content-security-policy"]  # default-src 'none'
    assert "<script" not in r.text and all(s in r.text for s in chain.artifacts)
    assert all(c.case_id in r.text for c in chain.cases)
    entry = env.state.store.custody()[-1]
    assert (entry.action, entry.subject, entry.actor) == (
        "export",
        f"chain report {chain.id}",
        "analyst",
    )


def test_artifact_report_and_json_downloads(env: WebEnv) -> None:
    auth = {"authorization": f"Bearer {env.token('analyst')}"}
    sha = next(a.sha256 for a in env.world.truth.artifacts if a.role == "fake")
    report = env.client.get(f"/api/v1/artifacts/{sha}/report.html", headers=auth)
    assert report.status_code == 200 and "attachment" in report.headers["content-disposition"]
    assert sha in report.text
    data = env.client.get(f"/api/v1/artifacts/{sha}/result.json", headers=auth).json()
    assert data["sha256"] == sha and data["facts"]["sha256"] == sha
    actions = [(e.action, e.actor) for e in env.state.store.custody(sha)[-2:]]
    assert actions == [("export", "analyst"), ("export", "analyst")]
    assert env.client.get("/api/v1/artifacts/" + "0" * 64, headers=auth).status_code == 404


def test_analyst_submission_is_ingested_under_the_analysts_name(env: WebEnv) -> None:
    auth = {"authorization": f"Bearer {env.token('analyst')}"}
    fixture = Path(__file__).parent / "fixtures" / "apk" / "labels_locales.apk"
    with fixture.open("rb") as fh:
        r = env.client.post("/api/v1/submit", headers=auth, files={"file": (fixture.name, fh)})
    assert r.status_code == 202
    env.runner.drain()
    doc = env.client.get(r.json()["job"]).json()
    sha = doc["answer"]["results"][0]["sha256"]
    assert doc["answer"]["ingested"] == [sha]
    stored = env.state.store.artifact(sha)
    assert stored is not None and stored.blob_path is not None
    entry = env.state.store.custody(sha)[0]
    assert entry.action == "ingest" and entry.actor == "analyst"


def test_queued_jobs_survive_a_restart(env: WebEnv) -> None:
    r = env.client.post("/api/v1/check", data={"url": "https://pay-check.example.invalid/"})
    job_id = r.json()["id"]
    claimed = jobs.claim(env.state.store.engine)  # a runner took it, then the server died
    assert claimed is not None and claimed.id == job_id
    assert env.client.get(f"/api/v1/jobs/{job_id}").json()["status"] == "running"
    assert jobs.requeue_stale(env.state.store.engine) == 1  # the next runner's start
    assert env.client.get(f"/api/v1/jobs/{job_id}").json()["status"] == "queued"
    env.runner.drain()
    assert env.client.get(f"/api/v1/jobs/{job_id}").json()["status"] == "done"


def test_openapi_documents_every_endpoint(env: WebEnv) -> None:
    paths = env.client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/check",
        "/api/v1/jobs/{job_id}",
        "/api/v1/submit",
        "/api/v1/search",
        "/api/v1/artifacts/{sha256}",
        "/api/v1/chains",
        "/api/v1/chains/{chain_id}/graph",
        "/api/v1/suppliers",
        "/api/v1/cases",
        "/api/v1/exports/{fmt}",
        "/api/v1/chains/{chain_id}/report.html",
        "/api/v1/artifacts/{sha256}/result.json",
        "/api/v1/tokens",
        "/api/v1/tokens/{token_id}",
        "/api/v1/users",
        "/api/v1/users/{user_id}",
        "/api/v1/users/{user_id}/revoke-tokens",
    ):
        assert path in paths, path


def test_console_pages_render_for_a_viewer(env: WebEnv) -> None:
    client, _csrf = env.sign_in("viewer")
    cert, sha = _certificate(env)
    search = client.get("/console", params={"q": cert})
    assert search.status_code == 200 and sha[:16] in search.text
    chain = env.state.chains.get(env.state.store).chain_of[sha]
    page = client.get(f"/console/chains/{chain}")
    assert 'id="graph"' in page.text and "/static/vendor/cytoscape.min.js" in page.text
    assert "/api/v1/exports/graphml" not in page.text  # a viewer is offered no export
    art = client.get(f"/console/artifacts/{sha}")
    assert art.status_code == 200 and cert in art.text
    cases = client.get("/console/cases", params={"region": "江苏"})
    assert cases.status_code == 200 and "Import a case CSV" not in cases.text
    assert client.post("/console/cases", files={"file": ("c.csv", b"x")}).status_code == 403
    listing = client.get("/console/chains", params={"role": "developer"})
    assert listing.status_code == 200 and chain in listing.text and "Suppliers" in listing.text
    lib = client.get("/static/vendor/cytoscape.min.js")
    assert lib.status_code == 200 and b"cytoscape" in lib.content[:2000].lower()


def test_serve_refuses_a_bad_store_url_in_one_line() -> None:
    from typer.testing import CliRunner

    from chaincut.cli.app import app

    result = CliRunner().invoke(app, ["serve", "--db", "mysql://nowhere/x"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_web_worker_config_round_trips(tmp_path: Path) -> None:
    from chaincut.web.config import WebConfig

    config = WebConfig(db="sqlite:///x.db", blobs=tmp_path, brands=(tmp_path / "b.yaml",),
                       max_upload=3 * MB, fetch_allow_private=True)  # fmt: skip
    assert WebConfig.from_json(config.to_json()) == config
