"""``cpkg serve`` against real clients and against each refusal of RELIABILITY.md 1-11."""

from __future__ import annotations

import hashlib
import json
import socket
import statistics
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph import query as q
from graph.settings import Settings

from .conftest import MAX_ROWS, TIMEOUT, Listener, Served, http

pytestmark = pytest.mark.server

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o . ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
JSON = "application/sparql-results+json"


def get(served: Served, query: str, accept: str = JSON, **params: str) -> tuple[int, dict[str, str], bytes]:
    qs = urllib.parse.urlencode({"query": query, **params})
    return http(served, "GET", f"/sparql?{qs}", headers={"Accept": accept})


def post_form(served: Served, fields: dict[str, str], accept: str = JSON) -> tuple[int, dict[str, str], bytes]:
    return http(served, "POST", "/sparql", urllib.parse.urlencode(fields).encode(),
                {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept})


def store_fingerprint(served: Served) -> tuple[int, str]:
    store = ox.Store.read_only(str(served.settings.store_dir / "db"))
    quads = sorted(str(x) for x in store)
    return len(quads), hashlib.sha256("\n".join(quads).encode()).hexdigest()


# -------------------------------------------------------------------- the protocol


def test_get_post_form_and_post_direct_give_the_same_answer(served: Served) -> None:
    query = 'SELECT ?label WHERE { ?e cpkg:entityId "chan-vuthy" ; skos:prefLabel ?label }'
    answers = [get(served, query), post_form(served, {"query": query}),
               http(served, "POST", "/sparql", query.encode(), {"Content-Type": "application/sparql-query",
                                                                "Accept": JSON})]
    for status, headers, body in answers:
        assert status == 200 and headers["content-type"] == JSON
        assert json.loads(body)["results"]["bindings"] == [{"label": {"type": "literal", "value": "Chan Vuthy"}}]


@pytest.mark.parametrize("accept,ctype", [
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv; charset=utf-8"),
    ("text/tab-separated-values", "text/tab-separated-values; charset=utf-8"),
])
def test_select_results_are_negotiated(served: Served, accept: str, ctype: str) -> None:
    status, headers, body = get(served, "SELECT ?id WHERE { ?e cpkg:entityId ?id } ORDER BY ?id", accept)
    assert status == 200 and headers["content-type"] == ctype and b"chan-vuthy" in body
    assert headers["vary"] == "Accept"


@pytest.mark.parametrize("accept,fmt", [("text/turtle", ox.RdfFormat.TURTLE), ("application/n-triples", ox.RdfFormat.N_TRIPLES),
                                        ("application/ld+json", ox.RdfFormat.JSON_LD)])
def test_construct_results_are_rdf(served: Served, accept: str, fmt: ox.RdfFormat) -> None:
    status, headers, body = get(served, 'CONSTRUCT { ?e skos:prefLabel ?l } WHERE { ?e cpkg:entityId "sok-dara" ; '
                                        'skos:prefLabel ?l }', accept)
    assert status == 200 and headers["content-type"].startswith(accept)
    triples = list(ox.parse(body, format=fmt))
    assert [t.object.value for t in triples] == ["Sok Dara"]


