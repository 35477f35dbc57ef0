"""CSV and Neo4j exports load with the csv module, hold together, and defuse formulas."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest

from graph.export import render
from graph.export.tables import rel_type
from graph.export.values import csv_cell


def _rows(data: bytes, *, bom: bool = True) -> list[dict[str, str]]:
    text = data.decode("utf-8-sig" if bom else "utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))


@pytest.mark.parametrize("which", ["mini_data", "hostile_data"])
def test_every_edge_and_node_fact_points_at_a_node_of_nodes_csv(which: str, request: pytest.FixtureRequest) -> None:
    data = request.getfixturevalue(which)
    files = render(data, "csv")
    nodes = {r["Id"] for r in _rows(files["nodes.csv"])}
    edges = _rows(files["edges.csv"])
    facts = _rows(files["node_facts.csv"])
    assert nodes == set(data.graph.nodes)
    assert len(edges) == data.graph.number_of_edges() and edges
    assert all(e["Source"] in nodes and e["Target"] in nodes for e in edges)
    assert all(f["Node"] in nodes for f in facts)
    assert {e["Id"] for e in edges} | {f["Id"] for f in facts} == {c["factId"] for c in data.claims}


def test_every_edge_names_its_source(mini_data: Any) -> None:
    edges = _rows(render(mini_data, "csv")["edges.csv"])
    assert all(e["cited_source"] and e["cited_url"].startswith("https://") for e in edges)
    visit = next(e for e in edges if e["predicate"] == "visited")
    assert (visit["Source"], visit["Target"], visit["cited_source"], visit["cited_publisher"]) == (
        "sok-dara", "prey-sar-prison", "test-alpha-2024-03-05", "Test Wire")
    assert visit["date"] == "2024-03-04" and visit["valid_from"] == "2024-03-04" and visit["undated"] == "false"


def test_spreadsheet_csvs_start_with_a_byte_order_mark_and_gephi_headers(mini_data: Any) -> None:
    files = render(mini_data, "csv")
    assert all(files[name].startswith("\ufeff".encode()) for name in files)
    assert _rows(files["nodes.csv"])[0].keys() >= {"Id", "Label"}
    assert _rows(files["edges.csv"])[0].keys() >= {"Id", "Source", "Target", "Type", "Label"}


@pytest.mark.parametrize("value, cell", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"), ("+1", "'+1"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tTab", "'\tTab"), ("\rCR", "'\rCR"), ("plain = text", "plain = text"), (None, ""), (True, "true"),
    ("ស្រី", "ស្រី"), (0.5, "0.5"),
])
def test_csv_cells_that_would_run_as_formulas_get_an_apostrophe(value: Any, cell: str) -> None:
    assert csv_cell(value) == cell


def test_hostile_values_survive_csv_and_cannot_run_as_formulas(hostile_data: Any) -> None:
    files = render(hostile_data, "csv")
    nodes = {r["Id"]: r for r in _rows(files["nodes.csv"])}
    assert nodes["formula-person"]["Label"] == "'=Formula Vannak"
    assert nodes["formula-person"]["aliases"] == "'+Plus Vannak | -Minus Vannak | @At Vannak"
    assert nodes["quote-person"]["Label"] == "Sok \"Quote\" O'Neil"
    assert nodes["quote-person"]["description"] == "A name with both quote marks.\nA second line, and a\ttab."
    assert nodes["khmer-person"]["Label"] == "សុខ ដារ៉ា"
    assert nodes["lotus-party"]["description"].startswith("'=HYPERLINK(")
    facts = {r["predicate"]: r for r in _rows(files["node_facts.csv"])}
    assert facts["statedBy"]["value"] == "'=cmd|' /C calc'!A0"
    assert facts["occupation"]["value"] == "'@teacher\tof Khmer"
    assert facts["occupation"]["cited_published"] == "" and facts["occupation"]["undated"] == "true"
    for name, data in files.items():
        for row in csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")):
            assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row), (name, row)


def test_neo4j_files_have_admin_import_headers(mini_data: Any) -> None:
    files = render(mini_data, "neo4j")
    assert set(files) == {"nodes.csv", "facts.csv", "relationships.csv", "fact_links.csv", "load.cypher"}
    header = {name: next(csv.reader(io.StringIO(files[name].decode("utf-8")))) for name in files if name.endswith(".csv")}
    assert header["nodes.csv"][:2] == ["id:ID(Entity)", ":LABEL"]
    assert header["relationships.csv"][:3] == [":START_ID(Entity)", ":END_ID(Entity)", ":TYPE"]
    assert header["facts.csv"][0] == "id:ID(Fact)"
    assert header["fact_links.csv"] == [":START_ID(Entity)", ":END_ID(Fact)", ":TYPE"]
    assert not files["nodes.csv"].startswith("\ufeff".encode())


def test_neo4j_relationships_and_fact_links_point_at_known_ids(hostile_data: Any) -> None:
    files = render(hostile_data, "neo4j")
    entities = {r["id:ID(Entity)"] for r in _rows(files["nodes.csv"], bom=False)}
    facts = {r["id:ID(Fact)"] for r in _rows(files["facts.csv"], bom=False)}
    rels = _rows(files["relationships.csv"], bom=False)
    assert rels and all(r[":START_ID(Entity)"] in entities and r[":END_ID(Entity)"] in entities for r in rels)
    links = _rows(files["fact_links.csv"], bom=False)
    assert links and all(r[":START_ID(Entity)"] in entities and r[":END_ID(Fact)"] in facts for r in links)
    labels = {r["id:ID(Entity)"]: r[":LABEL"] for r in _rows(files["nodes.csv"], bom=False)}
    assert labels["khmer-person"] == "Entity;Person" and labels["lotus-party"] == "Entity;PoliticalParty"
    assert {r[":TYPE"] for r in rels} == {"MET_WITH", "MEMBER_OF", "DETAINED_AT", "RELEASED_FROM", "DISSOLVED_BY"}


def test_the_cypher_script_loads_the_same_files_and_names_every_type(hostile_data: Any) -> None:
    files = render(hostile_data, "neo4j")
    script = files["load.cypher"].decode()
    loaded = set(re.findall(r"LOAD CSV WITH HEADERS FROM 'file:///([a-z_]+\.csv)'", script))
    assert loaded == {"nodes.csv", "facts.csv", "relationships.csv", "fact_links.csv"}
    for t in {r[":TYPE"] for r in _rows(files["relationships.csv"], bom=False)}:
        assert f"MERGE (a)-[r:`{t}` {{fact_id: row.fact_id}}]->(b)" in script
    for label in ("Person", "PoliticalParty", "Prison", "Court"):
        assert f"SET n:`{label}`;" in script
    # no data value is ever spliced into the script: only ontology names and column names
    assert "Vannak" not in script and "Quote" not in script and "ដារ" not in script


def test_relationship_types_come_from_predicate_names() -> None:
    assert rel_type("memberOf") == "MEMBER_OF" and rel_type("holdsRole") == "HOLDS_ROLE"
    with pytest.raises(ValueError):
        rel_type("x`]->() DETACH DELETE n //")


@pytest.mark.corpus
def test_real_csv_holds_together(real_data: Any) -> None:
    files = render(real_data, "csv")
    nodes = {r["Id"] for r in _rows(files["nodes.csv"])}
    edges = _rows(files["edges.csv"])
    assert all(e["Source"] in nodes and e["Target"] in nodes for e in edges)
    assert len(edges) + len(_rows(files["node_facts.csv"])) == len(real_data.claims)
