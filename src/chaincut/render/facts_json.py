"""JSON Lines and JSON renderings of facts documents (interfaces.md section 5)."""

from __future__ import annotations

from typing import TextIO

from chaincut.facts.models import FactsDocument


def dump(doc: FactsDocument, indent: int | None = None) -> str:
    """One document as JSON, with unset optional fields kept so the shape is stable."""
    return doc.model_dump_json(indent=indent)


class JsonLinesRenderer:
    name = "jsonl"
    description = "one JSON object per file, one per line"

    def begin(self, out: TextIO) -> None:
        return None

    def write(self, out: TextIO, doc: FactsDocument) -> None:
        out.write(dump(doc))
        out.write("\n")
        out.flush()

    def end(self, out: TextIO) -> None:
        return None


class JsonArrayRenderer:
    name = "json"
    description = "a JSON array of documents, indented"

    def __init__(self) -> None:
        self._first = True

    def begin(self, out: TextIO) -> None:
        self._first = True
        out.write("[")

    def write(self, out: TextIO, doc: FactsDocument) -> None:
        out.write("\n" if self._first else ",\n")
        self._first = False
        out.write(dump(doc, indent=2))

    def end(self, out: TextIO) -> None:
        out.write("\n]\n" if not self._first else "]\n")
