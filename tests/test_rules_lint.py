"""The linter over the shipped rules (the CI check) and over broken rule folders."""

from __future__ import annotations

import re
from pathlib import Path

from chaincut.detect.rules import load_rules
from chaincut.detect.rules.lint import lint
from chaincut.detect.rules.loader import BUILTIN, rule_files
from chaincut.extractors.dispatch import extract_sample, make_sample
from tests.cli_helpers import run_cli

ROOT = Path(__file__).resolve().parents[1]

NAMESPACES = {"android", "fraud", "ios", "distribution", "anomaly", "component"}
SHA256 = re.compile(r"\b[0-9a-fA-F]{64}\b")


def test_shipped_rules_lint_clean_with_examples() -> None:
    problems, count = lint()
    assert count >= 50
    assert [str(p) for p in problems] == []


def test_every_shipped_rule_has_a_positive_and_a_negative_example() -> None:
    for rule in load_rules():
        expects = {e.expect for e in rule.meta.examples}
        assert expects == {True, False}, rule.id


def test_shipped_rules_cover_the_namespaces_and_name_no_hashes() -> None:
    rules = load_rules()
    assert {r.id.split("/")[0] for r in rules} == NAMESPACES
    for r in rules:
        if r.id.startswith("component/"):
            assert r.severity == "info" and r.score == 0, r.id
    for path in rule_files(BUILTIN):
        assert not SHA256.search(path.read_text(encoding="utf-8")), path


def _write(root: Path, rule_id: str, body: str, scopes: str = "[apk]") -> None:
    path = root / f"{rule_id}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"rule:\n  id: {rule_id}\n  name: n\n  severity: low\n  score: 1\n  scopes: {scopes}\n"
        + body
    )


def test_lint_reports_each_kind_of_problem(tmp_path: Path) -> None:
    _write(tmp_path, "x/unknown-kind", "  features:\n    frob: 1\n")
    _write(tmp_path, "x/bad-regex", "  features:\n    api: /(/\n")
    _write(tmp_path, "x/wrong-type", "  features:\n    cert.self_signed: yes-please\n")
    _write(tmp_path, "x/unreachable", "  features:\n    permission: any\n", scopes="[url]")
    _write(tmp_path, "x/missing-dep", "  features:\n    match: x/nowhere\n")
    _write(tmp_path, "x/cycle-a", "  features:\n    match: x/cycle-b\n")
    _write(tmp_path, "x/cycle-b", "  features:\n    match: x/cycle-a\n")
    _write(tmp_path, "x/template", "  detail: '{nonsense}'\n  features:\n    api: any\n")
    (tmp_path / "x" / "template.yml").write_text((tmp_path / "x" / "template.yaml").read_text())
    _write(
        tmp_path,
        "x/failing-example",
        "  features:\n    api: any\n  examples:\n    - features: {permission: a}\n"
        "      expect: true\n",
    )
    _write(tmp_path, "x/wrong-id", "  features:\n    api: any\n")
    text = (tmp_path / "x" / "wrong-id.yaml").read_text()
    (tmp_path / "x" / "wrong-id.yaml").write_text(text.replace("id: x/wrong-id", "id: x/other"))
    problems, _ = lint([tmp_path], builtin=False)
    messages = "\n".join(str(p) for p in problems)
    for needle in [
        "unknown feature kind 'frob'",
        "bad regex",
        "is not of type bool",
        "unreachable",
        "depends on unknown rule 'x/nowhere'",
        "cycle",
        "unknown feature kind 'nonsense'",
        "duplicate id",
        "must be 'x/wrong-id'",
    ]:
        assert needle in messages, needle


def test_lint_runs_examples_after_cycles_are_gone(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "x/failing-example",
        "  features:\n    api: any\n  examples:\n    - features: {permission: a}\n"
        "      expect: true\n",
    )
    _write(tmp_path, "x/untested", "  features:\n    api: any\n")
    problems, count = lint([tmp_path], builtin=False)
    assert count == 2
    assert sorted((p.level, p.where, p.message) for p in problems) == [
        ("error", "x/failing-example", "example 1: expected True, got False"),
        ("warning", "x/untested", "no examples"),
    ]