def test_nothing_acceptable_is_406(served: Served) -> None:
    status, _, body = get(served, "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "image/png")
    assert status == 406 and body.startswith(b"Error: cannot answer a SELECT query")


def test_sparqlwrapper_reads_every_results_format(served: Served) -> None:
    import warnings

    from SPARQLWrapper import CSV, TURTLE, XML, SPARQLWrapper
    from SPARQLWrapper import JSON as WJSON

    warnings.filterwarnings("ignore", "ConjunctiveGraph is deprecated", DeprecationWarning)  # SPARQLWrapper's own

    client = SPARQLWrapper(served.sparql)
    client.setQuery('SELECT ?label WHERE { ?e cpkg:entityId "lotus-party" ; skos:prefLabel ?label }')
    client.setReturnFormat(WJSON)
    assert client.query().convert()["results"]["bindings"][0]["label"]["value"] == "Lotus Party"
    client.setReturnFormat(XML)
    assert "Lotus Party" in client.query().convert().toxml()
    client.setReturnFormat(CSV)
    assert client.query().convert() == b"label\r\nLotus Party\r\n"
    client.setMethod("POST")
    client.setReturnFormat(WJSON)
    assert client.query().convert()["results"]["bindings"][0]["label"]["value"] == "Lotus Party"
    client.setMethod("GET")
    client.setQuery('CONSTRUCT { ?e skos:prefLabel ?l } WHERE { ?e cpkg:entityId "lotus-party" ; skos:prefLabel ?l }')
    client.setReturnFormat(TURTLE)
    assert b"Lotus Party" in client.query().convert()
    client.setReturnFormat(XML)  # SPARQLWrapper's default for CONSTRUCT: RDF/XML, read by rdflib
    graph = client.query().convert()
    assert [str(o) for o in graph.objects()] == ["Lotus Party"]


def test_rdflib_sparqlstore_queries_the_endpoint(served: Served) -> None:
    import rdflib
    from rdflib.namespace import SKOS
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    graph = rdflib.Graph(store=SPARQLStore(query_endpoint=served.sparql))
    rows = list(graph.query('PREFIX cpkg: <https://w3id.org/cpkg/ontology#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> '
                            'SELECT ?label WHERE { ?e cpkg:entityId ?id ; skos:prefLabel ?label } ORDER BY ?label',
                            initBindings={"id": rdflib.Literal("sok-dara")}))
    assert [str(r[0]) for r in rows] == ["Sok Dara"]
    labels = {str(o) for o in graph.objects(rdflib.URIRef("https://w3id.org/cpkg/id/river-party"), SKOS.prefLabel)}
    assert labels == {"River Party"}


def test_the_endpoint_answers_as_the_library_does(served: Served) -> None:
    store = ox.Store.read_only(str(served.settings.store_dir / "db"))
    expected = q.run_named(store, "lineage", {"party": "river-party"})
    from graph.endpoint import Endpoint, run_named_remote

    remote = run_named_remote(Endpoint(served.sparql), "lineage", {"party": "river-party"})
    assert remote.dicts() == expected  # type: ignore[union-attr]


# ------------------------------------------------------------ refusals (RELIABILITY)


@pytest.mark.parametrize("template", [
    "SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SERVICE SILENT <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ VALUES ?svc {{ <http://127.0.0.1:{port}/> }} SERVICE ?svc {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ BIND(IRI(\"http://127.0.0.1:{port}/\") AS ?x) SERVICE SILENT ?x {{ ?s ?p ?o }} }}",
    "#comment\nselect * where {{ ?a ?b ?c optional {{ service <http://127.0.0.1:{port}/> {{ ?a ?d ?e }} }} }}",
    "SELECT * FROM <http://127.0.0.1:{port}/x> WHERE {{ ?s ?p ?o }}",
    "SELECT * FROM NAMED <http://127.0.0.1:{port}/x> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
])
def test_service_and_outside_graphs_are_refused_before_any_connection(served: Served, listener: Listener,
                                                                       template: str) -> None:
    status, _, body = get(served, template.format(port=listener.port))
    assert status == 400
    assert body.startswith(b"Error: SERVICE") or b"is not a graph of this dataset" in body
    listener.close()
    assert listener.connections == 0


def test_the_listener_does_see_what_pyoxigraph_alone_would_do(listener: Listener) -> None:
    # the control experiment: without the endpoint's checks, pyoxigraph opens the connection
    with pytest.raises(OSError):
        list(ox.Store().query(f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/> {{ ?s ?p ?o }} }}"))
    listener.close()
    assert listener.connections >= 1


def test_a_dataset_from_elsewhere_is_refused_and_no_file_is_read(served: Served, tmp_path: Path) -> None:
    canary = tmp_path / "canary.nt"
    canary.write_text('<urn:canary> <urn:p> "CANARY" .\n', encoding="utf-8")
    for status, _, body in (
        get(served, f"SELECT * FROM <{canary.as_uri()}> WHERE {{ ?s ?p ?o }}"),
        get(served, "SELECT * FROM <file:///etc/hostname> WHERE { ?s ?p ?o }"),
        get(served, "SELECT * WHERE { ?s ?p ?o }", **{"default-graph-uri": canary.as_uri()}),
        get(served, "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }", **{"named-graph-uri": "http://127.0.0.1:9/x"}),
    ):
        assert status == 400 and b"CANARY" not in body and b"is not a graph of this dataset" in body
    ok = get(served, "SELECT (COUNT(*) AS ?n) FROM <https://w3id.org/cpkg/graph/test-beta-page> WHERE { ?c a cpkg:Claim }")
    assert ok[0] == 200 and json.loads(ok[2])["results"]["bindings"][0]["n"]["value"] == "2"


def test_updates_are_refused_and_the_data_is_unchanged(served: Served) -> None:
    before = store_fingerprint(served)
    drop = "DROP ALL"
    insert = "INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> <urn:c> } }"
    answers = [
        post_form(served, {"update": insert}),
        post_form(served, {"update": drop}),
        post_form(served, {"update": "LOAD <http://127.0.0.1:9/x>"}),
        http(served, "POST", "/sparql", insert.encode(), {"Content-Type": "application/sparql-update"}),
        post_form(served, {"query": drop}),
        get(served, "CLEAR DEFAULT"),
        http(served, "GET", "/sparql?" + urllib.parse.urlencode({"update": drop})),
    ]
    for status, _, body in answers:
        assert status == 403 and body == b"Error: updates are refused: this endpoint is read-only\n"
    assert http(served, "PUT", "/sparql", b"x")[0] == 405
    assert store_fingerprint(served) == before


@pytest.mark.parametrize("query,where", [
    ("SELEC * WHERE { ?s ?p ?o }", b"line 1, column 1"),
    ("SELECT * WHERE {\n  ?s ?p ?o\n", b"line 3"),
    ("SELECT * WHERE { FILTER(" + "(" * 100 + "1" + ")" * 100 + ") }", b"more than 64 levels deep at line 1, column"),
    ("", b"empty query"),
    ("SELECT * WHERE { ?s ?p ?o FILTER(?o = ) }", b"syntax error at line 1"),
])
def test_malformed_queries_get_400_with_line_and_column(served: Served, query: str, where: bytes) -> None:
    status, headers, body = post_form(served, {"query": query})
    assert status == 400 and where in body and b"Traceback" not in body
    assert headers["content-type"] == "text/plain; charset=utf-8"
    assert http(served, "GET", "/health")[0] == 200


def test_query_and_update_together_and_wrong_content_types(served: Served) -> None:
    both = post_form(served, {"query": "ASK {}", "update": "DROP ALL"})
    assert both[0] == 400 and b"not both" in both[2]
    none = http(served, "GET", "/sparql")
    assert none[0] == 400 and b"no query" in none[2]
    for ctype in ("text/plain", "application/json", "multipart/form-data; boundary=x", ""):
        status, _, body = http(served, "POST", "/sparql", b"query=ASK%20%7B%7D", {"Content-Type": ctype})
        assert status == 415, ctype


def test_a_runaway_query_is_stopped_at_the_deadline_and_its_worker_replaced(served: Served) -> None:
    replaced = served.pool.replaced
    started = time.monotonic()
    status, _, body = post_form(served, {"query": RUNAWAY})
    took = time.monotonic() - started
    assert status == 503 and body == f"Error: the query ran past the {TIMEOUT:g} s deadline and was stopped\n".encode()
    assert TIMEOUT - 0.2 < took < TIMEOUT + 2
    assert served.pool.replaced == replaced + 1
    deadline = time.monotonic() + 15
    while served.pool.idle.qsize() < 3 and time.monotonic() < deadline:
        time.sleep(0.1)
    health = json.loads(http(served, "GET", "/health")[2])
    assert health["status"] == "ok" and health["workers"] == 3 and health["idle"] == 3


def test_cheap_queries_keep_answering_while_a_runaway_runs(served: Served) -> None:
    box: dict[str, int] = {}
    runaway = threading.Thread(target=lambda: box.setdefault("status", post_form(served, {"query": RUNAWAY})[0]))
    runaway.start()
    time.sleep(0.8)  # the runaway holds one worker, already slowed down
    latencies = []
    for i in range(60):
        t = time.monotonic()
        status, _, body = get(served, f'SELECT ?l WHERE {{ ?e cpkg:entityId "sok-dara" ; skos:prefLabel ?l }} LIMIT {i + 1}')
        latencies.append(time.monotonic() - t)
        assert status == 200 and b"Sok Dara" in body
    runaway.join()
    assert box["status"] == 503
    latencies.sort()
    p99 = latencies[int(len(latencies) * 0.99) - 1]
    assert p99 < 0.5, f"p99 {p99 * 1000:.0f} ms, median {statistics.median(latencies) * 1000:.0f} ms"


def test_the_row_cap_is_reported_never_silent(served: Served) -> None:
    status, headers, body = get(served, "SELECT * WHERE { ?s ?p ?o }")
    doc = json.loads(body)
    assert status == 200 and len(doc["results"]["bindings"]) == MAX_ROWS
    assert headers["x-cpkg-truncated"] == "true" and headers["x-cpkg-row-limit"] == str(MAX_ROWS)
    assert doc["cpkg"] == {"truncated": True, "max_rows": MAX_ROWS}
    csv_status, csv_headers, csv_body = get(served, "SELECT * WHERE { ?s ?p ?o }", "text/csv")
    assert csv_headers["x-cpkg-truncated"] == "true" and csv_body.count(b"\r\n") == MAX_ROWS + 1
    small = get(served, "SELECT * WHERE { ?s ?p ?o } LIMIT 3")
    assert "x-cpkg-truncated" not in small[1] and "cpkg" not in json.loads(small[2])


def test_oversized_requests_are_refused_without_being_read(served: Served) -> None:
    with socket.create_connection((served.host, served.port), timeout=10) as sock:
        sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                     b"Content-Length: 2097152\r\n\r\n")  # the 2 MB body is never sent
        reply = sock.recv(65536)
    assert reply.startswith(b"HTTP/1.1 413 ")
    status, _, body = get(served, "SELECT * WHERE { ?s ?p \"" + "x" * 65536 + "\" }")
    assert status == 414
    assert http(served, "GET", "/health")[0] == 200


