"""GraphML export (networkx): typed nodes and edges for yEd, Gephi, Cytoscape."""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from chaincut.link.chainset import ChainSet
from chaincut.link.export.view import graph_view


def to_networkx(chainset: ChainSet) -> nx.MultiDiGraph:
    """The chain set as a directed multigraph: node attribute ``label``, edge ``type``."""
    graph = nx.MultiDiGraph()
    nodes, edges = graph_view(chainset)
    for node in nodes:
        graph.add_node(node.id, label=node.label, **node.attrs)
    for edge in edges:
        graph.add_edge(edge.source, edge.target, type=edge.type, weight=edge.weight)
    return graph


def write_graphml(chainset: ChainSet, path: Path) -> None:
    nx.write_graphml(to_networkx(chainset), str(path), encoding="utf-8", prettyprint=True)
