"""SDK keys and builder app ids are stored bare, with their provider beside them.

interfaces.md sections 3 and 4 show an ``sdk_app_key`` indicator's value as the key itself:
what an outside tool (or the SDK's own console) looks up. Stores written before 0004 held
``provider:key``; upgrading must split them, and merge rows that then name one key.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command

from chaincut.store import Store
from chaincut.store.engine import WRITE, alembic_config, make_engine
from chaincut.store.reader import indicators_for
from chaincut.store.util import digest

SHA_A, SHA_B, SHA_C = "a" * 64, "b" * 64, "c" * 64
NOW = "2026-01-01 00:00:00"


def _old_store(path: Path) -> str:
    """A store at revision 0003 holding prefixed keys, as chaincut wrote them then."""
    url = f"sqlite:///{path}"
    engine = make_engine(sa.engine.make_url(url))
    with engine.execution_options(**WRITE).begin() as conn:
        command.upgrade(alembic_config(conn), "0003")
        for sha in (SHA_A, SHA_B, SHA_C):
            conn.execute(sa.text(
                "INSERT INTO artifacts (sha256, kind, size, first_seen, last_seen, verdict, score,"
                " facts, result, knowledge_version, rules_version, extractor) VALUES"
                " (:s, 'apk', 1, :t, :t, 'malicious', 90, '{}', '{}', 'k', 'r', 'x')"
            ), {"s": sha, "t": NOW})
        rows = [
            (1, "sdk_app_key", "jpush:0123456789abcdef01234567"),
            (2, "builder_app_id", "dcloud:__UNI__ABCDEF1"),
            (3, "sdk_app_key", "umeng:0123456789abcdef01234567"),  # same key, other SDK
            (4, "domain", "example-gang.test"),
            (5, "sdk_app_key", "bare-old-key"),  # no prefix: left as it is
        ]
        for ind_id, kind, value in rows:
            conn.execute(sa.text("INSERT INTO indicators (id, kind, value, digest)"
                                 " VALUES (:i, :k, :v, :d)"),
                         {"i": ind_id, "k": kind, "v": value, "d": digest(value)})
        links = [(SHA_A, 0, 1), (SHA_A, 1, 2), (SHA_A, 2, 4), (SHA_B, 0, 1), (SHA_C, 0, 3),
                 (SHA_C, 1, 5)]
        for sha, ordinal, ind_id in links:
            conn.execute(sa.text(
                "INSERT INTO artifact_indicators (sha256, ordinal, indicator_id, common)"
                " VALUES (:s, :o, :i, 0)"), {"s": sha, "o": ordinal, "i": ind_id})
    engine.dispose()
    return url


def test_upgrade_strips_provider_prefix_and_keeps_provider(tmp_path: Path) -> None:
    url = _old_store(tmp_path / "old.sqlite")
    with Store.open(url, tmp_path / "blobs") as store, store.engine.connect() as conn:
        from sqlalchemy.orm import Session

        with Session(store.engine) as session:
            found = indicators_for(session, [SHA_A, SHA_B, SHA_C])
        values = {(i.kind, i.value, i.provider) for inds in found.values() for i in inds}
        assert ("sdk_app_key", "0123456789abcdef01234567", "jpush") in values
        assert ("builder_app_id", "__UNI__ABCDEF1", "dcloud") in values
        assert ("domain", "example-gang.test", None) in values
        assert ("sdk_app_key", "bare-old-key", None) in values
        # one key, two SDKs' rows before: one indicator row now, each sighting its provider
        assert ("sdk_app_key", "0123456789abcdef01234567", "umeng") in values
        keyed = conn.execute(sa.text(
            "SELECT value, digest FROM indicators WHERE kind = 'sdk_app_key'")).all()
        assert sorted(v for v, _ in keyed) == ["0123456789abcdef01234567", "bare-old-key"]
        assert all(d == digest(v) for v, d in keyed)  # lookups by digest find the bare key
        assert not any(":" in v for v, _ in keyed)


def test_downgrade_writes_the_prefixed_spelling_back(tmp_path: Path) -> None:
    url = _old_store(tmp_path / "old.sqlite")
    with Store.open(url, tmp_path / "blobs") as store:
        with store.engine.execution_options(**WRITE).begin() as conn:
            command.downgrade(alembic_config(conn), "0003")
        with store.engine.connect() as conn:
            values = set(conn.execute(sa.text("SELECT kind, value FROM indicators")).all())
    assert ("builder_app_id", "dcloud:__UNI__ABCDEF1") in values
    assert ("domain", "example-gang.test") in values
    assert any(v.endswith(":0123456789abcdef01234567") for _, v in values)


PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>下载</title>
<script>var _hmt=_hmt||[];(function(){{var hm=document.createElement("script");
hm.src="https://hm.stats.example/hm.js?{site}";}})();</script></head>
<body><a href="https://file.{name}.example/app.apk">安卓下载</a></body></html>
"""


def test_ingest_stores_the_bare_id_and_its_provider(tmp_path: Path) -> None:
    """Written by ingest, read back by linking: the provider survives the store."""
    from tests.cli_helpers import run_cli

    site = "0123456789abcdef0123456789abcdef"
    pages = tmp_path / "pages"
    pages.mkdir()
    for name in ("one", "two"):
        (pages / f"{name}.html").write_text(PAGE.format(site=site, name=name), "utf-8")
    db = tmp_path / "w.db"
    proc = run_cli("ingest", str(pages), "--db", f"sqlite:///{db}")
    assert proc.returncode == 0, proc.stderr
    engine = make_engine(sa.engine.make_url(f"sqlite:///{db}"))
    with engine.connect() as conn:
        rows = conn.execute(sa.text(
            "SELECT i.value, ai.provider FROM indicators i JOIN artifact_indicators ai"
            " ON ai.indicator_id = i.id WHERE i.kind = 'analytics_id'")).all()
    engine.dispose()
    assert rows == [(site, "baidu_tongji"), (site, "baidu_tongji")]
    from chaincut.web.queries import search

    with Store.open(f"sqlite:///{db}", create=False) as store:
        for query in (site, f"baidu_tongji:{site}"):  # bare, and as rule details spell keys
            hits = search(store, query, {})["indicators"]
            assert [(h["kind"], h["value"], h["provider"], len(h["artifacts"])) for h in hits] == [
                ("analytics_id", site, "baidu_tongji", 2)]
        assert search(store, "https://hm.stats.example/x", {})["indicators"] == []
