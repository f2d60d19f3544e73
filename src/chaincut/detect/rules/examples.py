"""A rule's examples as feature sets: inline ``features:`` or a facts/artifact file.

Examples are the rule's own tests: the linter runs the whole rule set on each and checks
that the rule matches (``expect: true``) or does not (``expect: false``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from chaincut.detect.features import FeatureSet, Value
from chaincut.detect.rules.model import Example, Rule
from chaincut.facts.models import FactsDocument


class ExampleError(ValueError):
    """An example that cannot be turned into features (missing file, bad value)."""


def inline_features(features: dict[str, Any], default_kind: str) -> FeatureSet:
    """``{kind: value or [values]}`` as a FeatureSet; ``artifact.kind`` defaults to the
    rule's first scope."""
    fs = FeatureSet()
    if "artifact.kind" not in features:
        fs.add("artifact.kind", default_kind)
    for kind, raw in features.items():
        values = raw if isinstance(raw, list) else [raw]
        for v in values:
            if not isinstance(v, str | int | bool):
                raise ExampleError(f"example value for {kind} must be a scalar, not {v!r}")
            value: Value = v
            fs.add(str(kind), value)
    return fs


def _resolve(ref: str, rule: Rule) -> Path:
    candidates = [Path(ref)]
    if rule.path is not None:
        candidates.insert(0, rule.path.parent / ref)
    for path in candidates:
        if path.is_file():
            return path
    raise ExampleError(f"example file {ref!r} not found (relative to the rule or the cwd)")


def _document(path: Path) -> FactsDocument:
    if path.suffix in (".json", ".jsonl"):
        text = path.read_text(encoding="utf-8").strip().splitlines()[0]
        return FactsDocument.model_validate_json(text)
    from chaincut.extractors.dispatch import extract_sample, make_sample

    return extract_sample(make_sample(str(path), path.read_bytes())).document


def example_features(example: Example, rule: Rule) -> FeatureSet:
    """The FeatureSet an example stands for."""
    if example.features is not None:
        return inline_features(example.features, rule.scopes[0])
    if example.facts is None:
        raise ExampleError("an example needs 'features' or 'facts'")
    from chaincut.detect.features import extract_features
    from chaincut.knowledge.kb import load_knowledge

    return extract_features(_document(_resolve(example.facts, rule)), load_knowledge())
