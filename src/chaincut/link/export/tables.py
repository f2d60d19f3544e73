"""CSV nodes and edges that ``neo4j-admin database import`` and Gephi both read.

``nodes.csv``: ``id:ID,:LABEL,name,...`` with typed columns (``score:int``,
``weight:float``, ``supplier:boolean``, ``regions:string[]`` split on ``;``, Neo4j's
default array delimiter); ``edges.csv``: ``:START_ID,:END_ID,:TYPE,weight:float``.

Text cells that begin with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage return) get a
leading ``'``: a spreadsheet opening the file would otherwise run them as formulas, and
these values come from fraud apps and case files, i.e. from an adversary. Typed columns
(numbers, booleans) are never prefixed, so Neo4j still parses them.
"""

from __future__ import annotations

import csv
from pathlib import Path

from chaincut.link.chainset import ChainSet
from chaincut.link.export.view import Value, graph_view

NODE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("name", "name"),
    ("kind", "kind"),
    ("value", "value"),
    ("role", "role"),
    ("supplier", "supplier:boolean"),
    ("weight", "weight:float"),
    ("sha256", "sha256"),
    ("verdict", "verdict"),
    ("score", "score:int"),
    ("brand", "brand"),
    ("category", "category"),
    ("chain", "chain"),
    ("size", "size:int"),
    ("regions", "regions:string[]"),
    ("region", "region"),
    ("reported_at", "reported_at"),
    ("loss_amount", "loss_amount:float"),
    ("loss_total", "loss_total:float"),
    ("notes", "notes"),
)
NODE_HEADER = ["id:ID", ":LABEL", *(h for _, h in NODE_COLUMNS)]
EDGE_HEADER = [":START_ID", ":END_ID", ":TYPE", "weight:float"]


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(text: str) -> str:
    """``text`` as a spreadsheet shows it and never evaluates it (OWASP CSV injection)."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _cell(value: Value | None, header: str = "") -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    typed = ":" in header and not header.endswith(("string", "string[]", ":ID"))
    return str(value) if typed else safe_text(str(value))


def write_csv(chainset: ChainSet, directory: Path) -> list[Path]:
    """Write ``nodes.csv`` and ``edges.csv`` into ``directory`` (created if missing)."""
    directory.mkdir(parents=True, exist_ok=True)
    nodes, edges = graph_view(chainset)
    node_path, edge_path = directory / "nodes.csv", directory / "edges.csv"
    with node_path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(NODE_HEADER)
        for node in nodes:
            out.writerow(
                [
                    safe_text(node.id),
                    node.label,
                    *(_cell(node.attrs.get(k), h) for k, h in NODE_COLUMNS),
                ]
            )
    with edge_path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(EDGE_HEADER)
        for edge in edges:
            out.writerow(
                [safe_text(edge.source), safe_text(edge.target), edge.type, f"{edge.weight:g}"]
            )
    return [node_path, edge_path]
