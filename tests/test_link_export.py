"""Exports: GraphML parses with networkx, CSV headers import into Neo4j/Gephi, STIX parses."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import networkx as nx
import pytest
import stix2

from chaincut.link.chains import build_chains
from chaincut.link.chainset import ChainSet
from chaincut.link.export import export, stix_bundle
from chaincut.link.export.stix import pattern
from tests.link_world import DEV_CERT, make_world


@pytest.fixture(scope="module")
def chainset() -> ChainSet:
    world = make_world()
    return build_chains(world.artifacts, world.cases)


def test_graphml_parses_with_typed_nodes_and_edges(chainset: ChainSet, tmp_path: Path) -> None:
    path = tmp_path / "chains.graphml"
    assert export(chainset, "graphml", path) == [path]
    graph = nx.read_graphml(path, force_multigraph=True)
    labels = {d["label"] for _, d in graph.nodes(data=True)}
    assert labels == {"Artifact", "Indicator", "Chain", "Case"}
    types = {d["type"] for _, _, d in graph.edges(data=True)}
    assert types == {"MEMBER_OF", "CARRIES", "SUPPLIES", "REPORTS"}
    cert = graph.nodes[f"indicator:cert_sha256:{DEV_CERT}"]
    assert cert["role"] == "developer" and cert["supplier"] is True
    assert sum(1 for _, _, d in graph.edges(data=True) if d["type"] == "MEMBER_OF") == sum(
        len(c.artifacts) for c in chainset.chains
    )


def test_csv_nodes_and_edges_for_neo4j_and_gephi(chainset: ChainSet, tmp_path: Path) -> None:
    nodes_path, edges_path = export(chainset, "csv", tmp_path / "csv")
    with nodes_path.open(encoding="utf-8") as fh:
        nodes = list(csv.reader(fh))
    with edges_path.open(encoding="utf-8") as fh:
        edges = list(csv.reader(fh))
    assert nodes[0][:3] == ["id:ID", ":LABEL", "name"]
    assert edges[0] == [":START_ID", ":END_ID", ":TYPE", "weight:float"]
    ids = [row[0] for row in nodes[1:]]
    assert len(ids) == len(set(ids))
    assert all(len(row) == len(nodes[0]) for row in nodes)
    assert all(row[0] in set(ids) and row[1] in set(ids) for row in edges[1:])
    assert all(float(row[3]) >= 0 for row in edges[1:])
    header = nodes[0]
    flags = {row[header.index("supplier:boolean")] for row in nodes[1:]}
    assert flags <= {"", "true", "false"}


def test_stix_bundle_parses_validates_and_refs_resolve(chainset: ChainSet, tmp_path: Path) -> None:
    text = stix_bundle(chainset)
    bundle = stix2.parse(text, allow_custom=False)
    objects = {o.id: o for o in bundle.objects}
    kinds = {o.type for o in objects.values()}
    assert {
        "malware",
        "file",
        "indicator",
        "infrastructure",
        "intrusion-set",
        "identity",
        "relationship",
    } <= kinds
    for obj in objects.values():
        if obj.type == "relationship":
            assert obj.source_ref in objects and obj.target_ref in objects
        if obj.type == "malware":
            assert obj.is_family is False
            assert all(ref in objects for ref in obj.sample_refs)
    assert sum(1 for o in objects.values() if o.type == "intrusion-set") == len(chainset.chains)
    assert sum(1 for o in objects.values() if o.type == "identity") == len(chainset.suppliers)
    assert any(
        o.type == "indicator" and "x509-certificate:hashes.'SHA-256'" in o.pattern
        for o in objects.values()
    )
    # deterministic: a re-export is byte-identical
    assert stix_bundle(chainset) == text
    path = tmp_path / "b.json"
    export(chainset, "stix", path)
    assert json.loads(path.read_text())["type"] == "bundle"


def test_stix_patterns_escape_and_validate() -> None:
    assert pattern("domain", "a'b\\c.example") == "[domain-name:value = 'a\\'b\\\\c.example']"
    assert pattern("ip", "2001:db8::1") == "[ipv6-addr:value = '2001:db8::1']"
    assert pattern("ip", "junk") is None and pattern("qq", "1") is None
    ind = stix2.Indicator(
        pattern=pattern("url", "http://x.example/'q"),
        pattern_type="stix",
        valid_from="2024-01-01T00:00:00Z",
    )
    assert ind.pattern.startswith("[url:value")


def test_unknown_format_is_refused(chainset: ChainSet, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown export format"):
        export(chainset, "pdf", tmp_path / "x")
