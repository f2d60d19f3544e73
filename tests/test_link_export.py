"""Exports: GraphML parses with networkx, CSV headers import into Neo4j/Gephi, STIX parses."""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest
import stix2

from chaincut.link.chains import build_chains
from chaincut.link.chainset import ChainSet
from chaincut.link.export import export, stix_bundle
from chaincut.link.export.stix import pattern, stix_time
from chaincut.link.model import CaseRecord
from tests.link_world import DEV_CERT, make_world


@pytest.fixture(scope="module")
def chainset() -> ChainSet:
    world = make_world()
    return build_chains(world.artifacts, world.cases)


def test_graphml_parses_with_typed_nodes_and_edges(chainset: ChainSet, tmp_path: Path) -> None:
    path = tmp_path / "chains.graphml"
    assert export(chainset, "graphml", path) == [path]
    graph = nx.read_graphml(path, force_multigraph=True)
    labels = {d["type"] for _, d in graph.nodes(data=True)}
    assert labels == {"Artifact", "Indicator", "Chain", "Case"}
    # Gephi shows the node's "label": its name, not its type
    assert graph.nodes[f"indicator:cert_sha256:{DEV_CERT}"]["label"] == DEV_CERT
    types = {d["type"] for _, _, d in graph.edges(data=True)}
    assert types == {"MEMBER_OF", "CARRIES", "SUPPLIES", "REPORTS"}
    cert = graph.nodes[f"indicator:cert_sha256:{DEV_CERT}"]
    assert cert["role"] == "developer" and cert["supplier"] is True
    assert sum(1 for _, _, d in graph.edges(data=True) if d["type"] == "MEMBER_OF") == sum(
        len(c.artifacts) for c in chainset.chains
    )


GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"
GRAPHML_TYPES = {"boolean", "int", "long", "float", "double", "string"}


def test_graphml_meets_gephi_importer_expectations(tmp_path: Path) -> None:
    """Unique node and edge ids, every attribute declared once with a GraphML type."""
    world = make_world()
    lone = CaseRecord(case_id="X-1", region="北京", notes="no chain", artifacts=[])
    cs = build_chains(world.artifacts, [*world.cases, lone])
    path = tmp_path / "chains.graphml"
    export(cs, "graphml", path)
    root = ET.parse(path).getroot()
    nodes = [n.get("id") for n in root.iter(f"{GRAPHML}node")]
    edges = [e.get("id") for e in root.iter(f"{GRAPHML}edge")]
    assert len(edges) > 100 and None not in edges
    assert len(set(edges)) == len(edges)  # was: every edge id="0"
    assert len(set(nodes)) == len(nodes)
    keys = list(root.iter(f"{GRAPHML}key"))
    assert keys and all(k.get("attr.type") in GRAPHML_TYPES for k in keys)
    assert len({(k.get("for"), k.get("attr.name")) for k in keys}) == len(keys)
    declared = {k.get("id") for k in keys}
    used = {d.get("key") for d in root.iter(f"{GRAPHML}data")}
    assert used <= declared
    # networkx round trip keeps every edge and the typed values
    graph = nx.read_graphml(path, force_multigraph=True)
    assert graph.number_of_edges() == len(edges)
    assert {type(d["weight"]) for _, _, d in graph.edges(data=True)} == {float}
    # every case is exported, in a chain or not
    case_nodes = {n for n, d in graph.nodes(data=True) if d["type"] == "Case"}
    assert len(case_nodes) == len(cs.cases) and "case:北京:X-1" in case_nodes
    assert graph.nodes["case:北京:X-1"]["notes"] == "no chain"


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
    _check_neo4j_header(header, ":ID", {"true", "false"}, nodes)
    _check_neo4j_header(edges[0], ":START_ID", set(), edges)


NEO4J_TYPES = {"int", "long", "float", "double", "boolean", "string", "date", "datetime"}


def _check_neo4j_header(header: list[str], key: str, bools: set[str],
                        rows: list[list[str]]) -> None:  # fmt: skip
    """What ``neo4j-admin database import`` requires of a header and its typed cells."""
    assert any(h.endswith(key) for h in header)
    for col, name in enumerate(header):
        if name in (":LABEL", ":TYPE", ":START_ID", ":END_ID") or name.endswith(":ID"):
            assert all(row[col] for row in rows[1:])  # ids, labels and types never empty
            continue
        prop, _, typ = name.partition(":")
        assert prop and prop.isidentifier()
        base = typ.removesuffix("[]")
        assert typ == "" or base in NEO4J_TYPES, name
        for row in rows[1:]:
            cell = row[col]
            if not cell or typ.endswith("[]"):
                continue
            if base in ("int", "long"):
                int(cell)
            elif base in ("float", "double"):
                float(cell)
            elif base == "boolean":
                assert cell in bools


def test_csv_cells_never_start_a_formula(tmp_path: Path) -> None:
    """A value planted by a fraud kit or a case file opens as text in a spreadsheet."""
    world = make_world()
    planted = CaseRecord(case_id="=HYPERLINK(\"http://x\")", region="北京",
                         notes="@SUM(A1)", artifacts=world.cases[0].artifacts)  # fmt: skip
    cs = build_chains(world.artifacts, [*world.cases, planted])
    nodes_path, edges_path = export(cs, "csv", tmp_path / "csv")
    for path in (nodes_path, edges_path):
        with path.open(encoding="utf-8") as fh:
            rows = list(csv.reader(fh))
        header = rows[0]
        for row in rows[1:]:
            for name, cell in zip(header, row, strict=True):
                typed = name.split(":")[-1] in ("int", "float", "boolean")
                if not typed:
                    assert not cell.startswith(("=", "+", "-", "@")), (name, cell)
    with nodes_path.open(encoding="utf-8") as fh:
        text = fh.read()
    assert "'=HYPERLINK" in text and "'@SUM(A1)" in text
    phones = [r for r in csv.reader(text.splitlines()) if r[3:4] == ["phone"]]
    assert phones and all(r[2].startswith("'+") for r in phones)


def test_stix_accepts_store_times_with_offsets() -> None:
    """The store writes ``+00:00``; stix2 takes only ``Z``: the export re-spells them."""
    world = make_world()
    offset = [a.model_copy(update={"first_seen": "2024-03-01T10:20:30.123456+08:00"})
              for a in world.artifacts]  # fmt: skip
    text = stix_bundle(build_chains(offset, world.cases))
    bundle = stix2.parse(text, allow_custom=False)
    assert {str(o.created) for o in bundle.objects if hasattr(o, "created")} == {
        "2024-03-01 02:20:30.123000+00:00"
    }
    assert stix_time("2024-01-02") == "2024-01-02T00:00:00.000Z"
    assert stix_time("not a time") is None


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
