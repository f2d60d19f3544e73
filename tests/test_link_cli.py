"""The linking commands on a planted world (fake store) and on an empty real store."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import stix2
from typer.testing import CliRunner

from chaincut.cli import link_cmd
from chaincut.cli.app import app
from chaincut.link.model import ArtifactRecord, CaseRecord
from tests.cli_helpers import run_cli
from tests.link_world import DEV_CERT, World, make_world


class FakeStore:
    def __init__(self, world: World) -> None:
        self.world = world
        self.logged: list[tuple[str, str, dict[str, Any], list[str]]] = []

    def iter_artifacts(self) -> Iterator[ArtifactRecord]:
        yield from self.world.artifacts

    def iter_cases(self) -> Iterator[CaseRecord]:
        yield from self.world.cases

    def artifact(self, sha256: str) -> SimpleNamespace:
        """What the views read of a stored artifact: the names it arrived under."""
        return SimpleNamespace(names=[SimpleNamespace(kind="path", value=f"/in/{sha256[:6]}.apk")])

    def log(
        self,
        action: str,
        subject: str,
        details: dict[str, Any],
        artifacts: list[str] | tuple[str, ...] = (),
    ) -> int:
        self.logged.append((action, subject, details, list(artifacts)))
        return len(self.logged)


@pytest.fixture
def store(monkeypatch: pytest.MonkeyPatch) -> FakeStore:
    fake = FakeStore(make_world())

    @contextmanager
    def opener(db: str | None, blobs: Path | None, actor: str | None = None) -> Iterator[Any]:
        yield fake

    monkeypatch.setattr(link_cmd, "open_store", opener)
    return fake


runner = CliRunner()


def test_chains_json_matches_interfaces(store: FakeStore) -> None:
    result = runner.invoke(app, ["chains", "--format", "json", "--min-size", "2"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert set(doc) == {"chains"} and len(doc["chains"]) == 8
    for chain in doc["chains"]:
        assert {"id", "artifacts", "infrastructure", "cases", "regions", "suppliers"} <= set(chain)
        for item in chain["infrastructure"]:
            assert {"kind", "value", "role", "artifacts"} <= set(item)
            assert isinstance(item["artifacts"], int)
        for case in chain["cases"]:
            assert {"case_id", "region"} <= set(case)
        for sup in chain["suppliers"]:
            assert {"kind", "value", "role", "chains"} <= set(sup)
            assert isinstance(sup["chains"], int)
    big = runner.invoke(app, ["chains", "--min-size", "100"])
    assert json.loads(big.stdout) == {"chains": []}


def test_chain_text_and_prefix(store: FakeStore) -> None:
    chains = json.loads(runner.invoke(app, ["chains"]).stdout)["chains"]
    target = next(c for c in chains if any(s["value"] == DEV_CERT for s in c["suppliers"]))
    result = runner.invoke(app, ["chain", target["id"][:8]])
    assert result.exit_code == 0, result.output
    assert f"chain {target['id']}" in result.stdout
    assert "developer" in result.stdout and "[supplier]" in result.stdout
    assert "serves 3 chains" in result.stdout
    first = target["artifacts"][0]
    assert f"  {first[:6]}.apk  " in result.stdout  # members by file name
    assert "      shares " in result.stdout  # and how each joined
    as_json = runner.invoke(app, ["chain", target["id"], "--format", "json"])
    assert json.loads(as_json.stdout)["id"] == target["id"]


def test_unknown_chain_is_one_line_exit_2(store: FakeStore) -> None:
    result = runner.invoke(app, ["chain", "ch-0000000000"])
    assert result.exit_code == 2
    assert "no chain with id 'ch-0000000000'" in result.output
    assert "Traceback" not in result.output


def test_suppliers_ranked(store: FakeStore) -> None:
    result = runner.invoke(app, ["suppliers", "--format", "json"])
    ranked = json.loads(result.stdout)
    assert [s["rank"] for s in ranked] == [1, 2, 3, 4]
    assert ranked[0]["role"] == "distributor" and len(ranked[0]["chains"]) == 5
    text = runner.invoke(app, ["suppliers"]).stdout
    assert "most chains cut first" in text and "developer" in text


def test_cases_for_region(store: FakeStore) -> None:
    result = runner.invoke(app, ["cases", "--region", "Guangdong", "--format", "json"])
    view = json.loads(result.stdout)
    assert view["region"] == "广东" and view["cases"]
    text = runner.invoke(app, ["cases", "--region", "GD"]).stdout
    assert text.startswith("region 广东:") and "call " in text


@pytest.mark.parametrize("fmt", ["graphml", "csv", "stix"])
def test_export_is_logged(store: FakeStore, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"out.{fmt}"
    result = runner.invoke(app, ["export", "--format", fmt, "-o", str(out)])
    assert result.exit_code == 0, result.output
    action, subject, details, artifacts = store.logged[-1]
    assert (action, subject, details["format"]) == ("export", str(out.resolve()), fmt)
    assert all(Path(f["path"]).is_absolute() for f in details["files"])
    assert details["files"] and all(len(f["sha256"]) == 64 for f in details["files"])
    assert len(artifacts) == len(make_world().gang_of)
    if fmt == "stix":
        stix2.parse(out.read_text(), allow_custom=False)


def test_bad_format_exit_2(store: FakeStore, tmp_path: Path) -> None:
    result = runner.invoke(app, ["export", "--format", "pdf", "-o", str(tmp_path / "x")])
    assert result.exit_code == 2 and "unknown format" in result.output


def test_empty_store_is_one_line_exit_2(tmp_path: Path) -> None:
    from chaincut.store import Store

    Store.open(f"sqlite:///{tmp_path / 'empty.db'}").close()  # readers never create one
    proc = run_cli("chains", "--db", f"sqlite:///{tmp_path / 'empty.db'}")
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0
    assert "no artifacts" in proc.stderr
