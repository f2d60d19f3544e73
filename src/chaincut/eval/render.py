"""Print an evaluation report: a Rich table for people, JSON for scripts."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from chaincut.eval.report import EvalReport, Metric


def _value(m: Metric) -> str:
    return "n/a" if m.value is None else f"{m.value:.4f}"


def _target(m: Metric) -> str:
    return f"{'≥' if m.goal == 'min' else '≤'} {m.target:g}"


def _status(m: Metric) -> str:
    return {True: "[green]met[/]", False: "[red]missed[/]", None: "[yellow]n/a[/]"}[m.met]


def print_table(report: EvalReport, console: Console) -> None:
    """The metrics next to their targets."""
    title = f"chaincut eval — seed {report.seed}, size {report.size}, " \
            f"{report.scanned}/{report.artifacts} artifacts scanned"  # fmt: skip
    table = Table(title=title)
    for col in ("metric", "value", "target", "status", "n", "detail"):
        table.add_column(col, justify="right" if col in ("value", "n") else "left")
    for m in report.metrics:
        table.add_row(m.name, _value(m), _target(m), _status(m), str(m.n), m.detail)
    console.print(table)
    for note in report.notes:
        console.print(f"[yellow]note:[/] {note}")


def to_json(report: EvalReport) -> str:
    return report.model_dump_json(indent=2)
