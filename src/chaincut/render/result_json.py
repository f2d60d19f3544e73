"""JSON Lines and JSON renderings of scan results (interfaces.md section 3).

The required fields always appear, ``null`` included; the embedded facts document is
left out unless it was asked for, so a line stays one artifact's verdict.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:  # models are loaded by whoever builds the results
    from chaincut.result.models import ScanResult


def dump(result: ScanResult, indent: int | None = None) -> str:
    exclude = {"facts"} if result.facts is None else None
    return result.model_dump_json(indent=indent, exclude=exclude)


class ResultJsonLines:
    name = "jsonl"
    description = "one JSON object per artifact, one per line (interfaces.md section 3)"

    def begin(self, out: TextIO) -> None:
        return None

    def write(self, out: TextIO, result: ScanResult) -> None:
        out.write(dump(result))
        out.write("\n")
        out.flush()

    def end(self, out: TextIO) -> None:
        return None


class ResultJsonArray:
    name = "json"
    description = "a JSON array of results, indented"

    def __init__(self) -> None:
        self._first = True

    def begin(self, out: TextIO) -> None:
        self._first = True
        out.write("[")

    def write(self, out: TextIO, result: ScanResult) -> None:
        out.write("\n" if self._first else ",\n")
        self._first = False
        out.write(dump(result, indent=2))

    def end(self, out: TextIO) -> None:
        out.write("\n]\n" if not self._first else "]\n")
