"""The command line as a user meets it: clear errors, one document per file, input order."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli_helpers import FIXTURES, jsonl, run_cli

APK_FIXTURES = FIXTURES / "apk"


def test_missing_path_is_one_line_and_exit_2(tmp_path: Path) -> None:
    proc = run_cli("facts", str(tmp_path / "nope.apk"))
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "path not found" in proc.stderr
    assert proc.stdout == ""


def test_directory_without_packages(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello")
    proc = run_cli("facts", str(tmp_path))
    assert proc.returncode == 2
    assert "no app packages" in proc.stderr
    assert "skipped 1 file" in proc.stderr  # the skip is reported, not silent
    assert "Traceback" not in proc.stderr


def test_file_that_is_not_an_archive_still_gets_a_document(tmp_path: Path) -> None:
    bogus = tmp_path / "bank.apk"
    bogus.write_bytes(b"MZ\x90\x00" + b"\x00" * 200)  # a Windows executable named .apk
    proc = run_cli("facts", str(bogus))
    assert proc.returncode == 1
    (doc,) = jsonl(proc.stdout)
    assert doc["kind"] == "other" and doc["format"] == "pe"
    assert any("Windows PE" in e for e in doc["errors"])
    assert "nothing could be read" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    proc = run_cli("facts", "--format", "yaml", str(tmp_path))
    assert proc.returncode == 2
    assert "unknown format" in proc.stderr


def test_documents_follow_input_order(tmp_path: Path) -> None:
    apks = sorted(APK_FIXTURES.glob("*.apk"))[:4]
    assert len(apks) == 4, "fixtures missing: run tests/fixtures/build_fixtures.py"
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"\x00" * 10)
    order = [str(apks[2]), str(junk), str(apks[0]), str(apks[3]), str(apks[1])]
    proc = run_cli("facts", "--jobs", "2", *order)
    docs = jsonl(proc.stdout)
    assert [d["path"] for d in docs] == order
    assert docs[1]["kind"] == "other"
    assert proc.returncode == 1  # one input was not a package


def test_json_and_text_formats() -> None:
    apk = str(APK_FIXTURES / "labels_locales.apk")
    proc = run_cli("facts", "--format", "json", apk)
    assert proc.returncode == 0, proc.stderr
    docs = json.loads(proc.stdout)
    assert isinstance(docs, list) and docs[0]["kind"] == "apk"
    package = docs[0]["apk"]["package"]
    text = run_cli("facts", "--format", "text", apk)
    assert text.returncode == 0
    assert package in text.stdout


def test_output_file(tmp_path: Path) -> None:
    out = tmp_path / "facts.jsonl"
    apk = str(APK_FIXTURES / "labels_locales.apk")
    proc = run_cli("facts", "-o", str(out), apk)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    (doc,) = jsonl(out.read_text())
    assert doc["path"] == apk


def test_version() -> None:
    proc = run_cli("--version")
    assert proc.returncode == 0 and proc.stdout.startswith("chaincut ")
