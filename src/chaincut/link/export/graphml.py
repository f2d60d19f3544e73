"""GraphML export (networkx): typed nodes and edges for Gephi, yEd and Cytoscape.

What Gephi's importer expects: unique node ids, unique edge ids (networkx writes a
multigraph's edge key as the edge id, so each edge gets its own key), and every attribute
declared once with its type (``attr.type`` string, int, double, boolean). The node's
``label`` is its display name (Gephi shows it on the node); ``type`` says what the node
is (Artifact, Indicator, Chain, Case).
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from chaincut.link.chainset import ChainSet
from chaincut.link.export.view import graph_view


def to_networkx(chainset: ChainSet) -> nx.MultiDiGraph:
    """The chain set as a directed multigraph: node ``label`` and ``type``, edge ``type``."""
    graph = nx.MultiDiGraph()
    nodes, edges = graph_view(chainset)
    for node in nodes:
        attrs = {k: v for k, v in node.attrs.items() if k not in ("label", "type")}
        graph.add_node(
            node.id, label=str(node.attrs.get("name", node.id)), type=node.label, **attrs
        )
    for edge in edges:
        graph.add_edge(
            edge.source, edge.target, key=edge.id, type=edge.type, weight=float(edge.weight)
        )
    return graph


def write_graphml(chainset: ChainSet, path: Path) -> None:
    nx.write_graphml(to_networkx(chainset), str(path), encoding="utf-8", prettyprint=True)
