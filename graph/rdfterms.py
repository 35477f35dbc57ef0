"""Conversions between pyoxigraph terms (fast store, loader output) and rdflib terms
(SHACL validation, serialisers).  Kept in one place so the two libraries meet only here."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox


def to_rdflib(term: Any) -> Any:
    import rdflib

    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        dt = term.datatype.value
        if dt == "http://www.w3.org/2001/XMLSchema#string":
            return rdflib.Literal(term.value)
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(dt))
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    raise TypeError(f"unsupported term {term!r}")


def union_graph(quads: Iterable[ox.Quad]) -> Any:
    """An rdflib Graph holding every triple of every named graph (for pyshacl)."""
    import rdflib

    g = rdflib.Graph()
    for q in quads:
        g.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
    return g
