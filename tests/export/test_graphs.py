"""GraphML, GEXF and node-link JSON read back with networkx: same nodes, edges and attributes."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from typing import Any

import networkx as nx
import pytest

from graph.export import render
from graph.export.graphs import export_graph, gexf, graphml

GEXF_NS = "{http://www.gexf.net/1.2draft}"


def _read_graphml(data: bytes) -> nx.MultiDiGraph:
    return nx.read_graphml(io.BytesIO(data), force_multigraph=True)


def _edges(g: nx.Graph) -> dict[tuple[str, str, str], dict[str, Any]]:
    """Edges by (source, target, fact id); networkx reads a GEXF without parallel edges as a
    DiGraph, whose edges still carry the fact id as their GEXF ``id``."""
    if not g.is_multigraph():
        return {(u, v, a["id"]): dict(a) for u, v, a in g.edges(data=True)}
    return {(u, v, k): dict(a) for u, v, k, a in g.edges(keys=True, data=True)}


@pytest.mark.parametrize("which", ["mini_data", "hostile_data"])
def test_graphml_reads_back_with_the_same_nodes_edges_and_attributes(which: str, request: pytest.FixtureRequest) -> None:
    data = request.getfixturevalue(which)
    expected = export_graph(data.graph)
    back = _read_graphml(render(data, "graphml")["graph.graphml"])
    assert dict(back.nodes(data=True)) == dict(expected.nodes(data=True))
    assert _edges(back) == _edges(expected)
    assert back.number_of_edges() == data.graph.number_of_edges() > 0


@pytest.mark.parametrize("which", ["mini_data", "hostile_data"])
def test_gexf_reads_back_with_the_same_nodes_edges_attributes_and_periods(which: str, request: pytest.FixtureRequest) -> None:
    data = request.getfixturevalue(which)
    expected = export_graph(data.graph)
    back = nx.read_gexf(io.BytesIO(render(data, "gexf")["graph.gexf"]))
    for n, a in expected.nodes(data=True):
        want = dict(a)
        if "exists_from" in a:
            want["start"] = a["exists_from"]
        if "exists_to" in a:
            want["end"] = a["exists_to"]
        assert back.nodes[n] == want
    assert set(back.nodes) == set(expected.nodes)
    got = _edges(back)
    assert set(got) == set(_edges(expected))
    for (u, v, k), a in _edges(expected).items():
        want = dict(a, id=k)
        if "valid_from" in a:
            want["start"] = a["valid_from"]
        if "valid_to" in a:
            want["end"] = a["valid_to"]
        assert got[(u, v, k)] == want


def test_gexf_is_dynamic_with_dates_for_gephis_timeline(hostile_data: Any) -> None:
    root = ET.fromstring(render(hostile_data, "gexf")["graph.gexf"])
    graph = root.find(f"{GEXF_NS}graph")
    assert graph is not None and graph.get("mode") == "dynamic" and graph.get("timeformat") == "date"
    party = next(n for n in root.iter(f"{GEXF_NS}node") if n.get("id") == "lotus-party")
    assert (party.get("start"), party.get("end")) == ("2019-03-01", "2024-06-30")
    membership = next(e for e in root.iter(f"{GEXF_NS}edge") if e.get("source") == "khmer-person"
                      and e.get("target") == "lotus-party")
    assert membership.get("start") == "2020-01-01" and membership.get("end") is None


def test_gexf_carries_the_data_date_not_the_wall_clock(mini_data: Any) -> None:
    meta = ET.fromstring(render(mini_data, "gexf")["graph.gexf"]).find(f"{GEXF_NS}meta")
    assert meta is not None and meta.get("lastmodifieddate") == mini_data.date == "2024-03-05"


def test_nodelink_keeps_lists_and_records_and_drops_none(mini_data: Any) -> None:
    doc = json.loads(render(mini_data, "nodelink")["graph.nodelink.json"])
    g = nx.node_link_graph(doc, edges="edges", directed=True, multigraph=True)
    assert set(g.nodes) == set(mini_data.graph.nodes)
    assert g.nodes["chan-vuthy"]["aliases"] == ["Chan Vuthey", "Vuthy"]
    facts = g.nodes["chan-vuthy"]["literal_facts"]
    assert sorted(f["object"] for f in facts if f["predicate"] == "sentencedTo") == ["P1Y6M", "P3Y"]
    assert any(a["predicate"] == "convictedOf" for _, _, a in g.out_edges("chan-vuthy", data=True))  # to the court
    assert "null" not in json.dumps(doc)
    assert g.number_of_edges() == mini_data.graph.number_of_edges()


def test_none_list_dict_and_control_characters_never_give_an_empty_or_invalid_graphml(mini_data: Any) -> None:
    """networkx writes a 0-byte GraphML on a None attribute (MEASURED): the exporter drops it."""
    g = mini_data.graph.copy()
    g.nodes["sok-dara"].update(nothing=None, tags=["a", "b"], record={"k": "v"}, label="Sok\x0bDara\x00!")
    u, v, k = next(iter(g.edges(keys=True)))
    g.edges[u, v, k].update(note=None, quote="tab\there, vt\x0bhere")
    for write in (graphml, gexf):
        data = write(g)
        assert len(data) > 1000
        ET.fromstring(data)  # well-formed XML
    back = _read_graphml(graphml(g))
    node = back.nodes["sok-dara"]
    assert node["label"] == "SokDara!" and node["tags"] == "a | b" and json.loads(node["record"]) == {"k": "v"}
    assert "nothing" not in node
    assert back.edges[u, v, k]["quote"] == "tab\there, vthere" and "note" not in back.edges[u, v, k]


def test_output_is_identical_when_rendered_twice(mini_data: Any) -> None:
    for fmt, name in (("graphml", "graph.graphml"), ("gexf", "graph.gexf"), ("nodelink", "graph.nodelink.json")):
        assert render(mini_data, fmt)[name] == render(mini_data, fmt)[name]


@pytest.mark.corpus
def test_real_gexf_gives_the_cnrp_its_life_span(real_data: Any) -> None:
    back = nx.read_gexf(io.BytesIO(render(real_data, "gexf")["graph.gexf"]))
    assert (back.nodes["cnrp"]["start"], back.nodes["cnrp"]["end"]) == ("2012-07-17", "2017-11-16")
    assert back.nodes["candlelight-party"]["start"] == "2018-01-01" and "end" not in back.nodes["candlelight-party"]


@pytest.mark.corpus
def test_real_graphml_round_trips(real_data: Any) -> None:
    expected = export_graph(real_data.graph)
    back = _read_graphml(render(real_data, "graphml")["graph.graphml"])
    assert dict(back.nodes(data=True)) == dict(expected.nodes(data=True))
    assert _edges(back) == _edges(expected)
