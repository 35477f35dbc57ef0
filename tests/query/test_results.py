"""Results formats: the W3C ones read back to the same terms; the human ones escape."""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox
import pytest

from graph import results

XSD = "http://www.w3.org/2001/XMLSchema#"
TRICKY = [
    ox.Literal('say "hi",\tthen\nleave; \\ done'),
    ox.Literal("គណបក្សឆន្ទៈខ្មែរ"),
    ox.Literal("Phnom Penh", language="en"),
    ox.Literal("2023", datatype=ox.NamedNode(XSD + "gYear")),
    ox.Literal("P3Y", datatype=ox.NamedNode(XSD + "duration")),
    ox.Literal("<img src=x onerror=alert(1)> | `x`"),
    ox.NamedNode("https://w3id.org/cpkg/id/son-chhay"),
    ox.NamedNode("http://example.org/a,b?c='d'&e=%22"),
    ox.BlankNode("b0"),
]


def solutions() -> results.Solutions:
    rows = [(t, None if i % 3 == 0 else TRICKY[(i + 1) % len(TRICKY)]) for i, t in enumerate(TRICKY)]
    return results.Solutions(["x", "y"], rows)


def parsed_back(data: bytes, fmt: ox.QueryResultsFormat) -> list[tuple[object, ...]]:
    res = ox.parse_query_results(data, format=fmt)
    return [(s["x"], s["y"]) for s in res]


@pytest.mark.parametrize("name,fmt", [("json", ox.QueryResultsFormat.JSON), ("xml", ox.QueryResultsFormat.XML),
                                      ("tsv", ox.QueryResultsFormat.TSV)])
def test_w3c_formats_read_back_to_the_same_terms(name: str, fmt: ox.QueryResultsFormat) -> None:
    sol = solutions()
    assert parsed_back(results.render(sol, name), fmt) == sol.rows


def test_csv_is_rfc4180_with_plain_values() -> None:
    data = results.render(solutions(), "csv")
    assert data.startswith(b"x,y\r\n")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    assert rows[1] == ['say "hi",\tthen\nleave; \\ done', ""] and rows[2][0] == "គណបក្សឆន្ទៈខ្មែរ"
    assert [r[0] for r in rows[1:]][-1] == "_:b0"


def test_ask_in_every_format() -> None:
    yes = results.Boolean(True)
    assert json.loads(results.render(yes, "json")) == {"head": {}, "boolean": True}
    assert bool(ox.parse_query_results(results.render(yes, "xml"), format=ox.QueryResultsFormat.XML))
    assert results.render(results.Boolean(False), "table") == b"no\n"


def test_a_cut_off_is_reported_in_json_and_the_table() -> None:
    store = ox.Store()
    for i in range(5):
        store.add(ox.Quad(ox.NamedNode(f"http://e/{i}"), ox.NamedNode("http://e/p"), ox.Literal(str(i))))
    cut = results.collect(store.query("SELECT ?s WHERE { ?s ?p ?o }"), max_rows=3)
    assert isinstance(cut, results.Solutions) and len(cut.rows) == 3 and cut.truncated
    assert json.loads(results.render(cut, "json"))["cpkg"] == {"truncated": True, "max_rows": 3}
    assert b"cut off" in results.render(cut, "table")
    whole = results.collect(store.query("SELECT ?s WHERE { ?s ?p ?o }"), max_rows=5)
    assert not whole.truncated and "cpkg" not in json.loads(results.render(whole, "json"))


def test_markdown_and_table_cells_cannot_carry_markup() -> None:
    md = results.render(solutions(), "md").decode("utf-8")
    assert "<img" not in md and "&lt;img src=x onerror=alert(1)&gt; \\| \\`x\\`" in md
    assert all(line.count(" | ") >= 1 for line in md.splitlines() if line.startswith("| "))
    table = results.render(solutions(), "table").decode("utf-8")
    assert "id:son-chhay" in table and "\t" not in table.split("\n", 2)[2]


def test_graph_results_serialise_in_rdf_formats() -> None:
    t = ox.Triple(ox.NamedNode("https://w3id.org/cpkg/id/a"), ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel"),
                  TRICKY[0])
    g = results.Graph([t])
    for fmt, rdf in (("turtle", ox.RdfFormat.TURTLE), ("nt", ox.RdfFormat.N_TRIPLES), ("rdfxml", ox.RdfFormat.RDF_XML)):
        back = [ox.Triple(x.subject, x.predicate, x.object) for x in ox.parse(results.render(g, fmt), format=rdf)]
        assert back == [t], fmt
    assert json.loads(results.render(g, "jsonld"))[0]["@id"] == "https://w3id.org/cpkg/id/a"
    with pytest.raises(ValueError):
        results.render(g, "csv")


@pytest.mark.parametrize("kind,accept,requested,expected", [
    ("solutions", None, None, "json"),
    ("solutions", "*/*", None, "json"),
    ("solutions", "text/csv", None, "csv"),
    ("solutions", "application/sparql-results+xml, application/rdf+xml", None, "xml"),
    ("solutions", "text/tab-separated-values;q=0.5, text/csv;q=0.9", None, "csv"),
    ("solutions", "text/turtle", None, None),
    ("solutions", "text/csv", "json", "json"),
    ("graph", "application/sparql-results+xml, application/rdf+xml", "xml", "rdfxml"),
    ("graph", "application/ld+json", None, "jsonld"),
    ("graph", None, None, "turtle"),
    ("graph", "application/sparql-results+json", None, None),
])
def test_content_negotiation(kind: str, accept: str | None, requested: str | None, expected: str | None) -> None:
    assert results.negotiate(kind, accept, requested) == expected
