"""Result models built from typed parts (``result.typed``) equal validated ones: the same
values, the same fields set and the same JSON, for every indicator and evidence item of
real scans."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from chaincut.detect.pipeline import ScanContext, scan_extraction
from chaincut.extractors.dispatch import extract_sample, make_sample
from chaincut.facts.models import Location
from chaincut.result.models import (
    Evidence,
    EvidenceNode,
    FeatureHit,
    ResultIndicator,
)
from chaincut.result.typed import typed
from tests.corpus import corpus_files

BUILT_TYPED = (Evidence, EvidenceNode, FeatureHit, ResultIndicator)


@pytest.mark.parametrize("cls", BUILT_TYPED)
def test_models_built_typed_have_nothing_validation_would_add(cls: type[BaseModel]) -> None:
    decorators = cls.__pydantic_decorators__
    assert not decorators.validators and not decorators.field_validators
    assert not decorators.model_validators and not decorators.root_validators
    assert cls.model_config.get("extra") == "forbid" and not cls.__pydantic_post_init__
    assert cls.model_config.get("frozen")


def _same_as_validated(model: BaseModel) -> None:
    given = {k: v for k, v in model.__dict__.items() if k in model.model_fields_set}
    again = type(model).model_validate(given)
    assert again == model
    assert again.model_dump_json() == model.model_dump_json()
    assert again.model_fields_set == model.model_fields_set
    assert list(model.__dict__) == list(type(model).model_fields)


def test_typed_equals_model_construct_and_validation() -> None:
    where = Location(entry="classes.dex")
    fields: dict[str, object] = {"kind": "url", "value": "http://a.example/x",
                                 "role": "distributor", "common": False, "location": where,
                                 "verified": None, "provider": None}  # fmt: skip
    built = typed(ResultIndicator, dict(fields))
    assert built == ResultIndicator(**fields) == ResultIndicator.model_construct(**fields)  # type: ignore[arg-type]
    _same_as_validated(built)


def test_scan_indicators_and_evidence_equal_validated_models() -> None:
    files = corpus_files("malware")[:40]
    assert files
    ctx = ScanContext.load()
    indicators = evidence = 0
    for path in files:
        result = scan_extraction(extract_sample(make_sample(str(path), path.read_bytes())), ctx)
        for ind in result.indicators:
            _same_as_validated(ind)
            indicators += 1
        for item in result.evidence:
            _same_as_validated(item)
            evidence += 1
    assert indicators > 100 and evidence > 50
