"""Table exports: spreadsheet CSVs, and Neo4j's admin-import CSVs with a LOAD CSV script.

``csv/`` (UTF-8 with a byte-order mark, so that Excel shows Khmer script; RFC 4180 quoting):

- ``nodes.csv``: ``Id``, ``Label``, type, aliases, description, existence and detention periods;
- ``edges.csv``: one row per claim between two actors: ``Id`` (fact id), ``Source`` and
  ``Target`` (actor ids), ``Type`` (Directed, or Undirected for symmetric facts), ``Label``,
  the claim's dates and periods, and its source (``cited_source``, ``cited_publisher``,
  ``cited_published``, ``cited_url``) with the quoted words;
- ``node_facts.csv``: claims whose object is a literal (a charge, a sentence, a citizenship),
  one row each with the actor's id in ``Node``.

The first columns use Gephi's spreadsheet names (``Id``, ``Label``, ``Source``, ``Target``,
``Type``), so Gephi's import wizard maps them without help.

``neo4j/`` (UTF-8, no byte-order mark): ``nodes.csv`` (``id:ID(Entity)``, ``:LABEL``),
``facts.csv`` (``id:ID(Fact)``), ``relationships.csv`` (``:START_ID(Entity)``, ``:END_ID(Entity)``,
``:TYPE``), ``fact_links.csv`` (actor -> literal fact) for ``neo4j-admin database import full``,
and ``load.cypher``, which loads the same files with ``LOAD CSV``.

**Formula injection**: in every CSV cell a value starting with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return gets a leading apostrophe (:func:`graph.export.values.csv_cell`), so a
spreadsheet shows it as text instead of running it.  The apostrophe is part of the value in the
Neo4j files too; no value the project itself produces (ids, dates, types) starts that way.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from typing import Any

import networkx as nx

from .values import csv_cell

EDGE_COLUMNS = ("Id", "Source", "Target", "Type", "Label", "predicate", "object", "date", "start_date", "end_date",
                "valid_from", "valid_to", "undated", "expected", "former", "status", "confidence", "note", "quote",
                "cited_source", "cited_publisher", "cited_published", "cited_url", "lineage")
NODE_COLUMNS = ("Id", "Label", "type", "aliases", "description", "exists_from", "exists_to", "detained",
                "detained_periods")
FACT_COLUMNS = ("Id", "Node", "Label", "predicate", "value", "date", "start_date", "end_date", "valid_from",
                "valid_to", "undated", "expected", "former", "status", "confidence", "note", "quote", "cited_source",
                "cited_publisher", "cited_published", "cited_url")
_IDENT = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


def _csv(header: Iterable[str], rows: Iterable[Iterable[Any]], *, bom: bool) -> bytes:
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(list(header))
    for row in rows:
        w.writerow([csv_cell(v) for v in row])
    return (("\ufeff" if bom else "") + buf.getvalue()).encode("utf-8")


def _periods(value: Any) -> str | None:
    if not value:
        return None
    return "; ".join(f"{a or '..'}/{b or '..'}" for a, b in value)


def _claim_cells(a: dict[str, Any]) -> list[Any]:
    return [a.get("date"), a.get("start"), a.get("end"), a.get("valid_from"), a.get("valid_to"),
            bool(a.get("undated")), bool(a.get("expected")), bool(a.get("former")), a.get("status"),
            a.get("confidence"), a.get("note"), a.get("quote"), a.get("source"), a.get("publisher"),
            a.get("published"), a.get("url")]


def _sorted_edges(g: nx.MultiDiGraph) -> list[tuple[str, str, str, dict[str, Any]]]:
    return sorted(g.edges(keys=True, data=True), key=lambda e: (e[2], e[0], e[1]))


def _node_facts(g: nx.MultiDiGraph) -> list[tuple[str, dict[str, Any]]]:
    out = [(n, f) for n in sorted(g.nodes) for f in g.nodes[n].get("literal_facts") or []]
    return sorted(out, key=lambda nf: (nf[1]["id"], nf[0]))


def spreadsheet(g: nx.MultiDiGraph) -> dict[str, bytes]:
    """``nodes.csv``, ``edges.csv`` and ``node_facts.csv`` for spreadsheets and Gephi."""
    nodes = []
    for n in sorted(g.nodes):
        a = g.nodes[n]
        nodes.append([n, a.get("label"), a.get("type"), " | ".join(a.get("aliases") or []) or None,
                      a.get("description") or None, a.get("exists_from"), a.get("exists_to"), a.get("detained"),
                      _periods(a.get("detained_periods"))])
    edges = []
    for u, v, k, a in _sorted_edges(g):
        edges.append([k, u, v, "Undirected" if a.get("symmetric") else "Directed", a.get("label"), a.get("predicate"),
                      a.get("object"), *_claim_cells(a), bool(a.get("lineage"))])
    facts = []
    for n, f in _node_facts(g):
        facts.append([f["id"], n, f.get("label"), f.get("predicate"), f.get("object"), *_claim_cells(f)])
    return {
        "nodes.csv": _csv(NODE_COLUMNS, nodes, bom=True),
        "edges.csv": _csv(EDGE_COLUMNS, edges, bom=True),
        "node_facts.csv": _csv(FACT_COLUMNS, facts, bom=True),
    }


def rel_type(predicate: str) -> str:
    """``memberOf`` -> ``MEMBER_OF`` (Neo4j's relationship type convention)."""
    name = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", predicate).upper()
    return _ident(name)


def _ident(name: str) -> str:
    if not _IDENT.match(name):
        raise ValueError(f"{name!r} cannot be a Neo4j label or relationship type")
    return name


NEO_CLAIM = ("date", "start_date", "end_date", "valid_from:date", "valid_to:date", "undated:boolean",
             "expected:boolean", "former:boolean", "status", "confidence:float", "note", "quote", "source",
             "publisher", "published", "url")
NEO_NODES = ("id:ID(Entity)", ":LABEL", "name", "type", "aliases", "description", "exists_from:date",
             "exists_to:date", "detained:boolean", "detained_periods")
NEO_FACTS = ("id:ID(Fact)", ":LABEL", "predicate", "label", "value") + NEO_CLAIM
NEO_RELS = (":START_ID(Entity)", ":END_ID(Entity)", ":TYPE", "fact_id", "predicate", "label", "object") + NEO_CLAIM
NEO_LINKS = (":START_ID(Entity)", ":END_ID(Fact)", ":TYPE")


def neo4j(g: nx.MultiDiGraph) -> dict[str, bytes]:
    """Admin-import CSVs and ``load.cypher`` (the same data through ``LOAD CSV``)."""
    nodes = []
    labels = set()
    for n in sorted(g.nodes):
        a = g.nodes[n]
        label = _ident(a.get("type") or "Entity")
        labels.add(label)
        nodes.append([n, f"Entity;{label}", a.get("label"), a.get("type"), " | ".join(a.get("aliases") or []) or None,
                      a.get("description") or None, a.get("exists_from"), a.get("exists_to"), a.get("detained"),
                      _periods(a.get("detained_periods"))])
    rels = []
    types = set()
    for u, v, k, a in _sorted_edges(g):
        t = rel_type(a["predicate"])
        types.add(t)
        rels.append([u, v, t, k, a.get("predicate"), a.get("label"), a.get("object"), *_claim_cells(a)])
    facts, links = [], []
    link_types = set()
    for n, f in _node_facts(g):
        t = rel_type(f["predicate"])
        link_types.add(t)
        facts.append([f["id"], "Fact", f.get("predicate"), f.get("label"), f.get("object"), *_claim_cells(f)])
        links.append([n, f["id"], t])
    return {
        "nodes.csv": _csv(NEO_NODES, nodes, bom=False),
        "facts.csv": _csv(NEO_FACTS, facts, bom=False),
        "relationships.csv": _csv(NEO_RELS, rels, bom=False),
        "fact_links.csv": _csv(NEO_LINKS, links, bom=False),
        "load.cypher": cypher(sorted(labels), sorted(types), sorted(link_types)).encode("utf-8"),
    }


def _col(name: str) -> str:
    return "row.`" + name.replace("`", "``") + "`"


def _setters(var: str, columns: Iterable[str], skip: Iterable[str] = ()) -> str:
    out = []
    for col in columns:
        if col.startswith(":") or col in skip or "(" in col:
            continue
        name, _, kind = col.partition(":")
        value = _col(col)
        if kind == "date":
            value = f"CASE WHEN {value} IS NULL OR {value} = '' THEN null ELSE date({value}) END"
        elif kind == "boolean":
            value = f"toBoolean({value})"
        elif kind == "float":
            value = f"toFloat({value})"
        out.append(f"{var}.{name} = {value}")
    return ",\n    ".join(out)


def cypher_string(value: str) -> str:
    """A Cypher string literal: quotes and backslashes escaped, so a value is only a value."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def cypher(labels: list[str], types: list[str], link_types: list[str]) -> str:
    """A Cypher script loading the CSVs of this folder with ``LOAD CSV`` (Neo4j 5)."""
    parts = [
        "// cpkg graph for Neo4j 5, loaded with LOAD CSV (the same data as the neo4j-admin import).",
        "// Copy nodes.csv, facts.csv, relationships.csv and fact_links.csv into Neo4j's import folder,",
        "// then run:  cypher-shell -u neo4j -p <password> -f load.cypher",
        "// Running it twice changes nothing (MERGE on ids).",
        "",
        "CREATE CONSTRAINT cpkg_entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE;",
        "CREATE CONSTRAINT cpkg_fact_id IF NOT EXISTS FOR (n:Fact) REQUIRE n.id IS UNIQUE;",
        "",
        "LOAD CSV WITH HEADERS FROM 'file:///nodes.csv' AS row",
        f"MERGE (n:Entity {{id: {_col('id:ID(Entity)')}}})",
        "SET " + _setters("n", NEO_NODES) + ";",
        "",
    ]
    for label in labels:
        parts += [
            "LOAD CSV WITH HEADERS FROM 'file:///nodes.csv' AS row",
            "WITH row WHERE row.type = " + cypher_string(label),
            f"MATCH (n:Entity {{id: {_col('id:ID(Entity)')}}}) SET n:`{label}`;",
            "",
        ]
    parts += [
        "LOAD CSV WITH HEADERS FROM 'file:///facts.csv' AS row",
        f"MERGE (f:Fact {{id: {_col('id:ID(Fact)')}}})",
        "SET " + _setters("f", NEO_FACTS) + ";",
        "",
    ]
    for t in types:
        parts += [
            "LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row",
            "WITH row WHERE row.`:TYPE` = " + cypher_string(t),
            f"MATCH (a:Entity {{id: {_col(':START_ID(Entity)')}}}), (b:Entity {{id: {_col(':END_ID(Entity)')}}})",
            f"MERGE (a)-[r:`{t}` {{fact_id: row.fact_id}}]->(b)",
            "SET " + _setters("r", NEO_RELS, skip=("fact_id",)) + ";",
            "",
        ]
    for t in link_types:
        parts += [
            "LOAD CSV WITH HEADERS FROM 'file:///fact_links.csv' AS row",
            "WITH row WHERE row.`:TYPE` = " + cypher_string(t),
            f"MATCH (a:Entity {{id: {_col(':START_ID(Entity)')}}}), (f:Fact {{id: {_col(':END_ID(Fact)')}}})",
            f"MERGE (a)-[:`{t}`]->(f);",
            "",
        ]
    return "\n".join(parts)
