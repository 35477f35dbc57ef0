"""RDF exports parse back to exactly the built graph (the same terms, the same named graphs)."""

from __future__ import annotations

import json
from typing import Any

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from graph.export import render
from graph.export.rdf import CONTEXT_PATH, context
from graph.namespaces import PREFIXES

from .conftest import no_remote_loader

DATASETS = {"nquads": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG, "jsonld": ox.RdfFormat.JSON_LD}
GRAPHS = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES}
FILE = {"nquads": "graph.nq", "trig": "graph.trig", "jsonld": "graph.jsonld", "turtle": "graph.ttl",
        "ntriples": "graph.nt"}


def _union(quads: Any) -> set[ox.Triple]:
    return {ox.Triple(q.subject, q.predicate, q.object) for q in quads}


@pytest.mark.parametrize("which", ["mini_data", "hostile_data"])
@pytest.mark.parametrize("fmt", sorted(DATASETS))
def test_dataset_formats_parse_back_to_the_same_quads(fmt: str, which: str, request: pytest.FixtureRequest) -> None:
    data = request.getfixturevalue(which)
    out = render(data, fmt)[FILE[fmt]]
    back = set(ox.parse(out, format=DATASETS[fmt]))
    assert back == set(data.quads)


@pytest.mark.parametrize("which", ["mini_data", "hostile_data"])
@pytest.mark.parametrize("fmt", sorted(GRAPHS))
def test_graph_formats_parse_back_to_the_union_of_the_sources(fmt: str, which: str, request: pytest.FixtureRequest) -> None:
    data = request.getfixturevalue(which)
    out = render(data, fmt)[FILE[fmt]]
    assert _union(ox.parse(out, format=GRAPHS[fmt])) == _union(data.quads)


def test_nquads_export_is_the_builds_canonical_file(mini_built: Any, mini_data: Any) -> None:
    assert render(mini_data, "nquads")["graph.nq"] == (mini_built.exports_dir / "graph.nq").read_bytes()


def test_trig_keeps_one_named_graph_per_source(mini_data: Any) -> None:
    out = render(mini_data, "trig")["graph.trig"]
    graphs = {q.graph_name.value for q in ox.parse(out, format=ox.RdfFormat.TRIG)}
    assert {"https://w3id.org/cpkg/graph/test-alpha-2024-03-05", "https://w3id.org/cpkg/graph/test-beta-page",
            "https://w3id.org/cpkg/graph/registry"} <= graphs


def _rdflib_quads(ds: rdflib.Dataset) -> set[tuple[str, ...]]:
    return {(s.n3(), p.n3(), o.n3(), g.n3()) for s, p, o, g in ds.quads()}


@pytest.mark.parametrize("which", ["mini_data", "hostile_data"])
def test_rdflib_reads_turtle_isomorphic_to_the_nquads(which: str, request: pytest.FixtureRequest) -> None:
    """The same parser (rdflib's) on both sides, so plain and xsd:string literals compare alike."""
    data = request.getfixturevalue(which)
    ds = rdflib.Dataset().parse(data=render(data, "nquads")["graph.nq"].decode(), format="nquads")
    union = rdflib.Graph()
    for s, p, o, _g in ds.quads():
        union.add((s, p, o))
    ttl = rdflib.Graph().parse(data=render(data, "turtle")["graph.ttl"].decode(), format="turtle")
    assert isomorphic(ttl, union)


