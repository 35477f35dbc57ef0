"""Network exports: GraphML (Cytoscape, yEd), GEXF (Gephi, with a timeline) and node-link JSON.

All three are made from one *export graph* (:func:`export_graph`): the actor network of
:func:`graph.network.project_rows`, nodes and edges in sorted order, with the same attribute
names everywhere:

- nodes: ``label``, ``type``, ``aliases``, ``description``, ``literal_facts`` (claims with a
  literal object: charges, sentences, citizenship...), ``exists_from``/``exists_to`` (parties),
  ``detained_periods``, and on an as-of export ``detained``;
- edges (one per claim, keyed by its fact id): ``predicate``, ``label``, ``object``, ``date``,
  ``start_date``/``end_date`` (as the source gives them), ``valid_from``/``valid_to`` (full days,
  from :mod:`graph.asof`), ``undated``, ``expected``, ``former``, ``status``, ``confidence``,
  ``source``, ``publisher``, ``published``, ``url``, ``quote``, ``note``, ``lineage``,
  ``symmetric``.

GraphML and GEXF carry only scalars: lists of strings are joined with `` | ``, lists of
records (``literal_facts``, ``detained_periods``) become JSON text, missing values are left
out (networkx writes a 0-byte GraphML when it meets ``None``), and characters XML 1.0 cannot
hold are removed.  GEXF adds ``start``/``end`` (from ``valid_from``/``valid_to`` and
``exists_from``/``exists_to``) in ``mode="dynamic"`` so that Gephi's timeline works; its
``lastmodifieddate`` is the snapshot's date, never the wall clock.  Node-link JSON keeps lists
and records as JSON, and drops only ``None``.
"""

from __future__ import annotations

import io
import json
from typing import Any

import networkx as nx

from .values import flat, json_text, xml_text

#: network.project_rows name -> export name (``start``/``end`` are GEXF's own timeline attributes)
RENAME = {"start": "start_date", "end": "end_date"}
BOOL_EDGE = ("expected", "former", "undated", "lineage", "symmetric")


def _clean(value: Any, text: Any) -> Any:
    if isinstance(value, str):
        return text(value)
    if isinstance(value, list):
        return [_clean(v, text) for v in value]
    if isinstance(value, dict):
        return {k: _clean(v, text) for k, v in value.items()}
    return value


def _attrs(a: dict[str, Any], *, flatten: bool, text: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in sorted(a):
        value = a[key]
        if isinstance(value, dict) and not flatten:
            value = {RENAME.get(k, k): v for k, v in value.items() if v is not None}
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            value = [{RENAME.get(k, k): v for k, v in sorted(d.items()) if v is not None} for d in value]
        if value is None or (isinstance(value, (list, str)) and not value and key not in ("label",)):
            continue
        if flatten:
            value = flat(value)
        out[RENAME.get(key, key)] = _clean(value, text)
    return out


def export_graph(g: nx.MultiDiGraph, *, flatten: bool = True, text: Any = xml_text) -> nx.MultiDiGraph:
    """A copy of a projection with export attribute names, sorted, scalars only if ``flatten``."""
    out = nx.MultiDiGraph()
    for n in sorted(g.nodes):
        out.add_node(n, **_attrs(g.nodes[n], flatten=flatten, text=text))
    edges = sorted(g.edges(keys=True, data=True), key=lambda e: (e[2], e[0], e[1]))
    for u, v, k, a in edges:
        attrs = _attrs(a, flatten=flatten, text=text)
        for b in BOOL_EDGE:
            attrs.setdefault(b, False)
        if "confidence" in attrs:
            attrs["confidence"] = float(attrs["confidence"])
        out.add_edge(u, v, key=k, **attrs)
    return out


def graphml(g: nx.MultiDiGraph) -> bytes:
    """GraphML (UTF-8, one ``<edge id=fact-id>`` per claim)."""
    h = export_graph(g)
    buf = io.BytesIO()
    nx.write_graphml_xml(h, buf, encoding="utf-8", prettyprint=True, named_key_ids=False)
    data = _keep_cr(buf.getvalue())
    if not data:
        raise ValueError("GraphML writer produced no output")
    return data


def _keep_cr(data: bytes) -> bytes:
    """A raw carriage return in XML text is read back as a line feed (XML end-of-line
    normalisation); as ``&#13;`` it survives.  The writer emits none of its own."""
    return data.replace(b"\r", b"&#13;")


def gexf(g: nx.MultiDiGraph, *, date: str | None = None) -> bytes:
    """GEXF 1.2 with node and edge periods, for Gephi's timeline."""
    from networkx.readwrite.gexf import GEXFWriter

    h = export_graph(g)
    for _, a in h.nodes(data=True):
        if a.get("exists_from"):
            a["start"] = a["exists_from"]
        if a.get("exists_to"):
            a["end"] = a["exists_to"]
    for _, _, k, a in h.edges(keys=True, data=True):
        a["id"] = k
        if a.get("valid_from"):
            a["start"] = a["valid_from"]
        if a.get("valid_to"):
            a["end"] = a["valid_to"]
    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    meta = writer.xml.find("meta")
    if meta is not None:
        if date:
            meta.set("lastmodifieddate", date)
        else:
            meta.attrib.pop("lastmodifieddate", None)
        desc = meta.find("description")
        if desc is None:
            import xml.etree.ElementTree as ET

            desc = ET.SubElement(meta, "description")
        desc.text = "cpkg actor network: one edge per claim, each with its source"
    writer.add_graph(h)
    buf = io.BytesIO()
    writer.write(buf)
    return _keep_cr(buf.getvalue())


def nodelink(g: nx.MultiDiGraph) -> bytes:
    """networkx node-link JSON (``nodes``, ``edges``); lists and records kept as JSON."""
    h = export_graph(g, flatten=False, text=json_text)
    data = nx.node_link_data(h, edges="edges")
    return (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")