def test_cors_allows_any_origin_without_credentials(served: Served) -> None:
    status, headers, _ = get(served, "ASK {}")
    assert headers["access-control-allow-origin"] == "*" and "access-control-allow-credentials" not in headers
    pre, pre_headers, _ = http(served, "OPTIONS", "/sparql", headers={
        "Origin": "https://example.org", "Access-Control-Request-Method": "POST"})
    assert pre == 204 and "POST" in pre_headers["access-control-allow-methods"]
    assert "access-control-allow-credentials" not in pre_headers


def test_the_server_binds_loopback_by_default() -> None:
    import inspect as pyinspect

    from graph.cli.serve import serve
    from graph.serve import make_server

    assert pyinspect.signature(make_server).parameters["host"].default == "127.0.0.1"
    host_option = next(p for p in serve.params if p.name == "host")
    assert host_option.default == "127.0.0.1"


def test_fifty_concurrent_different_queries_are_all_correct(served: Served) -> None:
    store = ox.Store.read_only(str(served.settings.store_dir / "db"))
    ids = [r["id"] for r in q.rows(q.run(store, "SELECT ?id WHERE { ?e cpkg:entityId ?id }"))]
    queries = []
    for i in range(50):
        entity = ids[i % len(ids)]
        queries.append(f'SELECT ?p ?o WHERE {{ ?e cpkg:entityId "{entity}" ; ?p ?o }} ORDER BY ?p ?o LIMIT {i + 1}')
    expected = [q.rows(q.run(store, text)) for text in queries]

    def ask(text: str) -> list[dict[str, str]]:
        status, _, body = post_form(served, {"query": text})
        assert status == 200, body
        doc = json.loads(body)
        return [{v: (b[v]["value"] if v in b else None) for v in doc["head"]["vars"]} for b in doc["results"]["bindings"]]

    with ThreadPoolExecutor(max_workers=50) as ex:
        got = list(ex.map(ask, queries))
    assert got == expected


