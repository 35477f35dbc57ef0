"""Query results in the W3C formats and in forms people read.

One module writes every results format cpkg offers, for the command line (``cpkg query``,
``cpkg sparql``) and the endpoint (``cpkg serve``) alike, so that the two cannot drift:

- ``json``, ``xml``, ``csv``, ``tsv``: the SPARQL 1.1 Query Results formats (W3C), readable
  by any SPARQL client; ``table`` and ``md`` for people;
- CONSTRUCT and DESCRIBE results as ``turtle``, ``nt`` (N-Triples), ``jsonld`` or ``rdfxml``.

Results are *collected* first, up to a row cap (:func:`collect`), so a cut-off is always
known and reported: in a header by the endpoint and, for JSON, in a ``"cpkg"`` member
(``{"truncated": true, "max_rows": N}``) that SPARQL clients ignore. Nothing here formats
untrusted text into markup without escaping it.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

import pyoxigraph as ox

from . import namespaces as ns

XSD_STRING = ns.XSD + "string"
RDF_LANGSTRING = ns.RDF + "langString"

#: results format name -> media type (SELECT and ASK).
SOLUTION_TYPES: dict[str, str] = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "table": "text/plain; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
}
#: RDF format name -> media type (CONSTRUCT and DESCRIBE).
GRAPH_TYPES: dict[str, str] = {
    "turtle": "text/turtle; charset=utf-8",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}
#: media types a client may ask for -> format name (content negotiation).
MEDIA_TO_FORMAT: dict[str, str] = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "text/plain": "table",
    "text/markdown": "md",
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "jsonld",
    "application/rdf+xml": "rdfxml",
}
#: the short names some clients (SPARQLWrapper) put in a ``format=`` parameter.
FORMAT_ALIASES: dict[str, str] = {
    "json": "json", "xml": "xml", "csv": "csv", "tsv": "tsv", "turtle": "turtle", "ttl": "turtle",
    "n3": "turtle", "nt": "nt", "ntriples": "nt", "n-triples": "nt", "json-ld": "jsonld", "jsonld": "jsonld",
    "rdf": "rdfxml", "rdfxml": "rdfxml", "rdf+xml": "rdfxml", "table": "table", "md": "md",
}
_RDF_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}

Term = Any  # ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


@dataclass
class Solutions:
    """SELECT results: variable names and rows of terms (``None`` = unbound)."""

    variables: list[str]
    rows: list[tuple[Term | None, ...]]
    truncated: bool = False
    max_rows: int | None = None

    def dicts(self) -> list[dict[str, str | None]]:
        """Rows as dicts of plain strings (the term's value), as graph.query.rows gives."""
        return [{v: (t.value if t is not None else None) for v, t in zip(self.variables, row, strict=True)} for row in self.rows]


@dataclass
class Boolean:
    """ASK result."""

    value: bool
    truncated: bool = False


@dataclass
class Graph:
    """CONSTRUCT / DESCRIBE results: triples."""

    triples: list[Any] = field(default_factory=list)
    truncated: bool = False
    max_rows: int | None = None


Result = Solutions | Boolean | Graph


def collect(result: Any, max_rows: int | None = None) -> Result:
    """Read a pyoxigraph result into memory, stopping after ``max_rows`` rows or triples.

    One row more than the cap is read to know whether anything was cut off.
    """
    if isinstance(result, (bool, ox.QueryBoolean)):
        return Boolean(bool(result))
    if isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        rows: list[tuple[Term | None, ...]] = []
        truncated = False
        for solution in result:
            if max_rows is not None and len(rows) >= max_rows:
                truncated = True
                break
            rows.append(tuple(solution[i] for i in range(len(names))))
        return Solutions(names, rows, truncated, max_rows)
    triples: list[Any] = []
    truncated = False
    for triple in result:
        if max_rows is not None and len(triples) >= max_rows:
            truncated = True
            break
        triples.append(triple)
    return Graph(triples, truncated, max_rows)


def kind_of(result: Result) -> str:
    return "boolean" if isinstance(result, Boolean) else "graph" if isinstance(result, Graph) else "solutions"


# ---------------------------------------------------------------------------- terms


def term_json(term: Term) -> dict[str, Any]:
    """A term as a SPARQL 1.1 JSON results binding."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {"subject": term_json(term.subject),
                                            "predicate": term_json(term.predicate),
                                            "object": term_json(term.object)}}
    raise TypeError(f"not an RDF term: {term!r}")


def term_nt(term: Term) -> str:
    """A term in N-Triples / Turtle syntax (the TSV results form; safe to embed in SPARQL)."""
    if isinstance(term, ox.Triple):
        return f"<<( {term_nt(term.subject)} {term_nt(term.predicate)} {term_nt(term.object)} )>>"
    return str(term)


def term_plain(term: Term | None) -> str:
    """A term as the CSV results format writes it: the IRI, the lexical form, ``_:id``."""
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Triple):
        return term_nt(term)
    return term.value


def term_short(term: Term | None) -> str:
    """A term for people: IRIs in cpkg's prefixes (``id:son-chhay``), literals as their text."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        best = ""
        for prefix, base in ns.PREFIXES.items():
            if term.value.startswith(base) and len(base) > len(best):
                best, name = base, prefix
        if best:
            local = term.value[len(best):]
            if local and all(c.isalnum() or c in "-_." for c in local):
                return f"{name}:{local}"
        return f"<{term.value}>"
    return term_plain(term)


# --------------------------------------------------------------- W3C results formats


def _cpkg_member(result: Solutions | Graph) -> dict[str, Any]:
    return {"truncated": result.truncated, "max_rows": result.max_rows}


def to_json(result: Solutions | Boolean) -> bytes:
    if isinstance(result, Boolean):
        return json.dumps({"head": {}, "boolean": result.value}).encode("utf-8")
    bindings = []
    for row in result.rows:
        bindings.append({v: term_json(t) for v, t in zip(result.variables, row, strict=True) if t is not None})
    doc: dict[str, Any] = {"head": {"vars": result.variables}, "results": {"bindings": bindings}}
    if result.truncated:
        doc["cpkg"] = _cpkg_member(result)
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


def _xml_text(text: str) -> str:
    """Escape for XML 1.0, replacing the characters XML 1.0 cannot carry at all."""
    cleaned = "".join(c if (c in "\t\n\r" or 0x20 <= ord(c) <= 0xD7FF or 0xE000 <= ord(c) <= 0xFFFD
                            or 0x10000 <= ord(c) <= 0x10FFFF) else "\ufffd" for c in text)
    return xml_escape(cleaned)


def _xml_term(term: Term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{_xml_text(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{_xml_text(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{_xml_text(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(term.datatype.value)}>{_xml_text(term.value)}</literal>"
        return f"<literal>{_xml_text(term.value)}</literal>"
    if isinstance(term, ox.Triple):
        return (f"<triple><subject>{_xml_term(term.subject)}</subject><predicate>{_xml_term(term.predicate)}"
                f"</predicate><object>{_xml_term(term.object)}</object></triple>")
    raise TypeError(f"not an RDF term: {term!r}")


def to_xml(result: Solutions | Boolean) -> bytes:
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n']
    if isinstance(result, Boolean):
        out.append(f"<head/>\n<boolean>{'true' if result.value else 'false'}</boolean>\n</sparql>\n")
        return "".join(out).encode("utf-8")
    out.append("<head>")
    out += [f"<variable name={quoteattr(v)}/>" for v in result.variables]
    if result.truncated:  # a link in the head is the format's own place for extra information
        out.append(f'<link href="urn:cpkg:truncated:max-rows={result.max_rows}"/>')
    out.append("</head>\n<results>\n")
    for row in result.rows:
        out.append("<result>")
        for v, t in zip(result.variables, row, strict=True):
            if t is not None:
                out.append(f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>")
        out.append("</result>\n")
    out.append("</results>\n</sparql>\n")
    return "".join(out).encode("utf-8")


def to_csv(result: Solutions | Boolean) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    if isinstance(result, Boolean):
        return b"true\r\n" if result.value else b"false\r\n"
    w.writerow(result.variables)
    for row in result.rows:
        w.writerow([term_plain(t) for t in row])
    return buf.getvalue().encode("utf-8")


def to_tsv(result: Solutions | Boolean) -> bytes:
    if isinstance(result, Boolean):
        return b"true\n" if result.value else b"false\n"
    lines = ["\t".join("?" + v for v in result.variables)]
    for row in result.rows:
        lines.append("\t".join(term_nt(t) if t is not None else "" for t in row))
    return ("\n".join(lines) + "\n").encode("utf-8")


# ------------------------------------------------------------------ for people


def _one_line(text: str) -> str:
    return " ".join(text.split())


def to_table(result: Solutions | Boolean, max_width: int | None = 60) -> bytes:
    """Aligned columns; cells longer than ``max_width`` end in an ellipsis (None: never)."""
    if isinstance(result, Boolean):
        return b"yes\n" if result.value else b"no\n"
    cells = [[_one_line(term_short(t)) for t in row] for row in result.rows]
    if max_width:
        cells = [[c if len(c) <= max_width else c[: max_width - 1] + "\u2026" for c in row] for row in cells]
    widths = [len(v) for v in result.variables]
    for row in cells:
        widths = [max(w, len(c)) for w, c in zip(widths, row, strict=True)]
    lines = ["  ".join(v.ljust(w) for v, w in zip(result.variables, widths, strict=True)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells]
    n = len(result.rows)
    lines.append(f"({n} row{'s' if n != 1 else ''}{'; cut off at the row cap' if result.truncated else ''})")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _md_cell(text: str) -> str:
    text = _one_line(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("`", "\\`")


def to_markdown(result: Solutions | Boolean) -> bytes:
    """A GitHub-flavoured Markdown table; cells escaped so that no markup gets through."""
    if isinstance(result, Boolean):
        return b"yes\n" if result.value else b"no\n"
    lines = ["| " + " | ".join(_md_cell(v) for v in result.variables) + " |",
             "|" + "|".join("---" for _ in result.variables) + "|"]
    for row in result.rows:
        lines.append("| " + " | ".join(_md_cell(term_short(t)) for t in row) + " |")
    if result.truncated:
        lines.append(f"\n_Cut off at {result.max_rows} rows._")
    return ("\n".join(lines) + "\n").encode("utf-8")


# ------------------------------------------------------------------------- graphs


def graph_bytes(result: Graph, fmt: str) -> bytes:
    """Triples in an RDF format, with cpkg's prefixes where the format has them."""
    rdf_format = _RDF_FORMATS[fmt]
    prefixes = dict(ns.PREFIXES) if fmt in ("turtle", "rdfxml") else None
    triples = sorted(result.triples, key=str)
    data = ox.serialize(triples, format=rdf_format, prefixes=prefixes) if prefixes else \
        ox.serialize(triples, format=rdf_format)
    assert data is not None  # no output file given: the bytes are returned
    return data


# ------------------------------------------------------------------------ dispatch


def render(result: Result, fmt: str, *, max_width: int | None = 60) -> bytes:
    """Serialise a collected result in ``fmt``; ValueError if the format does not fit."""
    if isinstance(result, Graph):
        if fmt not in GRAPH_TYPES:
            raise ValueError(f"a CONSTRUCT or DESCRIBE result is RDF: use one of {', '.join(GRAPH_TYPES)}")
        return graph_bytes(result, fmt)
    writers = {"json": to_json, "xml": to_xml, "csv": to_csv, "tsv": to_tsv, "md": to_markdown}
    if fmt == "table":
        return to_table(result, max_width)
    if fmt not in writers:
        raise ValueError(f"a SELECT or ASK result is a table: use one of {', '.join(SOLUTION_TYPES)}")
    return writers[fmt](result)


def media_type(fmt: str) -> str:
    return SOLUTION_TYPES.get(fmt) or GRAPH_TYPES[fmt]


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """``Accept`` as (media type, q) pairs, best first, stable for equal q."""
    out: list[tuple[str, float, int]] = []
    for i, part in enumerate((header or "").split(",")):
        items = [x.strip() for x in part.split(";")]
        mt = items[0].lower()
        if not mt:
            continue
        q = 1.0
        for param in items[1:]:
            if param.lower().startswith("q="):
                try:
                    q = max(0.0, min(1.0, float(param[2:])))
                except ValueError:
                    q = 0.0
        out.append((mt, q, i))
    out.sort(key=lambda x: (-x[1], x[2]))
    return [(mt, q) for mt, q, _ in out if q > 0]


def negotiate(kind: str, accept: str | None, requested: str | None = None) -> str | None:
    """The format to answer in: an explicit ``format=`` wins, else the best ``Accept`` match.

    ``kind`` is "solutions", "boolean" or "graph". Returns None when nothing acceptable fits
    (the endpoint then answers 406). No Accept at all (or ``*/*``) gives JSON or Turtle.
    """
    allowed = GRAPH_TYPES if kind == "graph" else {k: v for k, v in SOLUTION_TYPES.items() if k not in ("table", "md")}
    default = "turtle" if kind == "graph" else "json"
    if requested:
        name = FORMAT_ALIASES.get(requested.lower())
        if name in allowed:
            return name
        # SPARQLWrapper sends format=xml for every query form; fall through to Accept
    prefs = parse_accept(accept)
    if not prefs:
        return default
    for mt, _ in prefs:
        if mt in ("*/*", "application/*", "text/*"):
            return default
        name = MEDIA_TO_FORMAT.get(mt)
        if name in allowed:
            return name
    return None


def variables_of(rows: Sequence[dict[str, Any]]) -> list[str]:
    return list(rows[0]) if rows else []


def iter_rows(result: Solutions) -> Iterator[dict[str, Term | None]]:
    for row in result.rows:
        yield dict(zip(result.variables, row, strict=True))


def from_terms(variables: Iterable[str], rows: Iterable[Sequence[Term | None]]) -> Solutions:
    return Solutions(list(variables), [tuple(r) for r in rows])
