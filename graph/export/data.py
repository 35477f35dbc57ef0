"""What every export is made from: the built quads, and the tables and network derived from them.

One :class:`ExportData` feeds every format, so the RDF files, the network files, the tables and
the manifest of a snapshot describe the same graph.  The quads come from the persistent store
(:func:`graph.build.open_store`, rebuilt first when the inputs changed) or from a snapshot's
``graph.nq``; the claim, actor and source tables are read from the quads in one pass (the same
rows as the ``claims`` and ``actors`` named queries, plus every evidence span of a claim, which
the diff compares), and the network is :func:`graph.network.project_rows` of those rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from .. import asof, gcpause
from .. import namespaces as ns
from ..errors import InputError
from ..settings import MAX_RDF_BYTES, Settings

_CP = ns.CPKG
RDF_TYPE = ns.RDF + "type"
CLAIM = _CP + "Claim"
#: claim property IRI -> row key (the ``claims`` named query's names)
_CLAIM_FIELDS = {
    _CP + "factId": "factId",
    _CP + "status": "status",
    _CP + "date": "date",
    _CP + "startDate": "start",
    _CP + "endDate": "end",
    _CP + "expected": "expected",
    _CP + "former": "former",
    _CP + "confidence": "confidence",
    _CP + "relation": "relation",
    ns.SKOS + "note": "note",
    ns.ORG + "organization": "org",
    _CP + "court": "court",
    _CP + "election": "election",
}
_SOURCE_FIELDS = {
    ns.DCTERMS + "title": "title",
    ns.DCTERMS + "publisher": "publisher",
    ns.SCHEMA + "url": "url",
    ns.SCHEMA + "datePublished": "published",
    _CP + "textSha256": "text_sha256",
    _CP + "datePrecisionNote": "date_note",
    ns.DCTERMS + "language": "language",
}
QUOTE_JOIN = " \u2026 "


@dataclass
class ExportData:
    """The graph to export (already cut to ``as_of`` when one is given)."""

    quads: list[ox.Quad]
    claims: list[dict[str, Any]]
    actors: list[dict[str, Any]]
    sources: list[dict[str, Any]]
    timeline: asof.Timeline
    as_of: dt.date | None = None
    all_claims: list[dict[str, Any]] = field(default_factory=list, repr=False)
    all_actors: list[dict[str, Any]] = field(default_factory=list, repr=False)
    nq: bytes | None = field(default=None, repr=False)  # the canonical N-Quads of ``quads``, when read from disk

    @cached_property
    def lines(self) -> list[str]:
        """The canonical N-Quads lines of ``quads`` (without the final `` .``), in order."""
        if self.nq is not None:
            # Canonical N-Quads end every line with " .\n" and escape newlines inside literals,
            # so one split gives the lines without copying them twice.
            lines = self.nq.decode("utf-8").split(" .\n")
            if lines and lines[-1] == "":
                lines.pop()
            return lines
        return [str(q) for q in self.quads]

    def release_text(self) -> None:
        """Forget the line caches (a snapshot calls this once the RDF text formats are written)."""
        for name in ("lines", "triple_lines"):
            self.__dict__.pop(name, None)

    def nquads(self) -> bytes:
        if self.nq is None:
            self.nq = _join(self.lines)
        return self.nq

    @cached_property
    def triple_lines(self) -> list[str]:
        """N-Triples lines of the union of the named graphs, distinct and sorted: each quad's
        line without its graph name (IRIs hold no space, so it is the last space-separated part)."""
        lines, quads = self.lines, self.quads
        if any(isinstance(q.graph_name, ox.DefaultGraph) for q in quads):
            return sorted({line if isinstance(q.graph_name, ox.DefaultGraph) else line[:line.rfind(" ")]
                           for line, q in zip(lines, quads, strict=True)})
        # Every quad is in a named graph and the lines are sorted, so the quads of one triple are
        # adjacent and the triples come out sorted (a space sorts before any character that can
        # follow a term); checked as we go, with a full sort if the order is ever broken.
        out: list[str] = []
        last = ""
        for line in lines:
            triple = line[:line.rfind(" ")]
            if triple != last:
                if triple < last:
                    return sorted(set(out) | {ln[:ln.rfind(" ")] for ln in lines})
                out.append(triple)
                last = triple
        return out

    def ntriples(self) -> bytes:
        return _join(self.triple_lines)

    def graph_sorted_nquads(self) -> bytes:
        """N-Quads grouped by named graph (for TriG), sorted within each graph."""
        by_graph: dict[str, list[str]] = {}
        for line, q in zip(self.lines, self.quads, strict=True):
            g = "" if isinstance(q.graph_name, ox.DefaultGraph) else line[line.rfind(" ") + 1:]
            by_graph.setdefault(g, []).append(line)
        return b"".join(_join(sorted(by_graph.pop(g))) for g in sorted(by_graph))

    @cached_property
    def graph(self) -> Any:
        """The actor network with periods (``valid_from``/``valid_to``/``undated`` on every claim)."""
        from ..network import project_rows

        g = project_rows(self.all_actors or self.actors, self.all_claims or self.claims)
        asof.annotate_graph(g, self.timeline)
        if self.as_of is not None:
            g = asof.filter_graph(g, self.as_of, self.timeline)
        return g

    @property
    def date(self) -> str:
        """The snapshot's date: the as-of date, else the latest publication date of a source."""
        if self.as_of is not None:
            return self.as_of.isoformat()
        return latest_published(self.sources) or "undated"


