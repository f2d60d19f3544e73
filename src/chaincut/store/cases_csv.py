"""Reading victim-report CSVs (interfaces.md section 2) into validated rows.

The whole file is checked before anything is written: a missing column, an empty
case_id, a date that is not ISO 8601 or an amount that is not a number is reported as
one line naming the CSV line, and the import stops with nothing half-written.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

from chaincut.store.records import CaseRow

REQUIRED = ("case_id", "region", "reported_at", "artifacts")
OPTIONAL = ("loss_amount", "notes")
AMOUNT_RE = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$|^\d+(\.\d+)?$")
MAX_ERRORS = 20
MAX_AMOUNT = Decimal(10) ** 16  # what Numeric(18, 2) holds


class CaseCsvError(Exception):
    """A case CSV that cannot be imported; ``messages`` holds one line per problem."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = messages


def parse_date(text: str) -> str:
    """ISO 8601 date or date-time, normalised; ValueError otherwise."""
    text = text.strip()
    if len(text) == 10:
        return dt.date.fromisoformat(text).isoformat()
    return dt.datetime.fromisoformat(text).isoformat()


def parse_amount(text: str) -> Decimal | None:
    """A loss in yuan: digits with an optional decimal part (thousands commas allowed)."""
    text = text.strip().removeprefix("¥").removeprefix("￥").strip()
    if not text:
        return None
    if not AMOUNT_RE.match(text):
        raise ValueError(text)
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:
        raise ValueError(text) from None
    if value >= MAX_AMOUNT:
        raise ValueError(text)
    return value


def split_artifacts(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


def read_cases_csv(path: Path) -> list[CaseRow]:
    """Every row of ``path``, validated; raises :class:`CaseCsvError` listing the problems."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise CaseCsvError([f"{path}: cannot read: {exc.strerror}"]) from None
    except UnicodeDecodeError as exc:
        raise CaseCsvError([f"{path}: not UTF-8 (byte {exc.start}); save it as UTF-8"]) from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise CaseCsvError([f"{path} line 1: missing column(s): {', '.join(missing)}"])
    reader.fieldnames = header
    rows: list[CaseRow] = []
    errors: list[str] = []
    seen: dict[tuple[str, str], int] = {}
    for raw in reader:
        line = reader.line_num
        try:
            row = _row(raw, line)
        except ValueError as exc:
            errors.append(f"{path} line {line}: {exc}")
            continue
        key = (row.region, row.case_id)
        if key in seen:
            errors.append(
                f"{path} line {line}: case {row.case_id!r} of {row.region!r} repeats line "
                f"{seen[key]}"
            )
            continue
        seen[key] = line
        rows.append(row)
    if errors:
        extra = len(errors) - MAX_ERRORS
        raise CaseCsvError(errors[:MAX_ERRORS] + ([f"... and {extra} more"] if extra > 0 else []))
    return rows


def _cell(raw: dict[str | None, str | list[str] | None], name: str) -> str:
    value = raw.get(name)
    return value.strip() if isinstance(value, str) else ""


def _row(raw: dict[str | None, str | list[str] | None], line: int) -> CaseRow:
    if raw.get(None):
        raise ValueError("more cells than header columns (an unquoted comma?)")
    case_id, region = _cell(raw, "case_id"), _cell(raw, "region")
    if not case_id:
        raise ValueError("empty case_id")
    if not region:
        raise ValueError("empty region")
    reported = _cell(raw, "reported_at")
    try:
        reported_at = parse_date(reported) if reported else None
    except ValueError:
        raise ValueError(
            f"bad reported_at {reported!r} (expected an ISO 8601 date or date-time)"
        ) from None
    amount = _cell(raw, "loss_amount")
    try:
        loss = parse_amount(amount)
    except ValueError:
        raise ValueError(f"bad loss_amount {amount!r} (expected a number of yuan)") from None
    return CaseRow(
        line=line, case_id=case_id, region=region, reported_at=reported_at, loss_amount=loss,
        artifacts=split_artifacts(_cell(raw, "artifacts")), notes=_cell(raw, "notes"),
    )
