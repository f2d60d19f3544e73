"""The rule engine: statement syntax, evidence trees, templates, loading and ordering."""

from __future__ import annotations

from pathlib import Path

import pytest

from chaincut.detect.features import FeatureSet
from chaincut.detect.rules import RuleError, RuleSet, load_rules, read_rule
from chaincut.detect.rules.detail import render
from chaincut.detect.rules.matcher import Context
from chaincut.detect.rules.statements import StatementError, parse_statement
from chaincut.facts.models import Location
from chaincut.result.models import EvidenceNode
from tests.rule_oracle import as_rule_set


def _fs(**features: object) -> FeatureSet:
    fs = FeatureSet()
    fs.add("artifact.kind", "apk")
    for kind, values in features.items():
        for v in values if isinstance(values, list) else [values]:
            fs.add(kind.replace("__", "."), v, Location(entry="classes.dex"))  # type: ignore[arg-type]
    return fs


def _eval(raw: object, fs: FeatureSet) -> EvidenceNode:
    return as_rule_set(parse_statement(raw), Context(fs))


FS = _fs(
    permission=["android.permission.SEND_SMS", "android.permission.READ_SMS"],
    api=["android.telephony.SmsManager.sendTextMessage", "java.lang.Runtime.exec"],
    cert__age_days=12,
    cert__self_signed=True,
)


def test_feature_statements() -> None:
    assert _eval({"permission": "android.permission.SEND_SMS"}, FS).success
    assert not _eval({"permission": "android.permission.send_sms"}, FS).success
    assert _eval({"api": r"/SmsManager\.send/"}, FS).success
    assert _eval({"api": r"/smsmanager\.SEND/i"}, FS).success
    assert not _eval({"api": r"/smsmanager/"}, FS).success
    assert _eval({"api": "any"}, FS).success and not _eval({"packer": "any"}, FS).success
    assert _eval({"permission": ["x", "android.permission.READ_SMS"]}, FS).success
    assert _eval({"cert.self_signed": True}, FS).success
    assert not _eval({"cert.self_signed": False}, FS).success
    assert not _eval({"cert.age_days": "12"}, FS).success  # types are not coerced


def test_boolean_count_and_number_statements() -> None:
    assert _eval({"and": [{"permission": "any"}, {"not": {"packer": "any"}}]}, FS).success
    assert not _eval({"and": [{"permission": "any"}, {"packer": "any"}]}, FS).success
    assert _eval({"or": [{"packer": "any"}, {"api": "any"}]}, FS).success
    assert _eval(
        {"2 or more": [{"packer": "x"}, {"api": "any"}, {"permission": "any"}]}, FS
    ).success
    assert not _eval(
        {"3 or more": [{"packer": "x"}, {"api": "any"}, {"permission": "any"}]}, FS
    ).success
    assert _eval({"count(permission)": {"min": 2, "max": 2}}, FS).success
    assert not _eval({"count(permission)": {"min": 3}}, FS).success
    assert _eval({"count(permission=/SMS$/)": {"min": 2}}, FS).success
    assert not _eval({"count(api=/SmsManager/)": {"min": 2}}, FS).success
    assert _eval({"number(cert.age_days)": {"max": 30}}, FS).success
    assert not _eval({"number(cert.age_days)": {"min": 30}}, FS).success
    assert _eval({"number(cert.age_days)": 12}, FS).success


@pytest.mark.parametrize(
    "raw",
    [
        {"api": "/(unclosed/"},
        {"and": []},
        {"and": [{"a": 1}], "or": []},
        {"count(permission)": "many"},
        {"number(x)": {"min": "1"}},
        {"4 or more": [{"a": 1}]},
        {"frobnicate(x)": 1},
        {"match": ["x"]},
        "permission",
    ],
)
def test_bad_statements_are_refused(raw: object) -> None:
    with pytest.raises(StatementError):
        parse_statement(raw)


def test_evidence_tree_keeps_hits_and_successful_branches() -> None:
    tree = _eval(
        {
            "and": [
                {"permission": "android.permission.SEND_SMS"},
                {"or": [{"api": r"/SmsManager\.send/"}, {"packer": "any"}]},
                {"not": {"packer": "any"}},
            ]
        },
        FS,
    )
    assert tree.success and tree.statement == "and"
    perm, either, negation = tree.children
    assert perm.hits[0].value == "android.permission.SEND_SMS"
    assert perm.hits[0].location == Location(entry="classes.dex")
    assert either.statement == "or" and len(either.children) == 1  # only what held
    assert either.children[0].hits[0].value == "android.telephony.SmsManager.sendTextMessage"
    assert negation.statement == "not" and negation.success and not negation.children[0].success


