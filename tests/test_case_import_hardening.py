"""Case CSVs as they arrive from other units (issue 14 item 4, issue 11 case import).

A shared case file is untrusted: its references stay inside its folder (and the paths
named on the command line), and real-world files (GBK, Traditional region names, the
full-width separator, names holding ``;``) are read or get a clear line. Runs in-process
(CliRunner) to stay fast; the store is inspected directly.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chaincut.cli.app import app
from chaincut.link.regions import normalize_region, region_key
from chaincut.store.cases_csv import check_reference, split_artifacts
from tests.cli_helpers import FIXTURES
from tests.fetch_site import Route, apk_bytes, html, serve

HEADER = "case_id,region,reported_at,loss_amount,artifacts,notes\n"
APK_A = FIXTURES / "apk" / "unsigned.apk"
APK_B = FIXTURES / "apk" / "v2v3.apk"


def _ingest(tmp_path: Path, *args: str) -> tuple[int, str]:
    db = f"sqlite:///{tmp_path / 'store' / 'chaincut.sqlite'}"
    result = CliRunner().invoke(app, ["ingest", "--db", db, "-j", "1", *args])
    return result.exit_code, " ".join(result.output.split())  # rich wraps long lines


def _rows(tmp_path: Path, sql: str) -> list[tuple[object, ...]]:
    path = tmp_path / "store" / "chaincut.sqlite"
    if not path.exists():
        return []
    with sqlite3.connect(path) as conn:
        return list(conn.execute(sql).fetchall())


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _blob_files(tmp_path: Path) -> list[Path]:
    return [p for p in (tmp_path / "store").rglob("*") if p.is_file() and "blobs" in p.parts]


def test_references_outside_the_csv_folder_are_refused_and_nothing_is_stored(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "case"
    folder.mkdir()
    (tmp_path / "outside.apk").write_bytes(APK_A.read_bytes())
    (folder / "inside.apk").write_bytes(APK_B.read_bytes())
    os.symlink(tmp_path / "outside.apk", folder / "link.apk")
    csv = folder / "cases.csv"
    csv.write_text(
        HEADER
        + "A1,广东,2024-05-01,,/etc/passwd,\n"
        + "A2,广东,2024-05-01,,../outside.apk,\n"
        + "A3,广东,2024-05-01,,~/.bashrc,\n"
        + "A4,广东,2024-05-01,,/proc/self/environ,\n"
        + "A5,广东,2024-05-01,,link.apk;inside.apk,\n",
        encoding="utf-8",
    )
    code, out = _ingest(tmp_path, "--cases", str(csv))
    assert code == 2
    assert "case 'A1': artifact '/etc/passwd' refused: an absolute path outside" in out
    assert "case 'A2': artifact '../outside.apk' refused: a path that climbs out (..)" in out
    assert "case 'A3': artifact '~/.bashrc' refused: a home-directory path (~)" in out
    assert "case 'A4': artifact '/proc/self/environ' refused: an absolute path outside" in out
    assert "case 'A5': artifact 'link.apk' refused: a symbolic link leading outside" in out
    assert "nothing was imported" in out and "Traceback" not in out
    assert _rows(tmp_path, "SELECT sha256 FROM artifacts") == []
    assert _rows(tmp_path, "SELECT id FROM cases") == []
    assert _blob_files(tmp_path) == []


def test_a_fifo_is_refused_not_read(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.apk")
    found = check_reference("pipe.apk", tmp_path)
    assert found.refused == "not a regular file"


def test_paths_named_on_the_command_line_may_be_referenced(tmp_path: Path) -> None:
    evidence = tmp_path / "evidence"
    evidence.mkdir()
    (evidence / "a.apk").write_bytes(APK_A.read_bytes())
    cases = tmp_path / "reports"
    cases.mkdir()
    csv = cases / "cases.csv"
    csv.write_text(HEADER + "B1,GD,2024-05-01,,../evidence/a.apk,\n", encoding="utf-8")
    code, out = _ingest(tmp_path, str(evidence), "--cases", str(csv))
    assert code == 0, out
    assert _rows(tmp_path, "SELECT sha256 FROM case_artifacts") == [(_sha(APK_A),)]


def test_semicolons_in_names_are_percent_encoded_and_the_full_width_separator_splits(
    tmp_path: Path,
) -> None:
    (tmp_path / "a;b.apk").write_bytes(APK_A.read_bytes())
    (tmp_path / "c.apk").write_bytes(APK_B.read_bytes())
    (tmp_path / "100%25.apk").write_bytes(b"")  # exists as written: taken as written
    assert split_artifacts("a%3Bb.apk；c.apk ; d") == ["a%3Bb.apk", "c.apk", "d"]
    csv = tmp_path / "cases.csv"
    csv.write_text(HEADER + "C1,廣東省,2024-05-01,,a%3Bb.apk；c.apk,\n", encoding="utf-8")
    code, out = _ingest(tmp_path, "--cases", str(csv))
    assert code == 0, out
    refs = _rows(tmp_path, "SELECT reference, sha256 FROM case_artifacts ORDER BY ordinal")
    assert refs == [("a;b.apk", _sha(APK_A)), ("c.apk", _sha(APK_B))]
    assert "unknown region" not in out
    assert check_reference("100%25.apk", tmp_path).path == (tmp_path / "100%25.apk").resolve()


def test_gbk_file_gets_the_command_to_convert_it(tmp_path: Path) -> None:
    csv = tmp_path / "cases.csv"
    csv.write_bytes((HEADER + "D1,广东,2024-05-01,,,贷款客服\n").encode("gbk"))
    code, out = _ingest(tmp_path, "--cases", str(csv))
    assert code == 2
    assert "it reads as GBK" in out and "iconv -f GBK -t UTF-8 cases.csv" in out
    assert _rows(tmp_path, "SELECT id FROM cases") == []


def test_unknown_region_and_missing_file_are_reported_with_the_case(tmp_path: Path) -> None:
    csv = tmp_path / "cases.csv"
    csv.write_text(HEADER + "E1,火星,2024-05-01,,gone.apk,\n", encoding="utf-8")
    code, out = _ingest(tmp_path, "--cases", str(csv))
    assert code == 0, out
    assert "case 'E1': unknown region '火星', kept as typed" in out
    looked = tmp_path.resolve() / "gone.apk"
    said = f"case E1 (火星): unresolved artifact 'gone.apk': file not found (looked for {looked})"
    assert said in out


@pytest.mark.parametrize(
    ("typed", "key"),
    [("廣東省", "广东"), ("內蒙古自治區", "内蒙古"), ("廣西壯族自治區", "广西"),
     ("澳門特別行政區", "澳门"), ("臺灣", "台湾"), ("黑龍江省", "黑龙江")],
)
def test_traditional_names_with_suffixes_are_normalised(typed: str, key: str) -> None:
    assert region_key(typed) == key == normalize_region(typed)


def test_unknown_region_is_kept_as_typed() -> None:
    assert region_key(" Atlantis ") is None and normalize_region(" Atlantis ") == "Atlantis"


def test_a_case_csv_given_as_an_artifact_warns(tmp_path: Path) -> None:
    csv = tmp_path / "cases.csv"
    csv.write_text(HEADER + "F1,GD,2024-05-01,,,\n", encoding="utf-8")
    code, out = _ingest(tmp_path, str(csv))
    assert "looks like a case-report CSV but was given as an artifact; pass it with --cases" in out
    assert code in (0, 1)


def test_ingest_a_url_offline_and_crawled(tmp_path: Path) -> None:
    """Offline: the URL document alone. With --fetch: the crawl's documents, each stored."""
    code, out = _ingest(tmp_path, "https://kit.example/download")
    assert code == 0, out
    kinds = _rows(tmp_path, "SELECT kind FROM artifacts")
    assert kinds == [("url",)]
    routes = {
        "/": html('<html><a href="/app.apk">Android</a></html>'),
        "/app.apk": Route(apk_bytes(), content_type="application/octet-stream"),
    }
    with serve(routes) as site:
        code, out = _ingest(tmp_path, site.url("/"), "--fetch", "--allow-private")
        assert site.hits("/app.apk") == 1
    assert code == 0, out
    kinds = sorted(k for (k,) in _rows(tmp_path, "SELECT kind FROM artifacts"))
    assert kinds == ["apk", "page", "url", "url"]
    assert "--allow-private: reached a private destination" in out
    assert _sha(APK_B) in {s for (s,) in _rows(tmp_path, "SELECT sha256 FROM artifacts")}
