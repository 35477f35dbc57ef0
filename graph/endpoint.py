"""Talk to a SPARQL 1.1 endpoint elsewhere: run queries there, push the graph there.

- :class:`Endpoint` runs a query with the SPARQL 1.1 Protocol (POST, form-encoded) and reads
  the W3C JSON results (or N-Triples for CONSTRUCT) into the same pyoxigraph terms a local
  query gives, so local and remote answers compare as equal values.
- :func:`run_named_remote` runs a named query there. The endpoint cannot take pyoxigraph
  substitutions, so the parameter values go into a ``VALUES`` block opening the query's
  WHERE clause, each value written as a serialised RDF term (N-Triples syntax, with its
  quotes and escapes), never by pasting user text into the query.
- cpkg's data is one named graph per source; locally the default graph is their union.
  Remotely the same dataset is asked for with the protocol's ``default-graph-uri`` and
  ``named-graph-uri`` parameters (every ``https://w3id.org/cpkg/graph/...`` graph there), so
  the same query text means the same thing on Fuseki, GraphDB, Oxigraph or Neptune.
- :func:`push` loads the built graph with the SPARQL 1.1 Graph Store HTTP Protocol, one PUT
  per named graph. Each PUT replaces one graph atomically; before replacing, the endpoint's
  current copy of each graph is read, so that a failure half-way puts back what was there
  (the protocol has no transactions across graphs: this is as atomic as it allows).
"""

from __future__ import annotations

import base64
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from . import namespaces as ns
from . import results
from .errors import QueryError
from .query import inject_values