def test_detail_template() -> None:
    tree = _eval({"and": [{"api": r"/SmsManager/"}, {"permission": "any"}]}, FS)
    text = render("sends ({api}) with {count(permission)} permissions; {label}", "n", tree, FS)
    assert text == "sends (android.telephony.SmsManager.sendTextMessage) with 2 permissions; ?"
    assert render(None, "Rule name", tree, FS).startswith("Rule name: api android.telephony")


def _write(root: Path, rule_id: str, features: str, extra: str = "") -> Path:
    path = root / f"{rule_id}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"rule:\n  id: {rule_id}\n  name: {rule_id}\n  severity: medium\n  score: 10\n"
        f"  scopes: [apk]\n{extra}  features:\n{features}"
    )
    return path


def test_user_rules_add_and_override_builtins(tmp_path: Path) -> None:
    builtin = load_rules()
    assert builtin.get("android/sms-send") is not None
    _write(tmp_path, "android/sms-send", "    permission: android.permission.SEND_SMS\n")
    _write(tmp_path, "mine/any-permission", "    permission: any\n")
    merged = load_rules([tmp_path])
    assert len(merged) == len(builtin) + 1
    rule = merged.get("android/sms-send")
    assert rule is not None and not rule.builtin
    fs = _fs(permission="android.permission.SEND_SMS")
    ids = {m.rule.id for m in merged.match(fs)}
    assert {"android/sms-send", "mine/any-permission"} <= ids
    assert "android/sms-send" not in {m.rule.id for m in builtin.match(fs)}
    assert merged.version != builtin.version
    only = load_rules([tmp_path], builtin=False)
    assert len(only) == 2


def test_dependencies_run_first_and_scopes_filter(tmp_path: Path) -> None:
    _write(tmp_path, "a/top", "    and:\n      - match: a/base\n      - api: any\n")
    _write(tmp_path, "a/base", "    permission: any\n")
    urls = _write(tmp_path, "a/urls", "    url.ip_host: true\n")
    urls.write_text(urls.read_text().replace("scopes: [apk]", "scopes: [url]"))
    rules = load_rules([tmp_path], builtin=False)
    fs = _fs(url__ip_host=True)
    assert "a/urls" not in {m.rule.id for m in rules.match(fs)}  # an APK is not in scope
    url_fs = FeatureSet([])
    url_fs.add("artifact.kind", "url")
    url_fs.add("url.ip_host", True)
    assert [m.rule.id for m in rules.match(url_fs)] == ["a/urls"]
    order = [r.id for r in rules]
    assert order.index("a/base") < order.index("a/top")
    matches = {m.rule.id: m for m in rules.match(FS)}
    assert set(matches) == {"a/base", "a/top"}
    dep = matches["a/top"].tree.children[0]
    assert dep.statement == "match: a/base" and dep.children[0].success


def test_cycles_and_bad_files_are_errors(tmp_path: Path) -> None:
    _write(tmp_path, "c/one", "    match: c/two\n")
    _write(tmp_path, "c/two", "    match: c/one\n")
    with pytest.raises(RuleError, match="cycle"):
        load_rules([tmp_path], builtin=False)
    other = tmp_path / "other"
    path = _write(other, "x/y", "    permission: any\n")
    path.rename(other / "x" / "z.yaml")
    with pytest.raises(RuleError, match="must be 'x/z'"):
        read_rule(other / "x" / "z.yaml", other)
    bad = tmp_path / "bad"
    _write(bad, "x/y", "    api: /(/\n")
    with pytest.raises(RuleError, match="bad regex"):
        load_rules([bad], builtin=False)


def test_ruleset_from_rules_directly() -> None:
    rules = load_rules()
    again = RuleSet(list(rules))
    assert again.version == rules.version and len(again) == len(rules)


def test_high_severity_behaviour_flags_on_its_own() -> None:
    """docs/scoring.md: a high rule, with the rules it builds on, reaches suspicious."""
    from chaincut.detect.rules import load_rules
    from chaincut.detect.rules.loader import dependencies
    from chaincut.detect.score import SUSPICIOUS_AT

    rules = load_rules()
    for rule in rules:
        if rule.severity != "high":
            continue
        needed = [dep.score for d in dependencies(rule) if (dep := rules.get(d)) is not None]
        assert rule.score + min(needed, default=0) >= SUSPICIOUS_AT, rule.id


def test_context_rules_never_name_behaviour_as_low() -> None:
    """Builder, packer and SDK rules score nothing: ordinary apps use them too."""
    from chaincut.detect.rules import load_rules

    for rule in load_rules():
        if rule.id.startswith("component/"):
            assert (rule.severity, rule.score) == ("info", 0), rule.id
