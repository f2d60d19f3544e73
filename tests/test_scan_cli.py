"""``chaincut scan`` end to end: every input kind yields one interfaces.md section 3
object, the HTML report is written, and user mistakes get one line and exit 2."""

from __future__ import annotations

from pathlib import Path

from tests.cli_helpers import FIXTURES, jsonl, run_cli

REQUIRED = {
    "sha256", "path", "kind", "verdict", "score", "category",
    "impersonates", "evidence", "indicators", "errors",
}  # fmt: skip
INPUTS = {
    "apk": FIXTURES / "apk" / "labels_locales.apk",
    "ipa": FIXTURES / "ios" / "adhoc_uniapp.ipa",
    "mobileconfig": FIXTURES / "ios" / "rootca_vpn.mobileconfig",
    "page": FIXTURES / "web" / "pages" / "loan_landing.html",
    "qr": FIXTURES / "web" / "qr" / "photo_url.jpg",
}


def test_every_kind_yields_a_section_3_result(tmp_path: Path) -> None:
    url = "http://203.0.113.9:8080/download/icbc-app.apk"
    args = [str(p) for p in INPUTS.values()]
    proc = run_cli("scan", *args, url, "-f", "jsonl", "-q", "--html", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    rows = jsonl(proc.stdout)
    assert [r["kind"] for r in rows] == [*INPUTS, "url"]
    for row in rows:
        assert set(row) >= REQUIRED, row["path"]
        assert row["verdict"] in ("malicious", "suspicious", "clean", "unknown")
        assert 0 <= row["score"] <= 100
        for ev in row["evidence"]:
            assert ev["rule"] and ev["detail"]
            assert ev["severity"] in ("info", "low", "medium", "high")
        points = sum(e.get("score", 0) for e in row["evidence"])
        assert row["score"] == min(100, points) or row["verdict"] == "clean"
        page = tmp_path / f"{row['sha256']}.html"
        assert page.is_file() and row["verdict"] in page.read_text(encoding="utf-8")
    by_kind = {r["kind"]: r for r in rows}
    profile = by_kind["mobileconfig"]
    assert profile["verdict"] in ("suspicious", "malicious"), profile["evidence"]
    assert {"kind": "url", "value": url} in [
        {"kind": i["kind"], "value": i["value"]} for i in by_kind["url"]["indicators"]
    ]
    assert by_kind["ipa"]["indicators"], "an IPA lists its team id and bundle id"


def test_text_report_and_fail_on(tmp_path: Path) -> None:
    proc = run_cli("scan", str(INPUTS["mobileconfig"]), "--trees", "--fail-on", "suspicious")
    assert proc.returncode == 3, proc.stderr
    assert "SUSPICIOUS" in proc.stdout or "MALICIOUS" in proc.stdout


def test_user_mistakes_get_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "brands.yaml"
    bad.write_text("brands: [{id: 'Bad Id', names: [x], category: banking}]\n", encoding="utf-8")
    for args in (
        ["--brands", str(bad)],
        ["--brands", str(tmp_path / "missing.yaml")],
        ["--format", "xml"],
        ["--fail-on", "clean"],
    ):
        proc = run_cli("scan", str(INPUTS["apk"]), *args)
        assert proc.returncode == 2, (args, proc.stderr)
        assert "Traceback" not in proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
