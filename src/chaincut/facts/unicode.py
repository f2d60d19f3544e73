"""Valid Unicode in every document: lone surrogates replaced, and the replacement recorded.

Python strings may hold lone UTF-16 surrogates (an escaped ``"\\ud800"`` in a page's
script, a hostile MUTF-8 string) that no JSON writer, database or terminal accepts. One
such character must not stop a batch: every string that reaches a document is made valid
here (pairs joined, lone halves replaced by U+FFFD) and the document says it was changed.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic_core import PydanticSerializationError

from chaincut.facts.models import Anomaly, FactsDocument, Location

CODES: dict[str, str] = {
    "invalid_unicode": (
        "text in the artifact decoded to lone UTF-16 surrogates; they were replaced by U+FFFD"
    ),
}
SURROGATE = re.compile("[\ud800-\udfff]")
MAX_FIELDS_NAMED = 5


def usv(text: str) -> str:
    """``text`` with surrogate pairs joined and lone surrogates replaced by U+FFFD."""
    if not SURROGATE.search(text):
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def join_pairs(text: str) -> str:
    """``text`` with escaped surrogate pairs joined; lone halves are kept for the check."""
    if not SURROGATE.search(text):
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def valid_document(doc: FactsDocument) -> FactsDocument:
    """``doc`` if it serialises as UTF-8, else a copy with every string made valid
    and an ``invalid_unicode`` anomaly naming the fields that were changed."""
    try:
        doc.model_dump_json()
    except PydanticSerializationError:
        pass
    else:
        return doc
    fields: list[str] = []
    data = _clean(doc.model_dump(mode="python", warnings=False), "", fields)
    more = " ..." if len(fields) > MAX_FIELDS_NAMED else ""
    named = ", ".join(fields[:MAX_FIELDS_NAMED]) + more
    note = Anomaly(
        code="invalid_unicode",
        detail=f"{len(fields)} value(s) held lone surrogates: {named}",
        location=Location(),
    )
    data["anomalies"] = [*data.get("anomalies", []), note.model_dump()]
    return FactsDocument.model_validate(data)


def _clean(value: Any, where: str, fields: list[str]) -> Any:
    if isinstance(value, str):
        fixed = usv(value)
        if fixed != value:
            fields.append(where or "(document)")
        return fixed
    if isinstance(value, dict):
        return {
            _clean(k, where, fields): _clean(v, f"{where}.{k}" if where else str(k), fields)
            for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        items = [_clean(v, f"{where}[{i}]", fields) for i, v in enumerate(value)]
        return type(value)(items) if isinstance(value, tuple) else items
    return value
