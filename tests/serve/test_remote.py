"""Beyond one machine: push to a real Oxigraph server, run every named query there, compare.

The ``oxigraph`` package's server is started on a free loopback port in a temporary folder;
``cpkg push`` loads the built graph with the Graph Store Protocol, and each named query runs
there through ``--endpoint`` (parameters in a VALUES block) and in process (pyoxigraph
substitutions): the answers must be the same. A small fake Graph Store shows what a failed
push leaves behind.
"""

from __future__ import annotations

import base64
import json
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pyoxigraph as ox
import pytest

from graph import query as q
from graph import results
from graph.endpoint import Endpoint, graphs_of, push, run_named_remote
from graph.errors import QueryError
from graph.settings import Settings

from .conftest import cli_args, cpkg, free_port, which

pytestmark = pytest.mark.server

MINI_PARAMS: dict[str, dict[str, str]] = {
    "lineage": {"party": "river-party"}, "ancestors": {"party": "Lotus Party"}, "descendants": {"party": "RP"},
    "members-on-date": {"party": "river-party", "date": "2024-03"}, "detained": {"date": "2024-03-05"},
    "sources-for": {"s": "chan-vuthy", "p": "sentencedTo"}, "leaders": {"party": "river-party"},
    "source-facts": {"source": "https://example.org/beta"}, "statements": {"speaker": "sok-dara"},
    "neighbours": {"entity": "sok-dara"}, "legal-case": {"person": "Chan Vuthey"}, "entity": {"entity": "chan-vuthy"},
    "meetings": {"person": "Dara Sok"}, "convictions": {"charge": "INCITE"}, "alliances": {"party": "lotus-party"},
    "elections": {"party": "river-party"}, "corroboration": {"min": "1"},
}


def _norm(term: Any) -> Any:
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        return ("literal", term.value, term.language or term.datatype.value)
    return (type(term).__name__, term.value)


def local_answers(store: ox.Store, name: str, values: dict[str, str]) -> results.Solutions:
    nq = q.get(name)
    subs = q.bind(nq, values, q.NameIndex(store))
    res = results.collect(q.run(store, nq.text, subs))
    assert isinstance(res, results.Solutions)
    return res


def comparable(res: results.Result, text: str) -> Counter[tuple[Any, ...]]:
    import re

    assert isinstance(res, results.Solutions)
    concat = {m.group(2): m.group(1) for m in
              re.finditer(r'GROUP_CONCAT\s*\(.*?separator\s*=\s*"([^"]*)"\s*\)\s*AS\s*\?(\w+)', text, re.S | re.I)}
    out = []
    for row in res.rows:
        items = []
        for var, term in zip(res.variables, row, strict=True):
            if var in concat:
                value = term.value if term is not None else ""
                items.append(tuple(sorted(value.split(concat[var]))) if value else ())
            else:
                items.append(_norm(term))
        out.append(tuple(items))
    return Counter(out)