# ------------------------------------------------------------------- pages


def test_the_query_page_is_offline_and_locked_down(served: Served) -> None:
    status, headers, body = http(served, "GET", "/")
    assert status == 200 and headers["content-type"] == "text/html; charset=utf-8"
    csp = headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp
    page = body.decode("utf-8")
    assert page.index('http-equiv="Content-Security-Policy"') < page.index("<title>")
    assert "http://" not in page and "https://" not in page and "<script>" not in page
    script = http(served, "GET", "/static/query.js")[2].decode()
    assert "innerHTML" not in script and "textContent" in script
    examples = json.loads(http(served, "GET", "/queries.json")[2])
    lineage = next(x for x in examples if x["name"] == "lineage")
    assert "VALUES (?party) { (<https://w3id.org/cpkg/id/khmer-will-party>) }" in lineage["query"] or lineage["note"]
    ran = post_form(served, {"query": next(x for x in examples if x["name"] == "sources")["query"]})
    assert ran[0] == 200


def test_html_pages_are_served_and_traversal_refused(served: Served) -> None:
    assert http(served, "GET", "/html/")[2].endswith(b"<p>index</p>")
    status, headers, body = http(served, "GET", "/html/person/sok-dara.html")
    assert status == 200 and body == b"<!DOCTYPE html><p>Sok Dara</p>" and headers["content-type"].startswith("text/html")
    for path in ("/html/../secret.txt", "/html/%2e%2e/secret.txt", "/html/..%2fsecret.txt", "/html/escape",
                 "/html/%2e%2e%2f%2e%2e%2fetc/passwd", "/html/person/../../secret.txt", "/html/.hidden"):
        status, _, body = http(served, "GET", path)
        assert status in (403, 404) and b"not to be served" not in body, path
    assert http(served, "GET", "/nothing")[0] == 404
    assert http(served, "GET", "/html/%ff%fe")[0] == 400


