"""Project the RDF graph onto a NetworkX MultiDiGraph of actors.

Nodes are actors (keyed by registry id) with ``label``, ``type``, ``aliases`` and
``literal_facts`` (claims whose object is a literal: statements, charges, sentences,
citizenship...).  Edges are claims between actors, one edge per claim (so two sources
stating the same tie give two edges), keyed by the claim's fact id, with ``predicate``,
``label``, dates and the source.  Where an edge points (the object, or a qualifier such as
the ``org`` of a role) and how it reads are annotations of the ontology
(``cpkg:edgeTarget``, ``cpkg:edgeLabel``): nothing here names a predicate.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import networkx as nx

from .model import load_model

if TYPE_CHECKING:  # pragma: no cover
    from .settings import Settings


def project(settings: Settings | None = None) -> nx.MultiDiGraph:
    """The actor network of the current build (rebuilt first if the inputs changed): the graph
    the pages and the GraphML/GEXF/CSV exports are made from, with each claim's period."""
    from .export.data import load
    from .settings import get_settings

    return load(settings or get_settings()).graph


def project_rows(actors: list[dict[str, Any]], claims: list[dict[str, Any]]) -> nx.MultiDiGraph:
    """The actor network of the ``actors`` and ``claims`` tables (graph.export.data reads them
    from the build's quads: one projection for the pages and every network export)."""
    model = load_model()
    g = nx.MultiDiGraph()
    for a in actors:
        g.add_node(
            a["id"], label=a["name"], type=a["type"],
            aliases=sorted({x for x in (a.get("aliases") or "").split(" | ") if x}),  # same order on every path
            description=a.get("description") or "", literal_facts=[],
        )
    for c in sorted(claims, key=lambda c: c["factId"]):
        pred = model.predicates[c["p"]]
        target = c["o"] if pred.edge_target == "object" else (c.get(pred.edge_target) if pred.edge_target != "none" else None)
        attrs = {
            "predicate": c["p"],
            "label": c["oLiteral"] if c["p"] == "holdsRole" else pred.edge_label,
            "date": c.get("date"), "start": c.get("start"), "end": c.get("end"),
            "expected": c.get("expected") == "true", "former": c.get("former") == "true",
            "status": c["status"], "confidence": float(c["confidence"]) if c.get("confidence") else None,
            "source": c["source"], "publisher": c.get("publisher"), "published": c.get("published"),
            "url": c.get("url"), "quote": c.get("quote"), "note": c.get("note"),
            "lineage": pred.lineage, "symmetric": pred.symmetric,
            "object": c.get("o") or c.get("oLiteral"),
        }
        if target and target in g and c["s"] in g:
            g.add_edge(c["s"], target, key=c["factId"], **attrs)
        elif c["s"] in g:
            g.nodes[c["s"]]["literal_facts"].append({"id": c["factId"], **attrs})
    return g
