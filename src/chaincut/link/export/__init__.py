"""Exports of a chain set: GraphML, Neo4j/Gephi CSV, STIX 2.1."""

from __future__ import annotations

from pathlib import Path

from chaincut.link.chainset import ChainSet
from chaincut.link.export.graphml import write_graphml
from chaincut.link.export.stix import stix_bundle
from chaincut.link.export.tables import write_csv

FORMATS = ("graphml", "csv", "stix")


def export(chainset: ChainSet, fmt: str, path: Path) -> list[Path]:
    """Write ``chainset`` in ``fmt`` to ``path`` (a directory for csv); the files written."""
    if fmt == "graphml":
        write_graphml(chainset, path)
        return [path]
    if fmt == "csv":
        return write_csv(chainset, path)
    if fmt == "stix":
        path.write_text(stix_bundle(chainset), encoding="utf-8")
        return [path]
    raise ValueError(f"unknown export format {fmt!r} (expected one of {', '.join(FORMATS)})")


__all__ = ["FORMATS", "export", "stix_bundle", "write_csv", "write_graphml"]
