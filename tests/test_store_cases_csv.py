"""Case-report CSVs (interfaces.md section 2): accepted forms and one-line errors."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from chaincut.store.cases_csv import CaseCsvError, read_cases_csv

HEADER = "case_id,region,reported_at,loss_amount,artifacts,notes\n"


def _csv(tmp_path: Path, body: str, bom: bool = False, header: str = HEADER) -> Path:
    path = tmp_path / "cases.csv"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + (header + body).encode("utf-8"))
    return path


@pytest.mark.parametrize("bom", [False, True])
def test_rows_are_read_with_or_without_bom(tmp_path: Path, bom: bool) -> None:
    body = ('GD-001,广东,2024-03-05,"12,000.50",apps/a.apk; https://x.cn/d ;' + "ab" * 32
            + ',"贷款, 客服"\n' 'BJ-7,Beijing,2024-03-06T10:20:00+08:00,,,\n')
    rows = read_cases_csv(_csv(tmp_path, body, bom))
    assert [r.case_id for r in rows] == ["GD-001", "BJ-7"]
    first, second = rows
    assert first.region == "广东" and first.loss_amount == Decimal("12000.50")
    assert first.artifacts == ["apps/a.apk", "https://x.cn/d", "ab" * 32]
    assert first.notes == "贷款, 客服" and first.line == 2
    assert second.reported_at == "2024-03-06T10:20:00+08:00"
    assert second.loss_amount is None and second.artifacts == []


def test_optional_columns_may_be_absent(tmp_path: Path) -> None:
    header = "case_id,region,reported_at,artifacts\n"
    path = _csv(tmp_path, "C1,GD,2024-01-01,a.apk\n", header=header)
    (row,) = read_cases_csv(path)
    assert row.notes == "" and row.loss_amount is None


def test_missing_columns_are_named(tmp_path: Path) -> None:
    path = _csv(tmp_path, "C1,GD\n", header="case_id,region\n")
    with pytest.raises(CaseCsvError) as err:
        read_cases_csv(path)
    assert err.value.messages == [f"{path} line 1: missing column(s): reported_at, artifacts"]


def test_every_bad_row_is_one_line_with_its_line_number(tmp_path: Path) -> None:
    body = (
        "C1,GD,yesterday,10,a.apk,\n"
        "C2,GD,2024-01-01,ten yuan,a.apk,\n"
        ",GD,2024-01-01,1,a.apk,\n"
        "C4,,2024-01-01,1,a.apk,\n"
        "C5,GD,2024-01-01,-5,a.apk,\n"
        "C6,GD,2024-01-01,1,a.apk,,extra\n"
        "C7,GD,2024-01-01,1,a.apk,\n"
        "C7,GD,2024-01-02,1,b.apk,\n"
    )
    path = _csv(tmp_path, body)
    with pytest.raises(CaseCsvError) as err:
        read_cases_csv(path)
    messages = err.value.messages
    assert [m.split(":")[0] for m in messages] == [
        f"{path} line {n}" for n in (2, 3, 4, 5, 6, 7, 9)
    ]
    assert "bad reported_at 'yesterday'" in messages[0]
    assert "bad loss_amount 'ten yuan'" in messages[1]
    assert "empty case_id" in messages[2] and "empty region" in messages[3]
    assert "repeats line 8" in messages[6]
    assert all("\n" not in m for m in messages)


def test_not_utf8_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    path.write_bytes(HEADER.encode() + "C1,广东,2024-01-01,1,a.apk,\n".encode("gbk"))
    with pytest.raises(CaseCsvError, match="not UTF-8"):
        read_cases_csv(path)
