"""RDF exports: Turtle, N-Triples, N-Quads, TriG and JSON-LD.

- **N-Quads** is the canonical form (sorted lines, one named graph per source): the snapshot
  hash is computed over it and ``cpkg diff`` reads it back.
- **TriG** keeps the named graphs, for triple stores that load datasets.
- **Turtle** and **N-Triples** hold the union of the named graphs (the provenance stays on the
  claim nodes: ``prov:wasDerivedFrom``), for tools that load a single graph.
- **JSON-LD** keeps the named graphs, compacted with the shipped context
  (``ontology/context.jsonld``): embedded by default, or referenced by the relative file name
  ``context.jsonld`` written beside the export.  Nothing in the file points at a network
  context, so reading it never needs the network.

All outputs are byte-for-byte deterministic: sorted quads, sorted prefixes, sorted keys.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from .. import namespaces as ns
from ..settings import ONTOLOGY_DIR
from .values import json_text

CONTEXT_PATH = ONTOLOGY_DIR / "context.jsonld"
CONTEXT_FILE = "context.jsonld"
XSD_STRING = ns.XSD + "string"
RDF_LANG = ns.RDF + "langString"
RDF_TYPE = ns.RDF + "type"
_SAFE_LOCAL = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.\-/#]*$")


def nquads(quads: list[ox.Quad]) -> bytes:
    """Sorted canonical N-Quads (the same bytes as ``exports/graph.nq``)."""
    from ..build import nquads_bytes

    return nquads_bytes(quads)


def union_triples(quads: list[ox.Quad]) -> list[ox.Triple]:
    """The union of the named graphs: distinct triples, sorted."""
    return sorted({ox.Triple(q.subject, q.predicate, q.object) for q in quads}, key=str)


def ntriples(quads: list[ox.Quad], triples: list[ox.Triple] | None = None) -> bytes:
    """The union of the named graphs, one sorted line per triple."""
    return "".join([f"{t} .\n" for t in (triples if triples is not None else union_triples(quads))]).encode("utf-8")


def turtle(quads: list[ox.Quad], triples: list[ox.Triple] | None = None) -> bytes:
    from ..build import serialize

    return serialize(triples if triples is not None else union_triples(quads), ox.RdfFormat.TURTLE)


def turtle_from_ntriples(nt: bytes) -> bytes:
    """Turtle of sorted N-Triples, streamed through the native parser and serialiser (no
    Python list of a million triples)."""
    from ..build import serialize

    return serialize(ox.parse(nt, format=ox.RdfFormat.N_TRIPLES), ox.RdfFormat.TURTLE)  # type: ignore[arg-type]


def trig_from_nquads(nq: bytes) -> bytes:
    """TriG of N-Quads already grouped by graph (see :meth:`ExportData.graph_sorted_nquads`)."""
    from ..build import serialize

    return serialize(ox.parse(nq, format=ox.RdfFormat.N_QUADS), ox.RdfFormat.TRIG)  # type: ignore[arg-type]


def trig(quads: list[ox.Quad]) -> bytes:
    from ..build import serialize

    ordered = sorted(quads, key=lambda q: (q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else "", str(q)))
    return serialize(ordered, ox.RdfFormat.TRIG)


def context() -> dict[str, Any]:
    """The shipped JSON-LD context (its ``@context`` object)."""
    data = json.loads(CONTEXT_PATH.read_text(encoding="utf-8"))
    ctx = data["@context"]
    assert isinstance(ctx, dict)
    return ctx


class _Compactor:
    """IRI -> ``prefix:local`` with the context's prefixes, only where that expands back exactly."""

    def __init__(self, ctx: dict[str, Any]) -> None:
        prefixes = [(k, v) for k, v in ctx.items() if isinstance(v, str) and not k.startswith("@")]
        self.prefixes = sorted(prefixes, key=lambda kv: -len(kv[1]))
        self.cache: dict[str, str] = {}

    def __call__(self, iri: str) -> str:
        done = self.cache.get(iri)
        if done is not None:
            return done
        out = iri
        for prefix, base in self.prefixes:
            if iri.startswith(base):
                local = iri[len(base):]
                if local and _SAFE_LOCAL.match(local) and not local.startswith("//"):
                    out = f"{prefix}:{local}"
                    break
        if len(self.cache) < 1_000_000:
            self.cache[iri] = out
        return out


def _node_ref(term: Any, compact: _Compactor) -> str:
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return compact(term.value)


def _value(term: Any, compact: _Compactor) -> Any:
    if isinstance(term, ox.Literal):
        text = json_text(term.value)
        if term.language:
            return {"@value": text, "@language": term.language}
        dt = term.datatype.value
        if dt == XSD_STRING:
            return text
        return {"@value": text, "@type": compact(dt)}
    return {"@id": _node_ref(term, compact)}


def jsonld(quads: list[ox.Quad], *, embed_context: bool = True) -> bytes:
    """JSON-LD with one ``@graph`` entry per named graph, node objects sorted by ``@id``."""
    ctx = context()
    compact = _Compactor(ctx)
    graphs: dict[str, dict[str, dict[str, list[Any]]]] = {}
    for q in quads:
        g = q.graph_name
        gkey = _node_ref(g, compact) if isinstance(g, (ox.NamedNode, ox.BlankNode)) else ""
        node = graphs.setdefault(gkey, {}).setdefault(_node_ref(q.subject, compact), {})
        if q.predicate.value == RDF_TYPE and isinstance(q.object, ox.NamedNode):
            node.setdefault("@type", []).append(compact(q.object.value))
        else:
            node.setdefault(compact(q.predicate.value), []).append(_value(q.object, compact))
    # Written piecewise, one node object per line: json's C encoder (no indent) does each node,
    # so the file stays readable and a million triples take seconds, not minutes.
    dump = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

    def node_lines(nodes: dict[str, dict[str, list[Any]]]) -> str:
        out = []
        for sid in sorted(nodes):
            props = nodes[sid]
            obj: dict[str, Any] = {"@id": sid}
            for key in sorted(props):
                obj[key] = props[key]
            out.append(dump(obj))
        return ",\n".join(out)

    parts = ['{"@context": ' + (json.dumps(ctx, ensure_ascii=False, indent=1) if embed_context else dump(CONTEXT_FILE)),
             ',\n"@graph": [\n']
    entries = []
    if "" in graphs:
        entries.append(node_lines(graphs.pop("")))
    for gkey in sorted(graphs):
        entries.append('{"@id": ' + dump(gkey) + ', "@graph": [\n' + node_lines(graphs[gkey]) + "\n]}")
    parts.append(",\n".join(entries))
    parts.append("\n]}\n")
    return "".join(parts).encode("utf-8")


def context_bytes() -> bytes:
    return CONTEXT_PATH.read_bytes()


def write_context_beside(path: Path) -> Path:
    """Write the shipped context next to a JSON-LD file that refers to it by name."""
    from .. import atomic

    target = path.parent / CONTEXT_FILE
    atomic.write_bytes(target, context_bytes())
    return target