def _join(lines: list[str]) -> bytes:
    """N-Quads/N-Triples bytes of lines without their `` .`` (one join, no per-line copies)."""
    return (" .\n".join(lines) + " .\n").encode("utf-8") if lines else b""


def latest_published(sources: list[dict[str, Any]]) -> str | None:
    dated = [s["published"] for s in sources if asof.lower(s.get("published"))]
    return max(dated, key=lambda t: (asof.lower(t), asof.upper(t), t)) if dated else None


def sorted_quads(quads: Any) -> list[ox.Quad]:
    """Canonical order (the order of ``graph.nq``), without duplicates."""
    return sorted(set(quads), key=str)


def store_quads(settings: Settings) -> list[ox.Quad]:
    """Every quad of the built graph (the store is rebuilt first if the inputs changed)."""
    from ..build import open_store

    store = open_store(settings)
    try:
        return sorted_quads(store.quads_for_pattern(None, None, None, None))
    finally:
        del store


def built_nquads(settings: Settings) -> bytes | None:
    """``exports/graph.nq`` when ``cpkg build`` wrote it from the current inputs, else ``None``.

    Reading the canonical file is several times faster than iterating the store (2.6 s against
    9.6 s at a million quads); it is used only when ``build.json`` carries the inputs' current
    fingerprint and the file's SHA-256, so a stale or half-replaced file is never exported.
    """
    import hashlib
    import json

    from ..build import fingerprint

    manifest, nq = settings.exports_dir / "build.json", settings.exports_dir / "graph.nq"
    try:
        meta = json.loads(manifest.read_text(encoding="utf-8"))
        if meta.get("fingerprint") != fingerprint(settings) or not meta.get("nquads_sha256"):
            return None
        data = nq.read_bytes()
    except (OSError, ValueError):
        return None
    return data if hashlib.sha256(data).hexdigest() == meta["nquads_sha256"] else None


def read_nquads(path: Path) -> list[ox.Quad]:
    """A snapshot's ``graph.nq`` (or any N-Quads file) in file order; huge files are refused."""
    if not path.is_file():
        raise InputError("no such file", path=path)
    if path.stat().st_size > MAX_RDF_BYTES * 20:
        raise InputError("file too large to compare", path=path)
    try:
        with open(path, "rb") as fh:
            return list(ox.parse(fh, format=ox.RdfFormat.N_QUADS))  # a snapshot's graph.nq is sorted already
    except SyntaxError as exc:
        raise InputError(f"not valid N-Quads: {exc}", path=path) from None