@pytest.fixture
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh, empty Oxigraph server per test (a push does not delete graphs it does not send)."""
    binary = which("oxigraph")
    if binary is None:
        pytest.skip("the `oxigraph` server binary (pip package `oxigraph`) is not installed")
    port = free_port()
    location = tmp_path_factory.mktemp("oxigraph")
    proc = subprocess.Popen([binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(base + "/query?query=ASK%7B%7D", timeout=1).read()
                break
            except (urllib.error.URLError, ConnectionError):
                if time.monotonic() > deadline or proc.poll() is not None:
                    pytest.fail("the Oxigraph server did not start")
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def _push_and_compare(settings: Settings, base: str, params: dict[str, dict[str, str]] | None) -> None:
    from graph.build import open_store

    pushed = cpkg("push", "--endpoint", base + "/store", *cli_args(settings))
    assert pushed.exit_code == 0, pushed.output
    store = open_store(settings)
    n_graphs = sum(1 for _ in store.named_graphs())
    assert pushed.output.strip() == f"pushed {n_graphs} graphs ({len(store)} triples) to {base}/store"
    remote = Endpoint(base + "/query")
    assert set(remote.cpkg_graphs()) >= {g.value for g in store.named_graphs()}
    for name, nq in q.library().items():
        values = (params or {}).get(name) if params is not None else {p.name: p.example for p in nq.params}
        values = values or {}
        local = local_answers(store, name, values)
        there = run_named_remote(remote, name, values)
        assert comparable(there, nq.text) == comparable(local, nq.text), name


def test_push_then_every_named_query_answers_the_same_on_oxigraph_fixture(
        oxigraph_server: str, mini_built: Settings) -> None:
    _push_and_compare(mini_built, oxigraph_server, MINI_PARAMS)


def test_push_then_every_named_query_answers_the_same_on_oxigraph_real(
        oxigraph_server: str, real_built: Settings) -> None:
    _push_and_compare(real_built, oxigraph_server, None)


def test_the_cli_runs_a_named_query_and_sparql_on_the_endpoint(oxigraph_server: str, real_built: Settings) -> None:
    assert cpkg("push", "--endpoint", oxigraph_server + "/store", *cli_args(real_built)).exit_code == 0
    local = cpkg("query", "lineage", "-p", "party=kwp", "--format", "json", *cli_args(real_built))
    there = cpkg("query", "lineage", "-p", "party=kwp", "--format", "json", "--endpoint", oxigraph_server + "/query")
    assert there.exit_code == 0, there.output
    assert json.loads(there.output) == json.loads(local.output)
    text = 'SELECT ?label WHERE { ?e cpkg:entityId "cnrp" ; skos:prefLabel ?label }'
    by_sparql = cpkg("sparql", text, "--format", "csv", "--endpoint", oxigraph_server + "/query")
    assert by_sparql.stdout_bytes == b"label\r\nCambodia National Rescue Party\r\n"
    hostile = cpkg("query", "source-facts", "-p", 'source=<urn:a> } ; DROP ALL ; {', "--format", "csv",
                   "--endpoint", oxigraph_server + "/query")
    assert hostile.exit_code == 0 and hostile.stdout_bytes.count(b"\r\n") == 1  # the header only
    count = Endpoint(oxigraph_server + "/query").query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert isinstance(count, results.Solutions) and int(count.rows[0][0].value) > 0  # nothing was dropped


def test_unreachable_and_failing_endpoints_give_one_line(mini_built: Settings) -> None:
    port = free_port()
    down = cpkg("query", "stats", "--endpoint", f"http://127.0.0.1:{port}/query")
    assert down.exit_code == 1 and down.output.startswith(f"Error: cannot reach http://127.0.0.1:{port}/query: ")
    scheme = cpkg("query", "stats", "--endpoint", "file:///etc/passwd")
    assert scheme.exit_code == 1 and scheme.output.strip() == "Error: endpoint: 'file:///etc/passwd' is not an http(s) URL"
    push_down = cpkg("push", "--endpoint", f"http://127.0.0.1:{port}/store", *cli_args(mini_built))
    assert push_down.exit_code == 1 and "cannot reach" in push_down.output


# -------------------------------------------------------------- a fake Graph Store


class FakeStore:
    """An in-memory Graph Store Protocol endpoint that can be told to fail the n-th PUT."""

    def __init__(self, fail_on_put: int | None = None) -> None:
        self.graphs: dict[str, bytes] = {"https://w3id.org/cpkg/graph/registry": b"<urn:old> <urn:p> \"old\" .\n"}
        self.fail_on_put = fail_on_put
        self.puts = 0
        self.auth: list[str | None] = []
        outer = self

        class H(BaseHTTPRequestHandler):
            def log_message(self, *a: Any) -> None:
                pass

            def _graph(self) -> str:
                return urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)["graph"][0]

            def _reply(self, code: int, body: bytes = b"", ctype: str = "text/plain") -> None:
                self.send_response(code)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                outer.auth.append(self.headers.get("Authorization"))
                g = self._graph()
                if g in outer.graphs:
                    self._reply(200, outer.graphs[g], "application/n-triples")
                else:
                    self._reply(404, b"no such graph")

            def do_PUT(self) -> None:
                outer.auth.append(self.headers.get("Authorization"))
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.puts += 1
                if outer.fail_on_put is not None and outer.puts == outer.fail_on_put:
                    self._reply(500, b"disk full\nsecond line")
                    return
                outer.graphs[self._graph()] = body
                self._reply(204)

            def do_DELETE(self) -> None:
                outer.graphs.pop(self._graph(), None)
                self._reply(204)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/store"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_a_failed_push_puts_back_what_was_there(mini_built: Settings) -> None:
    from graph.build import open_store

    graphs = graphs_of(open_store(mini_built))
    fake = FakeStore(fail_on_put=3)
    before = dict(fake.graphs)
    try:
        with pytest.raises(QueryError) as err:
            push(graphs, fake.url, auth="ann:secret")
        message = err.value.one_line()
        assert "answered HTTP 500: disk full" in message
        assert "the 2 graphs replaced before it were put back as they were" in message
        assert fake.graphs == before  # the old registry back, the new graph deleted again
        expected = "Basic " + base64.b64encode(b"ann:secret").decode()
        assert set(fake.auth) == {expected}
    finally:
        fake.close()


def test_a_push_without_rollback_says_what_it_left(mini_built: Settings) -> None:
    from graph.build import open_store

    graphs = graphs_of(open_store(mini_built))
    fake = FakeStore(fail_on_put=2)
    try:
        with pytest.raises(QueryError) as err:
            push(graphs, fake.url, rollback=False)
        assert "1 of 4 graphs were replaced before it (no rollback asked)" in err.value.one_line()
        ok = FakeStore()
        try:
            report = push(graphs, ok.url)
            assert sorted(ok.graphs) == sorted(graphs) and report.triples == sum(len(t) for t in graphs.values())
            for g, triples in graphs.items():
                assert sorted(str(x) for x in ox.parse(ok.graphs[g], format=ox.RdfFormat.N_TRIPLES)) == \
                    sorted(str(ox.Quad(t.subject, t.predicate, t.object)) for t in triples)
        finally:
            ok.close()
    finally:
        fake.close()
