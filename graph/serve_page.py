"""The query page of ``cpkg serve``: one offline HTML page, its script and its style.

No external resource (no CDN, font or image from elsewhere); the server sends a
Content-Security-Policy allowing only its own script, style and ``/sparql``; the page
renders every result cell with ``textContent``, so a label such as ``<img src=x onerror=...>``
is shown as text. The named queries are offered as examples, each with its parameters'
example values bound in a VALUES block (serialised RDF terms, as for a remote endpoint).
"""

from __future__ import annotations

import html
from typing import Any

import pyoxigraph as ox


def examples(store: ox.Store) -> list[dict[str, Any]]:
    """Every named query as a runnable example (parameters set to their documented examples)."""
    from . import namespaces as ns
    from . import query as q
    from .endpoint import named_query_text
    from .errors import CpkgError

    names: Any = None
    out = []
    for nq in q.library().values():
        values = {p.name: p.example for p in nq.params if not p.optional}
        note = ""
        try:
            if names is None and any(p.type == "entity" for p in nq.params):
                names = q.NameIndex(store)
            text = named_query_text(nq.name, values, names)
        except CpkgError as exc:  # an example naming an entity this build does not hold
            text, note = nq.text, f"(set the parameters yourself: {exc.one_line()})"
        prefixes = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in ns.PREFIXES.items()
                           if f"{p}:" in text)
        out.append({
            "name": nq.name, "title": nq.title, "description": nq.description, "note": note,
            "params": [{"name": p.name, "type": p.type, "optional": p.optional, "example": p.example,
                        "doc": p.doc} for p in nq.params],
            "query": prefixes + text,
        })
    return out


def page(items: list[dict[str, Any]], *, timeout: float, max_rows: int) -> bytes:
    e = html.escape
    options = "\n".join(f'<option value="{e(x["name"])}">{e(x["name"])}: {e(x["title"])}</option>'
                        for x in items)
    doc = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{e(CSP_META)}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>cpkg SPARQL endpoint</title>
<link rel="stylesheet" href="/static/query.css">
<script src="/static/query.js" defer></script>
</head>
<body>
<header>
<h1>cpkg: Cambodian political actors, SPARQL</h1>
<p>A read-only SPARQL 1.1 endpoint at <code>/sparql</code> (GET or POST). The default graph
is the union of all sources; every claim points to its source. Queries stop after {e(f"{timeout:g}")} s
and return at most {e(str(max_rows))} rows; updates, <code>SERVICE</code> and outside graphs are refused.</p>
</header>
<main>
<label for="example">Named queries</label>
<select id="example"><option value="">(choose an example)</option>
{options}
</select>
<p id="about"></p>
<label for="query">Query</label>
<textarea id="query" rows="16" spellcheck="false">SELECT ?what ?kind ?count WHERE {{
  {{ SELECT ("sources" AS ?what) ("all" AS ?kind) (COUNT(DISTINCT ?s) AS ?count) WHERE {{ ?s a cpkg:Source }} }}
}}</textarea>
<div class="row"><button id="run" type="button">Run</button>
<select id="accept" aria-label="result type">
<option value="application/sparql-results+json">table</option>
<option value="text/csv">CSV</option>
<option value="text/tab-separated-values">TSV</option>
<option value="application/sparql-results+xml">XML</option>
<option value="text/turtle">Turtle (CONSTRUCT)</option>
</select>
<span id="status" role="status"></span></div>
<div id="out"></div>
</main>
</body>
</html>
"""
    return doc.encode("utf-8")


CSP_META = ("default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
            "base-uri 'none'; form-action 'none'")

STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 70rem; padding: 1rem; color: #222; }
h1 { font-size: 1.3rem; }
label { display: block; margin-top: .8rem; font-weight: 600; }
textarea { width: 100%; box-sizing: border-box; font: 13px/1.4 ui-monospace, monospace; }
select { max-width: 100%; }
.row { margin: .6rem 0; display: flex; gap: .6rem; align-items: center; }
#status { color: #555; }
#status.error { color: #a00; white-space: pre-wrap; }
table { border-collapse: collapse; font-size: 13px; }
th, td { border: 1px solid #ccc; padding: 2px 6px; vertical-align: top; text-align: left; }
th { background: #f3f3f3; position: sticky; top: 0; }
pre { background: #f7f7f7; padding: .6rem; overflow: auto; }
code { background: #f3f3f3; padding: 0 .2rem; }
"""

