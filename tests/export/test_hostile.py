"""Hostile values (quotes, newlines, control characters, Khmer, a leading =, missing values)
survive every export format: the file parses, the value reads back, nothing runs."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from typing import Any

import networkx as nx
import pyoxigraph as ox
import pytest

from graph.export import FORMATS, render

NAMES = ["Sok \"Quote\" O'Neil", "=Formula Vannak", "សុខ ដារ៉ា", "Lotus <Party> & \"Friends\"", "Hill <Prison>"]
RDF = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES, "nquads": ox.RdfFormat.N_QUADS,
       "trig": ox.RdfFormat.TRIG, "jsonld": ox.RdfFormat.JSON_LD}


def _labels(fmt: str, files: dict[str, bytes]) -> set[str]:
    """Every entity label as the format's own reader gives it back."""
    if fmt in RDF:
        (data,) = files.values()
        return {q.object.value for q in ox.parse(data, format=RDF[fmt])
                if q.predicate.value == "http://www.w3.org/2004/02/skos/core#prefLabel"}
    if fmt == "graphml":
        g = nx.read_graphml(io.BytesIO(files["graph.graphml"]), force_multigraph=True)
        return {a["label"] for _, a in g.nodes(data=True)}
    if fmt == "gexf":
        g = nx.read_gexf(io.BytesIO(files["graph.gexf"]))
        return {a["label"] for _, a in g.nodes(data=True)}
    if fmt == "nodelink":
        return {n["label"] for n in json.loads(files["graph.nodelink.json"])["nodes"]}
    if fmt == "csv":
        rows = csv.DictReader(io.StringIO(files["nodes.csv"].decode("utf-8-sig"), newline=""))
        return {r["Label"].removeprefix("'") for r in rows}
    rows = csv.DictReader(io.StringIO(files["nodes.csv"].decode("utf-8"), newline=""))
    return {r["name"].removeprefix("'") for r in rows}


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_format_parses_and_gives_the_hostile_labels_back(fmt: str, hostile_data: Any) -> None:
    files = render(hostile_data, fmt)
    assert files and all(len(b) > 0 for b in files.values())
    for name, data in files.items():
        if name.endswith((".graphml", ".gexf")):
            ET.fromstring(data)
        data.decode("utf-8")  # valid UTF-8 throughout
    assert set(NAMES) <= _labels(fmt, files)


def test_the_vertical_tab_of_a_quote_is_dropped_from_xml_and_kept_elsewhere(hostile_data: Any) -> None:
    g = nx.read_graphml(io.BytesIO(render(hostile_data, "graphml")["graph.graphml"]), force_multigraph=True)
    quote = next(a["quote"] for _, _, a in g.edges(data=True) if a["predicate"] == "metWith")
    assert "\x0b" not in quote and quote.endswith("cafe.A vertical tab sits here.")
    nodelink = json.loads(render(hostile_data, "nodelink")["graph.nodelink.json"])
    assert any("\x0b" in (e.get("quote") or "") for e in nodelink["edges"])
    edges = render(hostile_data, "csv")["edges.csv"].decode("utf-8-sig")
    assert "\x0b" in edges


def test_missing_values_are_left_out_not_written_as_none(hostile_data: Any) -> None:
    for fmt in ("graphml", "gexf", "nodelink"):
        (data,) = render(hostile_data, fmt).values()
        assert b"None" not in data and b"null" not in data, fmt
    g = nx.read_graphml(io.BytesIO(render(hostile_data, "graphml")["graph.graphml"]), force_multigraph=True)
    assert "description" not in g.nodes["hill-prison"] and "aliases" not in g.nodes["khmer-person"]
    occupation = json.loads(g.nodes["khmer-person"]["literal_facts"])
    undated = next(f for f in occupation if f["predicate"] == "occupation")
    assert "published" not in undated and "publisher" not in undated and undated["undated"] is True