def test_examples_from_artifacts_and_facts_files(tmp_path: Path) -> None:
    apk = ROOT / "tests" / "fixtures" / "apk" / "fake_encryption_flag.apk"
    doc = extract_sample(make_sample(str(apk), apk.read_bytes())).document
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "facts.json").write_text(doc.model_dump_json())
    _write(
        tmp_path,
        "x/fake-enc",
        "  features:\n    anomaly: fake_encryption_flag\n  examples:\n"
        f"    - facts: {apk}\n      expect: true\n"
        "    - facts: facts.json\n      expect: true\n"
        "    - facts: missing.json\n      expect: true\n",
    )
    problems, _ = lint([tmp_path], builtin=False)
    assert [p.message for p in problems] == [
        "example 3: example file 'missing.json' not found (relative to the rule or the cwd)"
    ]


def test_cli_lint_and_list(tmp_path: Path) -> None:
    ok = run_cli("rules", "lint")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "0 errors" in ok.stderr
    _write(tmp_path, "x/bad", "  features:\n    frob: 1\n")
    bad = run_cli("rules", "lint", "--rules", str(tmp_path))
    assert bad.returncode == 1 and "unknown feature kind" in bad.stdout
    (tmp_path / "x" / "bad.yaml").unlink()
    _write(
        tmp_path,
        "android/sms-send",
        "  features:\n    permission: any\n",
    )
    listed = run_cli("rules", "list", "--rules", str(tmp_path))
    assert listed.returncode == 0, listed.stderr
    lines = dict(line.split("\t", 1) for line in listed.stdout.splitlines())
    assert lines["android/sms-send"] == "low\t1\tn"
    assert lines["fraud/webview-remote-shell"].startswith("low\t25\t")
    missing = run_cli("rules", "list", "--rules", str(tmp_path / "nope"))
    assert missing.returncode == 2 and "not a folder" in missing.stderr


def test_lint_lists_every_error_of_every_file_in_one_run(tmp_path: Path) -> None:
    """A file with three mistakes shows three errors, and the next file's still show."""
    root = tmp_path / "x"
    root.mkdir()
    (root / "many.yaml").write_text(
        "rule:\n  id: x/other\n  name: n\n  severity: huge\n  score: lots\n  scopes: [apk]\n"
        "  features:\n    and:\n      - frob(: 1\n      - permission: a\n      - bad stmt(: 2\n"
    )
    _write(tmp_path, "x/unknown-kind", "  features:\n    frob: 1\n")
    _write(tmp_path, "x/cycle-a", "  features:\n    match: x/cycle-b\n")
    _write(tmp_path, "x/cycle-b", "  features:\n    match: x/cycle-a\n")
    _write(
        tmp_path,
        "x/failing-example",
        "  features:\n    api: any\n  examples:\n    - features: {permission: a}\n"
        "      expect: true\n",
    )
    problems, _ = lint([tmp_path], builtin=False)
    many = [p.message for p in problems if p.where.endswith("many.yaml")]
    assert any(m.startswith("severity:") for m in many), many
    assert any(m.startswith("score:") for m in many), many
    assert any("features.and[0]" in m for m in many) and any("features.and[2]" in m for m in many)
    assert "id 'x/other' must be 'x/many'" in many
    messages = [str(p) for p in problems]
    assert any("unknown feature kind 'frob'" in m for m in messages)
    assert any("cycle" in m for m in messages)
    # a cycle elsewhere no longer hides the examples of the other rules
    assert any("example 1: expected True, got False" in m for m in messages)
    proc = run_cli("rules", "lint", "--rules", str(tmp_path))
    assert proc.returncode == 1
    assert len([line for line in proc.stdout.splitlines() if line.startswith("error:")]) == len(
        [p for p in problems if p.level == "error"]
    )