def load(settings: Settings, as_of: dt.date | str | None = None) -> ExportData:
    """The current build, optionally as it stood on ``as_of``: from ``exports/graph.nq`` when it
    is the build of the current inputs, else from the store (rebuilt first if stale)."""
    nq = built_nquads(settings)
    if nq is not None:
        with gcpause.paused():
            quads = list(ox.parse(nq, format=ox.RdfFormat.N_QUADS))
        return from_quads(quads, as_of, nq=nq)
    return from_quads(store_quads(settings), as_of)


def from_quads(quads: list[ox.Quad], as_of: dt.date | str | None = None, *, nq: bytes | None = None) -> ExportData:
    """Tables, timeline and (lazily) network of sorted quads; cut to ``as_of`` if given.

    ``nq``, if given, must be the canonical N-Quads of ``quads`` (it is reused, not recomputed).
    """
    day = asof.parse_as_of(as_of)
    with gcpause.paused():  # millions of small acyclic objects at scale (see graph.gcpause)
        grouped = _group(quads)
        claims = claim_table(quads, grouped)
        actors = actor_table(quads, grouped)
        sources = source_table(quads, grouped)
        del grouped
    timeline = asof.Timeline.from_rows(claims)
    if day is None:
        return ExportData(quads, claims, actors, sources, timeline, nq=nq)
    kept_quads = asof.filter_quads(quads, timeline, day)
    kept_claims = [c for c in claims if timeline.holds(c["factId"], day)]
    kept_actors = [a for a in actors if timeline.exists(a["id"], day)]
    return ExportData(kept_quads, kept_claims, kept_actors, sources, timeline, day,
                      all_claims=claims, all_actors=actors)


def _text(term: Any) -> str:
    return term.value


def _group(quads: list[ox.Quad]) -> dict[str, list[tuple[str, Any, str]]]:
    """subject IRI -> [(predicate IRI, object term, graph IRI)] for the subjects the tables read."""
    by_subject: dict[str, list[tuple[str, Any, str]]] = {}
    wanted = (ns.FACT, ns.SOURCE, ns.ID)
    named = ox.NamedNode
    graphs: dict[Any, str] = {}
    for q in quads:
        s = q.subject
        if type(s) is not named or not s.value.startswith(wanted):
            continue
        g = q.graph_name
        gv = graphs.get(g)
        if gv is None:
            gv = graphs[g] = _graph_value(g)
        entry = (q.predicate.value, q.object, gv)
        got = by_subject.get(s.value)
        if got is None:
            by_subject[s.value] = [entry]
        else:
            got.append(entry)
    return by_subject


def _graph_value(g: Any) -> str:
    return g.value if isinstance(g, ox.NamedNode) else ""


