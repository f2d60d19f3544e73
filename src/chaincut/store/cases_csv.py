"""Reading victim-report CSVs (interfaces.md section 2) into validated rows.

The whole file is checked before anything is written: a missing column, an empty
case_id, a date that is not ISO 8601 or an amount that is not a number is reported as
one line naming the CSV line, and the import stops with nothing half-written.

A case file is shared between units, so it is untrusted too: a file reference must stay
inside the CSV's folder (or a path the analyst named on the command line). Absolute
paths elsewhere, ``..``, ``~``, ``/proc`` and symbolic links leading out are refused,
with the case and the reason, before anything is stored; otherwise a CSV could copy
``/etc/passwd`` or the process environment into the evidence store.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from urllib.parse import unquote

from chaincut.link.regions import region_key
from chaincut.store.records import CaseRow
from chaincut.store.util import looks_like_sha256, looks_like_url

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


SEPARATORS = re.compile("[;\uff1b]")  # ';' and the full-width '；' of Chinese input methods


def split_artifacts(text: str) -> list[str]:
    """The references of one ``artifacts`` cell (``;`` or ``；`` between them)."""
    return [part.strip() for part in SEPARATORS.split(text) if part.strip()]


@dataclass(frozen=True, slots=True)
class RefCheck:
    """Where a file reference leads: ``path`` (resolved), or why it is ``refused``."""

    path: Path | None = None
    refused: str | None = None
    missing: bool = False


@dataclass(slots=True)
class CaseFile:
    """A validated case CSV: its rows, what to warn about, and the files it names."""

    path: Path
    rows: list[CaseRow] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)  # existing, confined, in CSV order
    missing: dict[tuple[str, str], Path] = field(default_factory=dict)  # (case, ref) -> looked for


def looks_like_case_csv(path: Path) -> bool:
    """A file whose first line is a case-report header (for the "use --cases" hint)."""
    from chaincut.extractors.regular import open_regular

    try:
        with open_regular(path) as fh:  # a named pipe is never waited on
            head = fh.read(4096).decode("utf-8-sig", "replace").splitlines()
    except OSError:
        return False
    columns = {c.strip().strip('"') for c in head[0].split(",")} if head else set()
    return set(REQUIRED) <= columns


def is_file_reference(ref: str) -> bool:
    """A reference that names a file (not a URL, not a sha256)."""
    ref = ref.strip()
    return bool(ref) and not looks_like_url(ref) and not looks_like_sha256(ref)


def decode_reference(ref: str, base_dir: Path) -> str:
    """The quoting rule: in a file reference ``%XX`` is percent-decoding (``%3B`` for
    ``;``, ``%EF%BC%9B`` for ``；``, ``%25`` for ``%``), unless a file exists under the
    name exactly as written."""
    if "%" not in ref or not is_file_reference(ref):
        return ref
    written = Path(ref)
    if os.path.lexists(written if written.is_absolute() else base_dir / written):
        return ref
    try:
        return unquote(ref, errors="strict")
    except UnicodeDecodeError:  # not percent-encoded UTF-8: taken as written
        return ref


def check_reference(ref: str, base_dir: Path, roots: Sequence[Path] = ()) -> RefCheck:
    """Confine a file reference to ``base_dir`` (the CSV's folder) and ``roots`` (paths
    named on the command line): the resolved file, or why it is refused."""
    ref = ref.strip()
    if ref.startswith("~"):
        return RefCheck(refused="a home-directory path (~) is outside the CSV's folder")
    if "\0" in ref:
        return RefCheck(refused="the path holds a NUL character")
    base = base_dir.resolve()
    allowed = [base, *(r.resolve() for r in roots)]
    written = Path(ref)
    candidate = Path(os.path.normpath(written if written.is_absolute() else base / written))
    if not _inside(candidate, allowed):
        why = "an absolute path" if written.is_absolute() else "a path that climbs out (..)"
        return RefCheck(refused=f"{why} outside the CSV's folder")
    resolved = candidate.resolve()
    if not _inside(resolved, allowed):
        return RefCheck(refused=f"a symbolic link leading outside the CSV's folder (to {resolved})")
    if not resolved.exists():
        return RefCheck(path=resolved, missing=True)
    if not resolved.is_file():
        return RefCheck(refused="not a regular file")
    return RefCheck(path=resolved)


def _inside(path: Path, roots: Sequence[Path]) -> bool:
    return any(path == root or root in path.parents for root in roots)


def read_cases_csv(path: Path) -> list[CaseRow]:
    """Every row of ``path``, validated (file references confined to its folder); raises
    :class:`CaseCsvError` listing the problems."""
    return read_cases(path).rows


def read_cases(path: Path, roots: Sequence[Path] = ()) -> CaseFile:
    """``path`` validated, with its references checked (see :func:`check_reference`);
    raises :class:`CaseCsvError` listing every problem, nothing half-read."""
    rows = _read_rows(path)
    out = CaseFile(path)
    errors: list[str] = []
    base = path.resolve().parent
    for index, row in enumerate(rows):
        where = f"{path} line {row.line}: case {row.case_id!r}"
        if region_key(row.region) is None:
            out.warnings.append(
                f"{where}: unknown region {row.region!r}, kept as typed (expected a "
                "province-level name or code such as 广东, 廣東省, Guangdong or GD)"
            )
        refs = [decode_reference(ref, base) for ref in row.artifacts]
        if refs != row.artifacts:
            rows[index] = row.model_copy(update={"artifacts": refs})
        for ref in refs:
            if not is_file_reference(ref):
                continue
            found = check_reference(ref, base, roots)
            if found.refused is not None:
                errors.append(f"{where}: artifact {ref!r} refused: {found.refused}")
            elif found.missing and found.path is not None:
                out.missing[(row.case_id, ref)] = found.path
            elif found.path is not None and found.path not in out.files:
                out.files.append(found.path)
    if errors:
        extra = len(errors) - MAX_ERRORS
        tail = [f"... and {extra} more"] if extra > 0 else []
        raise CaseCsvError([*errors[:MAX_ERRORS], *tail, f"{path}: nothing was imported"])
    out.rows = rows
    return out


GBK_HINT = "convert it first, e.g. iconv -f GBK -t UTF-8 {name} > {stem}-utf8.csv"


def _read_text(path: Path) -> str:
    from chaincut.extractors.regular import read_regular

    try:
        raw = read_regular(path)  # a named pipe is refused, never waited on
    except OSError as exc:
        raise CaseCsvError([f"{path}: cannot read: {exc.strerror}"]) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        first = f"{path}: not UTF-8 (byte {exc.start})"
        try:
            raw.decode("gb18030")
        except UnicodeDecodeError:
            raise CaseCsvError([f"{first}; save it as UTF-8"]) from None
        hint = GBK_HINT.format(name=path.name, stem=path.stem)
        raise CaseCsvError([f"{first}; it reads as GBK (a Chinese Windows encoding): {hint}"]
                           ) from None


def _read_rows(path: Path) -> list[CaseRow]:
    text = _read_text(path)
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
