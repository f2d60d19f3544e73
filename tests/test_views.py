"""The investigator's views on ``chaincut demo``'s store: chain, cases, scan, HTML, help.

Each view is checked for the fields issue 15 asks for, and the text of ``chain``,
``cases`` and ``scan`` is compared with a committed snapshot (tests/snapshots). The demo
world is deterministic (seed 0), so the snapshot only changes when a view does: rewrite
it with ``CHAINCUT_UPDATE_SNAPSHOTS=1 pytest tests/test_views.py`` and review the diff.
"""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chaincut.cli.app import app
from chaincut.link.chainset import ArtifactInfo, Chain, Joined, Member
from chaincut.link.views import _recorded_join

SNAPSHOT = Path(__file__).parent / "snapshots" / "demo_views.txt"
ENV = {**os.environ, "COLUMNS": "100", "PYTHONWARNINGS": "ignore", "NO_COLOR": "1"}
VERDICT_LINE = re.compile(r"^ (MALICIOUS|SUSPICIOUS|CLEAN|UNKNOWN) +score \d+/100$")


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "chaincut", *args],
        capture_output=True, text=True, cwd=cwd, env=ENV, timeout=600,
    )  # fmt: skip


@dataclass(frozen=True)
class Demo:
    world: Path
    db: str
    chain_id: str
    region: str
    chain: str  # text of `chaincut chain`
    cases: str  # text of `chaincut cases --region`
    scan: str  # text of `chaincut scan` over the world, from inside it
    html: Path  # `--html` directory of that scan


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    tmp = tmp_path_factory.mktemp("demo")
    world, db = tmp / "world", f"sqlite:///{tmp / 'demo.sqlite'}"
    proc = cli("demo", "--world", str(world), "--db", db, "--quiet", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    first = cli("chains", "--db", db, "--format", "json")
    chains = re.findall(r'"id": "(ch-[0-9a-f]{10})"', first.stdout)
    assert chains, first.stdout
    # the largest chain reported in several provinces: the one worth a phone call
    chain_id = chains[0]
    chain = cli("chain", chain_id, "--db", db)
    assert chain.returncode == 0, chain.stderr
    region = re.search(r"^  \S+  (\S+)  AJ", chain.stdout, re.M)
    assert region is not None, chain.stdout
    cases = cli("cases", "--region", region.group(1), "--db", db)
    assert cases.returncode == 0, cases.stderr
    html = tmp / "html"
    scan = cli("scan", "apk", "web", "qr", "--brands", "brands.yaml", "-q", "--html", str(html),
               cwd=world)  # fmt: skip
    assert scan.returncode == 0, scan.stderr
    yield Demo(world, db, chain_id, region.group(1), chain.stdout, cases.stdout, scan.stdout, html)


def test_snapshot_of_chain_cases_and_scan(demo: Demo) -> None:
    text = (
        f"$ chaincut chain {demo.chain_id}\n{demo.chain}\n"
        f"$ chaincut cases --region {demo.region}\n{demo.cases}\n"
        f"$ chaincut scan apk web qr --brands brands.yaml\n{demo.scan}"
    )
    if os.environ.get("CHAINCUT_UPDATE_SNAPSHOTS") == "1":
        SNAPSHOT.parent.mkdir(exist_ok=True)
        SNAPSHOT.write_text(text, encoding="utf-8")
    assert SNAPSHOT.is_file(), "no snapshot: run with CHAINCUT_UPDATE_SNAPSHOTS=1"
    assert text == SNAPSHOT.read_text(encoding="utf-8")


def test_chain_view_names_members_says_how_they_joined_and_lists_cases(demo: Demo) -> None:
    text = demo.chain
    assert text.startswith(f"chain {demo.chain_id}")
    members = re.findall(r"^  (\S+)  (apk|ipa|page|qr|url|mobileconfig) "
                         r"(malicious|suspicious|clean|unknown) \d+", text, re.M)  # fmt: skip
    assert len(members) >= 2
    names = {m[0] for m in members}
    assert all(re.fullmatch(r"[\w.-]+\.(apk|ipa|html|png|mobileconfig|plist)", n) for n in names)
    # every member says how it joined: an indicator shared with a named other member
    blocks = re.split(r"^  (?=\S+  (?:apk|ipa|page|qr|url|mobileconfig) )", text, flags=re.M)
    for block in blocks[1:]:
        if "\ncases (" in block:
            block = block.split("\ncases (")[0]
        shares = re.findall(r"shares \w+ \w+ \S+ with (.+)$", block, re.M)
        assert shares, block
        assert any(other.split(",")[0].split(" +")[0] in names for other in shares), block
    # cases: date, region, id, loss, notes, and the artifacts each named
    case_lines = re.findall(r"^  (\d{4}-\d\d-\d\d)  (\S+)  (AJ\d+)  (?:¥[\d,]+|-)", text, re.M)
    assert case_lines
    _assert_notes_shown(demo, text)
    assert re.search(r"^      named \S+  \(chain ch-", text, re.M)
    # infrastructure by role, then the timeline
    roles = re.findall(r"^  (developer|packager|distributor|server|payment|contact) \(\d+\)$",
                       text, re.M)  # fmt: skip
    assert len(roles) >= 2
    assert text.index("\ninfrastructure (") < text.index("\ntimeline\n")
    assert re.search(r"^  reported \d{4}-\d\d-\d\d \.\. \d{4}-\d\d-\d\d$", text, re.M)


def _assert_notes_shown(demo: Demo, text: str) -> None:
    """Every case the view lists shows its notes from the case file (some have none)."""
    with (demo.world / "cases.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    shown = [row for row in rows if re.search(rf"  {row['case_id']}  ", text)]
    assert shown, text
    for row in shown:
        line = next(ln for ln in text.splitlines() if f"  {row['case_id']}  " in ln)
        assert line.rstrip().endswith(row["notes"].strip()), (line, row["notes"])


def test_cases_view_gives_notes_artifacts_chain_and_whom_to_call(demo: Demo) -> None:
    text = demo.cases
    assert text.startswith(f"region {demo.region}:")
    assert re.search(rf"^  \d{{4}}-\d\d-\d\d  {demo.region}  AJ\d+  (¥[\d,]+|-)", text, re.M)
    _assert_notes_shown(demo, text)
    assert re.search(r"^      named \S+\.(apk|html|png|ipa)", text, re.M)
    assert re.search(r"^      chain ch-[0-9a-f]{10}", text, re.M)
    calls = re.findall(r"^      call (\S+): cases (AJ\d+(?:, AJ\d+)*) \(chain ", text, re.M)
    assert calls and all(region != demo.region for region, _ in calls)
    assert "\nprovinces to coordinate with\n" in text


def _scan_blocks(text: str) -> list[str]:
    return [b for b in re.split(r"^─+ .+ ─+$", text, flags=re.M) if b.strip()]


def test_scan_says_what_the_artifact_is_before_the_verdict(demo: Demo) -> None:
    blocks = _scan_blocks(demo.scan)
    assert len(blocks) >= 20
    apks = 0
    for block in blocks:
        lines = block.strip("\n").splitlines()
        verdict_at = next(i for i, line in enumerate(lines) if VERDICT_LINE.match(line))
        assert lines[0].startswith("kind ") and verdict_at >= 2, block
        head = "\n".join(lines[:verdict_at])
        assert "distribution " in head, block
        if "kind         apk" in head:
            apks += 1
            for field in ("name", "package", "version", "signer", "builder", "packer"):
                assert re.search(rf"^{field} +\S", head, re.M), (field, block)
            assert re.search(r"^signer .* sha256 [0-9a-f]{64}  (verified|NOT verified)", head,
                             re.M)  # fmt: skip
        serious = re.search(r"^ *(medium|high) \+\d+ ", block, re.M)
        if serious:
            assert "No sign of fraud" not in block, block
    assert apks >= 5
    assert re.search(r"^permissions .*READ_SMS \(reads text messages", demo.scan, re.M)


def test_html_report_and_index(demo: Demo) -> None:
    index = (demo.html / "index.html").read_text(encoding="utf-8")
    reports = sorted(p.name for p in demo.html.glob("*.html") if p.name != "index.html")
    assert len(reports) == len(_scan_blocks(demo.scan))
    for name in reports:
        assert f'href="{name}"' in index
    rows = re.findall(r'<tr data-verdict="(\w+)" data-category="(\w*)">', index)
    assert len(rows) == len(reports)
    assert [r[0] for r in rows] == sorted((r[0] for r in rows), key=["malicious", "suspicious",
                                          "unknown", "clean"].index)  # fmt: skip
    assert any(r[1] == "payment" for r in rows)
    assert "<td>微信</td>" in index or "微信</td>" in index  # imitated brand column
    # a bundled script, no inline code, nothing from the network
    assert '<script src="chaincut-index.js" defer></script>' in index
    assert not re.search(r"<script>[^<]", index)
    assert not re.search(r"(src|href)=\"(https?:)?//", index)
    assert "script-src 'self'" in index  # the page's CSP allows only the bundled script
    assert (demo.html / "chaincut-index.js").is_file()
    # a report: what it is, then the verdict
    malicious = next(n for n in reports if 'data-verdict="malicious"' in index
                     and f'href="{n}"' in index.split('data-verdict="suspicious"')[0])  # fmt: skip
    page = (demo.html / malicious).read_text(encoding="utf-8")
    assert page.index("<h2>What it is</h2>") < page.index("<h2>Verdict</h2>")
    assert "<script" not in page


def test_a_second_scan_into_the_same_folder_keeps_the_first_in_the_index(
    demo: Demo, tmp_path: Path
) -> None:
    out = tmp_path / "reports"
    assert cli("scan", "apk/app-0001.apk", "-q", "--html", str(out), cwd=demo.world).returncode == 0
    assert cli("scan", "web", "-q", "--html", str(out), cwd=demo.world).returncode == 0
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "app-0001.apk" in index and "page-0001.html" in index
    afile = tmp_path / "afile"
    afile.write_text("x")
    proc = cli("scan", "apk/app-0001.apk", "--html", str(afile), cwd=demo.world)
    assert proc.returncode == 2 and "is a file" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_the_linkers_join_reason_is_shown_when_present() -> None:
    chain = Chain(id="ch-1", artifacts=["a"], infrastructure=[], cases=[], regions=[],
                  suppliers=[])  # fmt: skip
    info = ArtifactInfo(sha256="a", kind="apk", verdict="clean")
    assert _recorded_join(chain, info) is None
    flagged = info.model_copy(update={"joined": Joined(how="flagged")})
    assert "flagged by detection" in (_recorded_join(chain, flagged) or "")
    how = Joined(how="linked", kind="cert_sha256", value="ab12")
    told = info.model_copy(update={"joined": how})
    assert _recorded_join(chain, told) == "linked to ch-1 through certificate ab12"
    listed = chain.model_copy(update={"members": [Member(sha256="a", joined=how)]})
    assert _recorded_join(listed, info) == "linked to ch-1 through certificate ab12"


HELP_COMMANDS = [
    ["facts"], ["scan"], ["demo"], ["ingest"], ["chains"], ["chain"], ["suppliers"], ["cases"],
    ["export"], ["store", "info"], ["store", "custody"], ["rules", "lint"], ["rules", "list"],
    ["brands", "add"], ["sim", "build"], ["eval"],
]  # fmt: skip


@pytest.mark.parametrize("command", HELP_COMMANDS, ids=" ".join)
def test_help_shows_placeholders_a_person_understands(command: list[str]) -> None:
    result = CliRunner().invoke(app, [*command, "--help"], env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.output
    text = result.output
    assert not re.search(r"<(bool|str|int|float|path|list\[[^]]*\])>", text), text
    usage = next(line for line in text.splitlines() if "Usage:" in line)
    assert "{" not in usage and "}" not in usage, usage


def test_scan_and_facts_help() -> None:
    runner = CliRunner()
    scan = runner.invoke(app, ["scan", "--help"], env={"COLUMNS": "120"}).output
    assert "Usage: chaincut scan [OPTIONS] PATH..." in scan
    assert re.search(r"--db +URL", runner.invoke(app, ["chains", "--help"]).output)
    facts = runner.invoke(app, ["facts", "--help"], env={"COLUMNS": "200"}).output
    for kind in ("APK", "DEX", "IPA", ".mobileconfig", "itms-services", "landing pages",
                 "URLs", "QR images"):  # fmt: skip
        assert kind in facts, kind


def test_sim_build_never_mixes_two_worlds(tmp_path: Path) -> None:
    runner = CliRunner()
    afile = tmp_path / "afile"
    afile.write_text("not a world")
    res = runner.invoke(app, ["sim", "build", "--size", "tiny", "--out", str(afile)])
    assert res.exit_code == 2 and "is a file" in res.output
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    res = runner.invoke(app, ["sim", "build", "--size", "tiny", "--out", str(mine), "--replace"])
    assert res.exit_code == 2 and "holds no simulated world" in res.output
    assert (mine / "notes.txt").read_text() == "keep me"
    world = tmp_path / "w"
    args = ["sim", "build", "--size", "tiny", "--seed", "1", "--out", str(world)]
    assert runner.invoke(app, args).exit_code == 0
    (world / "apk" / "stray.apk").write_bytes(b"PK")
    res = runner.invoke(app, ["sim", "build", "--size", "tiny", "--seed", "2", "--out",
                              str(world)])  # fmt: skip
    assert res.exit_code == 2 and "--replace" in res.output
    assert json.loads((world / "truth.json").read_text())["seed"] == 1  # untouched
    res = runner.invoke(app, ["sim", "build", "--size", "tiny", "--seed", "2", "--out",
                              str(world), "--replace"])  # fmt: skip
    assert res.exit_code == 0, res.output
    assert not (world / "apk" / "stray.apk").exists()
    assert json.loads((world / "truth.json").read_text())["seed"] == 2


def test_exports_of_the_demo_store_parse_and_are_logged_with_absolute_paths(
    demo: Demo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real store writes ``+00:00`` times: the STIX bundle must still validate."""
    import networkx as nx
    import stix2

    monkeypatch.chdir(tmp_path)
    for fmt, out in (("stix", "b.json"), ("graphml", "g.graphml"), ("csv", "csv")):
        proc = cli("export", "--format", fmt, "-o", out, "--db", demo.db, cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
    bundle = stix2.parse((tmp_path / "b.json").read_text(encoding="utf-8"), allow_custom=False)
    assert any(o.type == "intrusion-set" for o in bundle.objects)
    graph = nx.read_graphml(tmp_path / "g.graphml", force_multigraph=True)
    cases = [n for n, d in graph.nodes(data=True) if d["type"] == "Case"]
    truth = json.loads((demo.world / "truth.json").read_text(encoding="utf-8"))
    assert len(cases) == len(truth["cases"])  # every case, in a chain or not
    log = cli("store", "custody", "--db", demo.db, "--format", "jsonl").stdout.splitlines()
    exports = [json.loads(line) for line in log if '"action":"export"' in line.replace(" ", "")]
    assert len(exports) >= 3
    for entry in exports[-3:]:
        assert Path(entry["subject"]).is_absolute()
        assert all(Path(f["path"]).is_absolute() for f in entry["details"]["files"])


def test_apple_team_ids_keep_their_case_in_chains() -> None:
    from chaincut.link.chains import build_chains
    from chaincut.link.graph import normalize_value
    from chaincut.link.model import ArtifactRecord
    from chaincut.result.models import ResultIndicator

    assert normalize_value("team_id", " 9Z8Y7X6W5V ") == "9Z8Y7X6W5V"
    assert normalize_value("team_id", "9z8y7x6w5v") == "9Z8Y7X6W5V"  # one team, one spelling
    records = [
        ArtifactRecord(sha256=f"{i:064x}", kind="ipa", verdict="malicious", score=90,
                       indicators=[ResultIndicator(kind="team_id", value="9Z8Y7X6W5V"),
                                   ResultIndicator(kind="domain", value=f"x{i}.example")])
        for i in range(3)
    ]  # fmt: skip
    cs = build_chains(records, [])
    teams = {i.value for c in cs.chains for i in c.infrastructure if i.kind == "team_id"}
    assert teams == {"9Z8Y7X6W5V"}
