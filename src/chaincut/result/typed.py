"""Result models built from parts that are already typed, without re-validation.

Judgement builds tens of thousands of small frozen models per thousand artifacts (rule
evidence, indicators), each from values that already passed validation or are typed by
construction; validating them again is most of what building them costs. What
:func:`typed` leaves is what ``model_construct`` leaves when every field is given (tests
compare both with validated models and their JSON); only models without validators,
extra fields or post-init hooks may be built so.
"""

from __future__ import annotations

from typing import TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)
_new = object.__new__
_setattr = object.__setattr__


def typed(cls: type[M], fields: dict[str, object]) -> M:
    """``cls.model_construct(**fields)`` for a frozen model given every field, in field
    order, without walking the fields' aliases and defaults."""
    model = _new(cls)
    _setattr(model, "__dict__", fields)
    _setattr(model, "__pydantic_fields_set__", set(fields))
    _setattr(model, "__pydantic_extra__", None)
    _setattr(model, "__pydantic_private__", None)
    return model
