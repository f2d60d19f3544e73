"""The shipped rules on real samples: malware must show malicious behaviour, the
androguard test apps must not trip any high-severity rule. (Speed: benchmarks/bench_judge.py.)"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import pytest

from chaincut.detect.features import extract_features
from chaincut.detect.rules import RuleMatch, load_rules
from chaincut.detect.rules.loader import BUILTIN, rule_files
from chaincut.extractors.dispatch import extract_sample, make_sample
from chaincut.facts.models import FactsDocument
from chaincut.knowledge.kb import load_knowledge
from tests.corpus import corpus_dir, corpus_files, malware_manifest

pytestmark = pytest.mark.corpus
BEHAVIOURAL = ("android/", "fraud/", "anomaly/")


@dataclass
class Judged:
    path: Path
    doc: FactsDocument
    matches: list[RuleMatch]


@dataclass
class Run:
    judged: list[Judged]
    extract_s: float
    judge_s: float


def _run(paths: list[Path]) -> Run:
    kb, rules = load_knowledge(), load_rules()
    docs: list[tuple[Path, FactsDocument]] = []
    t0 = time.perf_counter()
    for p in paths:
        docs.append((p, extract_sample(make_sample(str(p), p.read_bytes())).document))
    t1 = time.perf_counter()
    judged = [Judged(p, d, rules.match(extract_features(d, kb))) for p, d in docs]
    t2 = time.perf_counter()
    return Run(judged, t1 - t0, t2 - t1)


@pytest.fixture(scope="module")
def malware() -> Run:
    return _run(corpus_files("malware"))


@pytest.fixture(scope="module")
def androguard() -> Run:
    return _run(corpus_files("androguard"))


def _strong(matches: list[RuleMatch]) -> list[str]:
    return [
        m.rule.id
        for m in matches
        if m.rule.severity in ("medium", "high") and m.rule.id.startswith(BEHAVIOURAL)
    ]


def test_malware_shows_malicious_behaviour(malware: Run) -> None:
    entries = cast(list[dict[str, str]], malware_manifest())  # the file holds a list
    families = {e["file"]: e["family"] for e in entries}
    table: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    android = hit = 0
    for j in malware.judged:
        if j.doc.apk is None:
            continue  # the Windows executables named .apk
        android += 1
        row = table[families.get(j.path.name, "?")]
        row[0] += 1
        if _strong(j.matches):
            hit += 1
            row[1] += 1
    print(f"\n{'family':32} samples  with a medium/high behavioural match")
    for family, (n, k) in sorted(table.items()):
        print(f"{family:32} {n:7}  {k}")
    print(f"{'total':32} {android:7}  {hit} ({hit / android:.0%})")
    assert android >= 70
    assert hit / android >= 0.9


def test_androguard_test_apps_trip_no_high_rule(androguard: Run) -> None:
    fired: dict[str, list[str]] = defaultdict(list)
    for j in androguard.judged:
        for m in j.matches:
            fired[m.rule.id].append(j.path.name)
    print("\nrules firing on the androguard test apps:")
    for rule_id, names in sorted(fired.items()):
        print(f"  {rule_id}: {len(names)} ({', '.join(sorted(names)[:4])})")
    high = {
        m.rule.id: j.path.name for j in androguard.judged for m in j.matches
        if m.rule.severity == "high"
    }  # fmt: skip
    assert high == {}


def test_rules_name_nothing_from_the_corpus(malware: Run) -> None:
    corpus_dir("malware")
    text = "\n".join(p.read_text(encoding="utf-8") for p in rule_files(BUILTIN)).lower()
    for j in malware.judged:
        names = [j.doc.sha256]
        if j.doc.apk is not None:
            names += [c.sha256 for c in j.doc.apk.signing.certificates]
            names += [j.doc.apk.package] if j.doc.apk.package else []
        for name in names:
            assert name.lower() not in text, f"a rule names {name} from {j.path.name}"