def claim_table(quads: list[ox.Quad], grouped: dict[str, list[tuple[str, Any, str]]] | None = None) -> list[dict[str, Any]]:
    """One row per claim, sorted by fact id: the ``claims`` named query's columns (quotes of
    several evidence spans joined by `` … `` in text order) plus ``graph`` and ``evidence``
    (a list of ``{start, end, quote}``)."""
    from ..model import load_model

    model = load_model()
    pred_names = {p.iri: name for name, p in model.predicates.items()}
    by_s = grouped or _group(quads)
    sources = {iri: _source_row(iri, props) for iri, props in by_s.items() if iri.startswith(ns.SOURCE)}
    rows = []
    for iri, props in by_s.items():
        if not iri.startswith(ns.FACT) or not any(p == RDF_TYPE and o.value == CLAIM for p, o, _ in props):
            continue
        row: dict[str, Any] = {"claim": iri, "factId": None, "s": None, "p": None, "o": None, "oLiteral": None,
                               "org": None, "court": None, "election": None, "relation": None, "date": None,
                               "start": None, "end": None, "expected": None, "former": None, "status": None,
                               "confidence": None, "note": None, "source": None, "publisher": None,
                               "published": None, "url": None, "quote": None, "graph": None, "evidence": []}
        selectors = []
        for p, o, g in props:
            row["graph"] = row["graph"] or g
            key = _CLAIM_FIELDS.get(p)
            if key is not None:
                row[key] = ns.local_id(o.value) if key in ("org", "court", "election") else o.value
            elif p == ns.RDF + "subject":
                row["s"] = ns.local_id(o.value)
            elif p == ns.RDF + "predicate":
                row["p"] = pred_names.get(o.value, ns.local_id(o.value))
            elif p == ns.RDF + "object":
                if isinstance(o, ox.Literal):
                    row["oLiteral"] = o.value
                else:
                    row["o"] = ns.local_id(o.value)
            elif p == ns.PROV + "wasDerivedFrom":
                row["source"] = o.value[len(ns.SOURCE):] if o.value.startswith(ns.SOURCE) else o.value
                src = sources.get(o.value, {})
                row["publisher"], row["published"], row["url"] = src.get("publisher"), src.get("published"), src.get("url")
            elif p == _CP + "evidence":
                selectors.append(o.value)
        spans = []
        for sel in selectors:
            span: dict[str, Any] = {"start": None, "end": None, "quote": None}
            for p, o, _ in by_s.get(sel, []):
                if p == ns.OA + "start":
                    span["start"] = int(o.value)
                elif p == ns.OA + "end":
                    span["end"] = int(o.value)
                elif p == ns.OA + "exact":
                    span["quote"] = o.value
            spans.append(span)
        spans.sort(key=lambda sp: (sp["start"] if sp["start"] is not None else -1, sp["end"] or -1, sp["quote"] or ""))
        row["evidence"] = spans
        quotes = [sp["quote"] for sp in spans if sp["quote"]]
        row["quote"] = QUOTE_JOIN.join(dict.fromkeys(quotes)) if quotes else None
        if row["factId"] is None:
            row["factId"] = iri[len(ns.FACT):]
        rows.append(row)
    rows.sort(key=lambda r: r["factId"])
    return rows


def _source_row(iri: str, props: list[tuple[str, Any, str]]) -> dict[str, Any]:
    row: dict[str, Any] = {"id": iri[len(ns.SOURCE):], "iri": iri, "kind": None}
    for name in _SOURCE_FIELDS.values():
        row[name] = None
    for p, o, _ in props:
        key = _SOURCE_FIELDS.get(p)
        if key is not None:
            row[key] = o.value
        elif p == RDF_TYPE and o.value in (ns.SCHEMA + "NewsArticle", ns.SCHEMA + "WebPage"):
            row["kind"] = o.value[len(ns.SCHEMA):]
    return row


def source_table(quads: list[ox.Quad], grouped: dict[str, list[tuple[str, Any, str]]] | None = None) -> list[dict[str, Any]]:
    """One row per source (cpkg:Source), sorted by id."""
    by_s = grouped or _group(quads)
    out = []
    for iri, props in by_s.items():
        if iri.startswith(ns.SOURCE) and any(p == RDF_TYPE and o.value == _CP + "Source" for p, o, _ in props):
            out.append(_source_row(iri, props))
    return sorted(out, key=lambda r: r["id"])


def actor_table(quads: list[ox.Quad], grouped: dict[str, list[tuple[str, Any, str]]] | None = None) -> list[dict[str, Any]]:
    """One row per registry entity, sorted by id: the ``actors`` named query's columns."""
    from ..model import load_model

    types = {iri: name for name, iri in load_model().types.items()}
    by_s = grouped or _group(quads)
    out = []
    for iri, props in by_s.items():
        if not iri.startswith(ns.ID):
            continue
        row: dict[str, Any] = {"id": None, "type": None, "name": None, "aliases": None, "description": None}
        aliases = []
        for p, o, g in props:
            if g != ns.REGISTRY_GRAPH:
                continue
            if p == _CP + "entityId":
                row["id"] = o.value
            elif p == ns.SKOS + "prefLabel":
                row["name"] = o.value
            elif p == RDF_TYPE and o.value in types:
                row["type"] = types[o.value]
            elif p == ns.SKOS + "altLabel":
                aliases.append(o.value)
            elif p == ns.SCHEMA + "description":
                row["description"] = o.value
        if row["id"] is None or row["name"] is None or row["type"] is None:
            continue
        row["aliases"] = " | ".join(sorted(set(aliases))) or None
        out.append(row)
    return sorted(out, key=lambda r: r["id"])