# ------------------------------------------------------------- the command itself


def _children(pid: int) -> set[int]:
    out = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(") ", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue
        if int(fields[1]) == pid:
            out.add(int(stat.parent.name))
    return out


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] not in "ZX"
    except (FileNotFoundError, IndexError):
        return False


@pytest.mark.parametrize("how", ["SIGTERM", "SIGKILL"])
def test_cpkg_serve_starts_on_loopback_and_its_workers_end_with_it(mini_built: Settings, how: str) -> None:
    import re
    import signal
    import subprocess
    import sys

    from .conftest import cli_args

    proc = subprocess.Popen([sys.executable, "-m", "graph", "serve", "--port", "0", "--quiet", "--timeout", "60",
                             *cli_args(mini_built)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        assert proc.stderr is not None
        line = proc.stderr.readline().decode()
        m = re.match(r"cpkg serve: http://127\.0\.0\.1:(\d+)/ \(SPARQL at /sparql; 3 workers, 60 s deadline", line)
        assert m, line
        served = Served(f"http://127.0.0.1:{m.group(1)}", "127.0.0.1", int(m.group(1)), None, mini_built)
        assert get(served, "ASK { ?s ?p ?o }")[0] == 200
        workers = _children(proc.pid)
        assert len(workers) == 3
        def send_runaway() -> None:
            try:
                post_form(served, {"query": RUNAWAY})
            except OSError:  # the server is killed under it: expected
                pass

        runaway = threading.Thread(target=send_runaway, daemon=True)
        runaway.start()
        time.sleep(1.0)  # a worker is now busy with a query that would run for minutes
        proc.send_signal(signal.SIGTERM if how == "SIGTERM" else signal.SIGKILL)
        proc.wait(10)
        deadline = time.monotonic() + 10
        while any(_alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [w for w in workers if _alive(w)], "a worker outlived the server"
    finally:
        if proc.poll() is None:
            proc.kill()


def test_a_runaway_is_judged_by_cpu_time_not_by_the_clock() -> None:
    import subprocess
    import sys

    from graph.serve import SLOW_AFTER, SlowWatch

    waiting = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    spinning = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    slowed: list[int] = []
    try:
        time.sleep(0.3)  # both started
        watches = [SlowWatch(p.pid, lambda w: slowed.append(w.pid)) for p in (waiting, spinning)]
        time.sleep(SLOW_AFTER * 2.5)
        for p, watch in zip((waiting, spinning), watches, strict=True):
            watch.check(type("W", (), {"pid": p.pid})())
        assert slowed == [spinning.pid]  # a query merely waiting for the CPU is not a runaway
    finally:
        for p in (waiting, spinning):
            p.kill()
            p.wait()
