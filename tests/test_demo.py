"""``chaincut demo`` end to end: the README's first command shows the whole pipeline.

Every run gets a fresh HOME and data directory, so the user's own store is never read or
written. Chain membership depends on the clustering, so these tests assert structure and
invariants (cases carry regions, suppliers serve several chains, re-runs change nothing),
not how many chains there are.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.cli_helpers import FIXTURES

CHAIN_ID = re.compile(r"^(ch-[0-9a-f]{10})\b", re.M)
SUPPLIER_LINE = re.compile(r"serves (\d+) chains")


def _run(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHAINCUT_")}
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / "data"))
    return subprocess.run(
        [sys.executable, "-m", "chaincut", *args],
        capture_output=True, text=True, env=env, timeout=300, cwd=home,
    )  # fmt: skip


def _ok(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    return proc.stdout


def _usage_error(proc: subprocess.CompletedProcess[str], words: str) -> None:
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert words in proc.stderr


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("home")


@pytest.fixture(scope="module")
def kept(home: Path) -> dict[str, Any]:
    """Two demo runs on one kept world and store: JSON first, then text."""
    url = f"sqlite:///{home / 'demo.sqlite'}"
    first = json.loads(_ok(_run(home, "demo", "--db", url, "--world", "w", "-f", "json")))
    info1 = json.loads(_ok(_run(home, "store", "info", "--db", url, "-f", "json")))
    chains1 = json.loads(_ok(_run(home, "chains", "--db", url, "-f", "json")))
    text = _ok(_run(home, "demo", "--db", url, "--world", "w", "-j", "2"))
    info2 = json.loads(_ok(_run(home, "store", "info", "--db", url, "-f", "json")))
    chains2 = json.loads(_ok(_run(home, "chains", "--db", url, "-f", "json")))
    return {"url": url, "json": first, "text": text, "info": (info1, info2),
            "chains": (chains1, chains2)}  # fmt: skip


def test_json_has_the_chains_shape_plus_suppliers(kept: dict[str, Any]) -> None:
    doc = kept["json"]
    assert set(doc) == {"chains", "suppliers"}
    assert doc["chains"], "the sample world yields no chain"
    ids = {c["id"] for c in doc["chains"]}
    for chain in doc["chains"]:
        assert {"id", "artifacts", "infrastructure", "cases", "regions", "suppliers"} <= set(chain)
        assert all(re.fullmatch(r"[0-9a-f]{64}", s) for s in chain["artifacts"])
        for item in chain["infrastructure"]:
            assert {"kind", "value", "role", "artifacts"} <= set(item)
        assert chain["regions"] == sorted({c["region"] for c in chain["cases"]})
        for ref in chain["suppliers"]:
            assert {"kind", "value", "role", "chains"} <= set(ref) and ref["chains"] >= 2
    assert any(c["cases"] and c["regions"] for c in doc["chains"])
    assert doc["suppliers"], "no supplier shared across chains"
    for sup in doc["suppliers"]:
        assert len(sup["chains"]) >= 2 and set(sup["chains"]) <= ids


def test_kept_store_holds_what_the_demo_printed(kept: dict[str, Any]) -> None:
    truth = json.loads((Path(kept["url"].removeprefix("sqlite:///")).parent / "w" / "truth.json")
                       .read_text())  # fmt: skip
    info1, _ = kept["info"]
    assert info1["artifacts"] == len(truth["artifacts"])  # the artifacts, not the brand icons
    assert info1["cases"] == len(truth["cases"]) and info1["unresolved"] == 0
    chains1, _ = kept["chains"]
    assert chains1["chains"] == kept["json"]["chains"]


def test_rerun_on_the_same_store_is_idempotent(kept: dict[str, Any]) -> None:
    info1, info2 = kept["info"]
    assert (info2["artifacts"], info2["cases"]) == (info1["artifacts"], info1["cases"])
    chains1, chains2 = kept["chains"]
    assert chains2 == chains1


def test_text_shows_chains_suppliers_regions_and_next_steps(kept: dict[str, Any]) -> None:
    text, doc = kept["text"], kept["json"]
    assert CHAIN_ID.findall(text) == [c["id"] for c in doc["chains"]]
    for chain in doc["chains"]:
        block = text.split("\n" + chain["id"], 1)[1].split("\n\n", 1)[0]
        assert all(region in block for region in chain["regions"])
        assert f"cases       {len(chain['cases'])} in" in block or not chain["cases"]
    served = [int(n) for n in SUPPLIER_LINE.findall(text)]
    assert served and all(n >= 2 for n in served)
    spread = [c for c in doc["chains"] if len(c["regions"]) > 1]
    coordination = text.split("cross-region coordination", 1)[1]
    assert all(c["id"] in coordination for c in spread)
    assert f"chaincut chain {doc['chains'][0]['id']} --db {kept['url']}" in text
    assert "chaincut scan FILE" in text


def test_default_run_leaves_the_user_store_alone(tmp_path: Path) -> None:
    text = _ok(_run(tmp_path, "demo"))
    assert CHAIN_ID.search(text) and "shared supplier(s)" in text
    assert "temporary" in text
    assert not list(tmp_path.rglob("*.sqlite")), "the demo wrote a store outside its temp dir"


def test_refuses_a_store_holding_other_evidence(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'mine.sqlite'}"
    apk = FIXTURES / "apk" / "labels_locales.apk"
    _ok(_run(tmp_path, "ingest", str(apk), "--db", url, "-q"))
    _usage_error(_run(tmp_path, "demo", "--db", url), "not from this demo world")
    info = json.loads(_ok(_run(tmp_path, "store", "info", "--db", url, "-f", "json")))
    assert info["artifacts"] == 1 and info["cases"] == 0


def test_bad_options_are_one_line_errors(tmp_path: Path) -> None:
    _usage_error(_run(tmp_path, "demo", "--format", "yaml"), "unknown format")
    (tmp_path / "file").write_text("x")
    _usage_error(_run(tmp_path, "demo", "--world", "file"), "is not a directory")
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "a.txt").write_text("x")
    _usage_error(_run(tmp_path, "demo", "--world", "notes"), "neither empty nor a simulated")
    _usage_error(_run(tmp_path, "demo", "--db", "mysql://x/y"), "unsupported database")