SCRIPT = r"""
"use strict";
(function () {
  var examples = {};
  var $ = function (id) { return document.getElementById(id); };
  function setStatus(text, error) {
    var s = $("status"); s.textContent = text; s.className = error ? "error" : "";
  }
  function cell(binding) {
    if (!binding) { return ""; }
    if (binding.type === "literal" && binding["xml:lang"]) { return binding.value + " @" + binding["xml:lang"]; }
    return binding.value;
  }
  function table(doc) {
    var out = $("out"); out.textContent = "";
    if (typeof doc.boolean === "boolean") { out.textContent = doc.boolean ? "yes" : "no"; return 1; }
    var vars = doc.head.vars, rows = doc.results.bindings;
    var t = document.createElement("table"), head = t.createTHead().insertRow();
    vars.forEach(function (v) { var th = document.createElement("th"); th.textContent = v; head.appendChild(th); });
    var body = t.createTBody();
    rows.forEach(function (b) {
      var tr = body.insertRow();
      vars.forEach(function (v) { tr.insertCell().textContent = cell(b[v]); });
    });
    out.appendChild(t);
    return rows.length;
  }
  function run() {
    var accept = $("accept").value;
    setStatus("running\u2026", false);
    var started = Date.now();
    fetch("/sparql", {
      method: "POST", credentials: "omit",
      headers: { "Content-Type": "application/sparql-query", "Accept": accept },
      body: $("query").value
    }).then(function (resp) {
      return resp.text().then(function (text) { return { resp: resp, text: text }; });
    }).then(function (r) {
      var ms = Date.now() - started;
      if (!r.resp.ok) { $("out").textContent = ""; setStatus(r.text, true); return; }
      var cut = r.resp.headers.get("X-Cpkg-Truncated") === "true"
        ? "; cut off at " + r.resp.headers.get("X-Cpkg-Row-Limit") + " rows" : "";
      var type = r.resp.headers.get("Content-Type") || "";
      if (type.indexOf("application/sparql-results+json") === 0) {
        var n = table(JSON.parse(r.text));
        setStatus(n + " rows in " + ms + " ms" + cut, false);
      } else {
        var pre = document.createElement("pre"); pre.textContent = r.text;
        $("out").textContent = ""; $("out").appendChild(pre);
        setStatus("done in " + ms + " ms" + cut, false);
      }
    }).catch(function (err) { setStatus(String(err), true); });
  }
  function choose() {
    var x = examples[$("example").value];
    if (!x) { $("about").textContent = ""; return; }
    $("query").value = x.query;
    var params = x.params.map(function (p) {
      return p.name + " (" + p.type + (p.optional ? ", optional" : "") + ", e.g. " + p.example + ")";
    }).join("; ");
    $("about").textContent = x.description + (params ? " Parameters, in the VALUES line: " + params + "." : "")
      + (x.note ? " " + x.note : "");
  }
  document.addEventListener("DOMContentLoaded", function () {
    $("run").addEventListener("click", run);
    $("example").addEventListener("change", choose);
    $("query").addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) { run(); }
    });
    fetch("/queries.json", { credentials: "omit" }).then(function (r) { return r.json(); })
      .then(function (list) { list.forEach(function (x) { examples[x.name] = x; }); })
      .catch(function () { setStatus("could not load the named queries", true); });
  });
})();
"""