JSON_RESULTS = "application/sparql-results+json"
ACCEPT = f"{JSON_RESULTS}, application/n-triples;q=0.9, text/turtle;q=0.8"
#: Largest response read from an endpoint (bytes).
MAX_RESPONSE = 512 * 1024 * 1024


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Redirects are errors: a POSTed query or a PUT graph must not be re-sent elsewhere."""

    def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str) -> None:
        raise urllib.error.HTTPError(req.full_url, code, f"redirected to {newurl}; give that URL instead",
                                     headers, fp)


def _opener() -> urllib.request.OpenerDirector:
    # no ProxyHandler from the environment either: the URL given is the one contacted
    return urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect())


def check_url(url: str, what: str = "endpoint") -> str:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise QueryError(f"{url!r} is not an http(s) URL", field=what)
    return url


def auth_header(auth: str | None) -> dict[str, str]:
    """``user:password`` as an HTTP Basic ``Authorization`` header."""
    if not auth:
        return {}
    if ":" not in auth:
        raise QueryError("give --auth as USER:PASSWORD", field="auth")
    return {"Authorization": "Basic " + base64.b64encode(auth.encode("utf-8")).decode("ascii")}


def _first_line(body: bytes) -> str:
    text = body.decode("utf-8", "replace").strip()
    return " ".join(text.splitlines()[:1])[:300] if text else ""


@dataclass
class Response:
    status: int
    content_type: str
    body: bytes


@dataclass
class HttpClient:
    """A minimal HTTP client: no redirects, no proxies from the environment, a size cap."""

    auth: str | None = None
    timeout: float = 60.0
    opener: urllib.request.OpenerDirector = field(default_factory=_opener)

    def request(self, method: str, url: str, body: bytes | None = None,
                headers: Mapping[str, str] | None = None, ok: Iterable[int] = (200,)) -> Response:
        head = {"User-Agent": "cpkg", **auth_header(self.auth), **(headers or {})}
        req = urllib.request.Request(url, data=body, method=method, headers=head)
        try:
            with self.opener.open(req, timeout=self.timeout) as resp:
                data = resp.read(MAX_RESPONSE + 1)
                status = resp.status
                ctype = resp.headers.get("Content-Type", "")
        except urllib.error.HTTPError as exc:
            data = exc.read(64 * 1024) if exc.fp else b""
            status, ctype = exc.code, exc.headers.get("Content-Type", "") if exc.headers else ""
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise QueryError(f"cannot reach {url}: {reason}") from None
        if len(data) > MAX_RESPONSE:
            raise QueryError(f"{url} answered with more than {MAX_RESPONSE // (1024 * 1024)} MB; "
                             "narrow the query")
        if status not in set(ok):
            detail = _first_line(data)
            raise QueryError(f"{method} {url} answered HTTP {status}" + (f": {detail}" if detail else ""))
        return Response(status, ctype.split(";")[0].strip().lower(), data)


# -------------------------------------------------------------------------- queries


@dataclass
class Endpoint:
    """A SPARQL 1.1 query endpoint (the Protocol's query operation)."""

    url: str
    auth: str | None = None
    timeout: float = 60.0
    _graphs: list[str] | None = None

    def __post_init__(self) -> None:
        check_url(self.url)
        self.http = HttpClient(self.auth, self.timeout)

    def query(self, text: str, *, default_graphs: Iterable[str] = (), named_graphs: Iterable[str] = (),
              max_rows: int | None = None) -> results.Result:
        """Run a query; the answer as a :mod:`graph.results` value with pyoxigraph terms."""
        form = [("query", text)]
        form += [("default-graph-uri", g) for g in default_graphs]
        form += [("named-graph-uri", g) for g in named_graphs]
        resp = self.http.request("POST", self.url, urllib.parse.urlencode(form).encode("utf-8"), {
            "Content-Type": "application/x-www-form-urlencoded", "Accept": ACCEPT})
        try:
            if resp.content_type in (JSON_RESULTS, "application/json"):
                parsed = ox.parse_query_results(resp.body, format=ox.QueryResultsFormat.JSON)
                return results.collect(parsed, max_rows)
            if resp.content_type == "application/sparql-results+xml":
                parsed = ox.parse_query_results(resp.body, format=ox.QueryResultsFormat.XML)
                return results.collect(parsed, max_rows)
            fmt = {"application/n-triples": ox.RdfFormat.N_TRIPLES, "text/turtle": ox.RdfFormat.TURTLE,
                   "text/plain": ox.RdfFormat.N_TRIPLES}.get(resp.content_type)
            if fmt is None:
                raise QueryError(f"{self.url} answered in {resp.content_type or 'an unnamed format'}, "
                                 "not SPARQL results or N-Triples")
            triples = [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(resp.body, format=fmt)]
            return results.collect(iter(triples), max_rows)
        except (SyntaxError, ValueError) as exc:
            raise QueryError(f"{self.url} answered with results that do not parse: {exc}") from None

    def cpkg_graphs(self) -> list[str]:
        """The endpoint's named graphs that hold cpkg data (one per source, registry, ontology)."""
        if self._graphs is None:
            found = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")
            graphs = sorted({row[0].value for row in getattr(found, "rows", []) if row[0] is not None})
            if not graphs:  # some stores answer an empty GRAPH pattern with nothing
                found = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
                graphs = sorted({row[0].value for row in getattr(found, "rows", []) if row[0] is not None})
            self._graphs = [g for g in graphs if g.startswith(ns.GRAPH)]
        return self._graphs

    def query_cpkg(self, text: str, max_rows: int | None = None) -> results.Result:
        """A query over cpkg's dataset there: its default graph the union of cpkg's graphs."""
        graphs = self.cpkg_graphs()
        if not graphs:
            raise QueryError(f"{self.url} holds no cpkg graphs", hint="load them with `cpkg push`")
        return self.query(ns.sparql_prefixes() + text, default_graphs=graphs, named_graphs=graphs,
                          max_rows=max_rows)


class RemoteNameIndex:
    """Resolves entity names and aliases to IRIs with the registry graph of an endpoint."""

    def __init__(self, endpoint: Endpoint) -> None:
        from .resolve import name_key

        self.name_key = name_key
        self.by_key: dict[str, str] = {}
        found = endpoint.query(ns.sparql_prefixes() + f"""
            SELECT ?e ?label WHERE {{
              GRAPH <{ns.REGISTRY_GRAPH}> {{ ?e cpkg:entityId|skos:prefLabel|skos:altLabel ?label }}
            }} ORDER BY ?e ?label""")
        for e, label in getattr(found, "rows", []):
            self.by_key.setdefault(name_key(label.value), e.value)

    def resolve(self, name: str) -> str:
        found = self.by_key.get(self.name_key(name))
        if found is None:
            raise QueryError(f"no entity named {name!r}", hint="give an id, a name or an alias")
        return found


def named_query_text(name: str, values: Mapping[str, str] | None, names: Any) -> str:
    """A named query's text with its parameter values in a VALUES block (no prefixes added)."""
    from . import query as q

    nq = q.get(name)
    subs = q.bind(nq, dict(values or {}), names)
    return inject_values(nq.text, {var.value: term for var, term in subs.items()})


def run_named_remote(endpoint: Endpoint, name: str, values: Mapping[str, str] | None = None,
                     max_rows: int | None = None) -> results.Result:
    """Run a named query on a remote endpoint, parameters bound as serialised terms."""
    from . import query as q

    nq = q.get(name)
    names = RemoteNameIndex(endpoint) if any(p.type == "entity" for p in nq.params) else None
    return endpoint.query_cpkg(named_query_text(name, values, names), max_rows=max_rows)


# ---------------------------------------------------------------------------- push


@dataclass
class PushReport:
    graphs: list[str] = field(default_factory=list)
    triples: int = 0
    restored: list[str] = field(default_factory=list)


def graphs_of(store: ox.Store) -> dict[str, list[ox.Triple]]:
    """The store's named graphs and their triples, sorted (one body per graph)."""
    out: dict[str, list[ox.Triple]] = {}
    for graph in sorted(store.named_graphs(), key=lambda g: g.value):
        triples = [ox.Triple(q.subject, q.predicate, q.object)
                   for q in store.quads_for_pattern(None, None, None, graph)]
        out[graph.value] = sorted(triples, key=str)
    return out


def _graph_url(store_url: str, graph: str) -> str:
    sep = "&" if urllib.parse.urlsplit(store_url).query else "?"
    return store_url + sep + urllib.parse.urlencode({"graph": graph})


def push(graphs: Mapping[str, list[ox.Triple]], store_url: str, *, auth: str | None = None,
         timeout: float = 120.0, rollback: bool = True,
         progress: Callable[[str], None] | None = None) -> PushReport:
    """PUT each graph to a Graph Store Protocol endpoint; on a failure, put back what was there.

    ``store_url`` is the Graph Store endpoint (Oxigraph: ``http://host:7878/store``; Fuseki:
    ``http://host:3030/DATASET/data``; GraphDB: ``.../repositories/REPO/rdf-graphs/service``).
    """
    check_url(store_url, "endpoint")
    http = HttpClient(auth, timeout)
    bodies = {g: ox.serialize(t, format=ox.RdfFormat.N_TRIPLES) for g, t in graphs.items()}
    report = PushReport()
    saved: dict[str, bytes | None] = {}
    try:
        for graph, body in bodies.items():
            url = _graph_url(store_url, graph)
            if rollback:
                old = http.request("GET", url, headers={"Accept": "application/n-triples"}, ok=(200, 404))
                if old.status == 404:
                    saved[graph] = None
                elif old.content_type in ("application/n-triples", "text/plain", ""):
                    saved[graph] = old.body
                else:  # another syntax: keep it as N-Triples
                    fmt = {"text/turtle": ox.RdfFormat.TURTLE, "application/rdf+xml": ox.RdfFormat.RDF_XML,
                           "application/n-quads": ox.RdfFormat.N_QUADS}.get(old.content_type)
                    if fmt is None:
                        raise QueryError(f"GET {url} answered {old.content_type}; cannot keep a copy to "
                                         "restore on failure", hint="use --no-rollback to push anyway")
                    saved[graph] = ox.serialize(ox.parse(old.body, format=fmt), format=ox.RdfFormat.N_TRIPLES)
            http.request("PUT", url, body, {"Content-Type": "application/n-triples"}, ok=(200, 201, 204))
            report.graphs.append(graph)
            report.triples += len(graphs[graph])
            if progress:
                progress(graph)
    except QueryError as exc:
        restored, failed = [], []
        for graph in (reversed(report.graphs) if rollback else []):
            url = _graph_url(store_url, graph)
            try:
                if saved.get(graph) is None:
                    http.request("DELETE", url, ok=(200, 204, 404))
                else:
                    http.request("PUT", url, saved[graph], {"Content-Type": "application/n-triples"},
                                 ok=(200, 201, 204))
                restored.append(graph)
            except QueryError:
                failed.append(graph)
        done = len(report.graphs)
        if not rollback:
            state = f"{done} of {len(bodies)} graphs were replaced before it (no rollback asked)"
        elif failed:
            state = f"{len(restored)} of {done} replaced graphs were put back; NOT restored: {', '.join(failed)}"
        else:
            state = f"the {done} graphs replaced before it were put back as they were"
        raise QueryError(f"push stopped: {exc.message}; {state}") from None
    return report