@pytest.mark.parametrize("which", ["mini_data", "hostile_data"])
def test_jsonld_expands_offline_in_rdflib_to_the_same_dataset(which: str, request: pytest.FixtureRequest,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    import rdflib.plugins.shared.jsonld.context as jsonld_context

    monkeypatch.setattr(jsonld_context, "source_to_json", no_remote_loader)
    data = request.getfixturevalue(which)
    from_jsonld = rdflib.Dataset().parse(data=render(data, "jsonld")["graph.jsonld"].decode(), format="json-ld")
    from_nq = rdflib.Dataset().parse(data=render(data, "nquads")["graph.nq"].decode(), format="nquads")
    assert _rdflib_quads(from_jsonld) == _rdflib_quads(from_nq)


def test_jsonld_context_by_reference_names_the_file_beside_it(mini_data: Any, tmp_path: Any) -> None:
    files = render(mini_data, "jsonld", embed_context=False)
    assert json.loads(files["graph.jsonld"])["@context"] == "context.jsonld"
    assert files["context.jsonld"] == CONTEXT_PATH.read_bytes()
    # expanded with the shipped file standing in for the reference: a loader that serves it and refuses the rest
    doc = json.loads(files["graph.jsonld"])
    doc["@context"] = json.loads(files["context.jsonld"])["@context"]
    back = set(ox.parse(json.dumps(doc).encode(), format=ox.RdfFormat.JSON_LD))
    assert back == set(mini_data.quads)


def test_jsonld_has_no_remote_reference_in_its_context(mini_data: Any) -> None:
    doc = json.loads(render(mini_data, "jsonld")["graph.jsonld"])
    assert isinstance(doc["@context"], dict)
    assert all(not isinstance(v, dict) and not k.startswith("@") for k, v in doc["@context"].items())
    assert "@import" not in json.dumps(doc["@context"])


def test_the_shipped_context_declares_every_project_prefix() -> None:
    ctx = context()
    for prefix, iri in PREFIXES.items():
        assert ctx[prefix] == iri
    for prefix in ("graph", "case", "role"):
        assert ctx[prefix].startswith("https://w3id.org/cpkg/")


def test_control_characters_of_quotes_survive_rdf_escaped(hostile_data: Any) -> None:
    """The article text holds a vertical tab; N-Quads escapes it and parsing restores it."""
    nq = render(hostile_data, "nquads")["graph.nq"]
    assert b"\x0b" not in nq and b"\\u000B" in nq
    exact = [q.object.value for q in ox.parse(nq, format=ox.RdfFormat.N_QUADS)
             if q.predicate.value == "http://www.w3.org/ns/oa#exact"]
    assert any("\x0b" in e for e in exact)


@pytest.mark.corpus
@pytest.mark.parametrize("fmt", sorted(DATASETS) + sorted(GRAPHS))
def test_real_data_round_trips(fmt: str, real_data: Any) -> None:
    out = render(real_data, fmt)[FILE[fmt]]
    if fmt in DATASETS:
        assert set(ox.parse(out, format=DATASETS[fmt])) == set(real_data.quads)
    else:
        assert _union(ox.parse(out, format=GRAPHS[fmt])) == _union(real_data.quads)


def test_the_refusing_loader_is_what_rdflib_would_call_for_a_remote_context(monkeypatch: pytest.MonkeyPatch) -> None:
    """Proof that the offline test above would notice a fetch: a remote @context hits the loader."""
    import rdflib.plugins.shared.jsonld.context as jsonld_context

    monkeypatch.setattr(jsonld_context, "source_to_json", no_remote_loader)
    doc = json.dumps({"@context": "http://127.0.0.1:9/context.jsonld", "@id": "http://example.org/a"})
    with pytest.raises(AssertionError, match="remote JSON-LD"):
        rdflib.Dataset().parse(data=doc, format="json-ld")


def test_pyoxigraph_refuses_a_remote_context_without_fetching_it() -> None:
    doc = json.dumps({"@context": "http://127.0.0.1:9/context.jsonld", "@id": "http://example.org/a",
                      "http://example.org/p": "x"}).encode()
    with pytest.raises((SyntaxError, ValueError, OSError)):
        list(ox.parse(doc, format=ox.RdfFormat.JSON_LD))


def test_turtle_export_is_the_builds_graph_ttl(mini_built: Any, mini_data: Any) -> None:
    assert render(mini_data, "turtle")["graph.ttl"] == (mini_built.exports_dir / "graph.ttl").read_bytes()


def test_reading_the_store_gives_the_same_data_as_reading_graph_nq(mini: Any) -> None:
    """load() reads exports/graph.nq when build.json vouches for it, else the store."""
    from graph.build import build
    from graph.export import load
    from graph.export.data import built_nquads

    build(mini)
    fast = load(mini)
    assert fast.nq is not None and built_nquads(mini) == fast.nq
    (mini.exports_dir / "graph.nq").write_bytes(b"")  # no longer what build.json says: not used
    assert built_nquads(mini) is None
    slow = load(mini)
    assert slow.nq is None and slow.quads == fast.quads and slow.nquads() == fast.nquads()
    assert render(slow, "ntriples") == render(fast, "ntriples")


def test_union_of_quads_in_the_default_graph_and_named_graphs() -> None:
    """N-Triples and Turtle are the distinct triples, whatever graphs (default too) hold them."""
    from graph.export import from_quads

    a, b, p = ox.NamedNode("http://example.org/a"), ox.NamedNode("http://example.org/b"), ox.NamedNode("http://example.org/p")
    quads = sorted({ox.Quad(a, p, ox.Literal("x")), ox.Quad(a, p, ox.Literal("x"), ox.NamedNode("http://example.org/g")),
                    ox.Quad(a, p, ox.Literal("x", language="en"), ox.NamedNode("http://example.org/g")),
                    ox.Quad(b, p, a, ox.NamedNode("http://example.org/g2")), ox.Quad(b, p, a, ox.NamedNode("http://example.org/g"))},
                   key=str)
    data = from_quads(quads)
    nt = render(data, "ntriples")["graph.nt"]
    assert nt.decode().splitlines() == sorted({f"{q.subject} {q.predicate} {q.object} ." for q in quads})
    assert _union(ox.parse(render(data, "turtle")["graph.ttl"], format=ox.RdfFormat.TURTLE)) == _union(quads)
    assert set(ox.parse(render(data, "trig")["graph.trig"], format=ox.RdfFormat.TRIG)) == set(quads)
