"""Commands of the query family: query (named queries), sparql (ad hoc), push (to an endpoint).

Heavy imports (pyoxigraph, rdflib) happen inside the commands, so that ``cpkg --help`` and
``cpkg query lineage -p party=kwp`` start fast.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from .options import make_settings, settings_options

SELECT_FORMATS = ["table", "csv", "tsv", "json", "xml", "md"]
GRAPH_FORMATS = ["turtle", "nt", "jsonld", "rdfxml"]
#: Largest query file or standard input read by ``cpkg sparql`` (bytes).
MAX_QUERY_BYTES = 1024 * 1024


def _parse_params(values: tuple[str, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in values:
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or not name:
            raise click.BadParameter(f"{item!r}: give NAME=VALUE, e.g. -p party=kwp", param_hint="-p")
        if name in out:
            raise click.BadParameter(f"{name!r} given twice", param_hint="-p")
        out[name] = value
    return out


def _emit(result: object, fmt: str | None, wide: bool) -> None:
    from .. import results as r

    assert isinstance(result, (r.Solutions, r.Boolean, r.Graph))
    if fmt is None:
        fmt = "turtle" if isinstance(result, r.Graph) else "table"
    try:
        data = r.render(result, fmt, max_width=None if wide else 60)
    except ValueError as exc:
        raise click.UsageError(f"--format {fmt}: {exc}") from None
    click.echo(data, nl=False)


def _list_queries(fmt: str | None) -> None:
    from .. import query as q

    lib = q.library()
    if fmt == "json":
        doc = [{"name": nq.name, "title": nq.title, "description": nq.description,
                "params": [{"name": p.name, "type": p.type, "optional": p.optional, "example": p.example,
                            "doc": p.doc} for p in nq.params],
                "examples": list(nq.examples), "result": nq.result} for nq in lib.values()]
        click.echo(json.dumps(doc, indent=2, ensure_ascii=False))
        return
    if fmt not in (None, "table"):
        raise click.UsageError("the list of named queries is shown as a table or as --format json")
    width = max((len(n) for n in lib), default=4)
    for nq in lib.values():
        params = " ".join(f"{p.name}={p.type}{'?' if p.optional else ''}" for p in nq.params)
        click.echo(f"{nq.name:<{width}}  {nq.title}" + (f"  [{params}]" if params else ""))
    click.echo(f"\n{len(lib)} queries; run one with `cpkg query NAME -p NAME=VALUE`, "
               "show its text with `cpkg query NAME --show`")


@click.command()
@settings_options
@click.argument("name", required=False)
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
              help="A parameter value (repeatable): -p party=kwp -p date=2025-05-08.")
@click.option("--format", "fmt", type=click.Choice(SELECT_FORMATS + GRAPH_FORMATS), default=None,
              help="table (default), csv/tsv/json/xml (the W3C SPARQL results formats) or md.")
@click.option("--endpoint", metavar="URL", default=None,
              help="Run against this SPARQL 1.1 query endpoint instead of the local build.")
@click.option("--auth", metavar="USER:PASSWORD", default=None, help="HTTP Basic credentials for --endpoint.")
@click.option("--show", is_flag=True, help="Print the query text with the values bound (a VALUES block) instead.")
@click.option("--wide", is_flag=True, help="Do not shorten long cells in the table.")
def query(data: Path | None, corpus: Path | None, exports: Path | None, name: str | None,
          params: tuple[str, ...], fmt: str | None, endpoint: str | None, auth: str | None,
          show: bool, wide: bool) -> None:
    """List the named queries, or run one with -p NAME=VALUE parameters.

    Without NAME, lists the queries in scripts/queries/ with their parameters. Values are
    bound as RDF terms, never pasted into the query text: a value with quotes, braces or
    Khmer script is only ever a value. Entity parameters take an id, a name or an alias.
    """
    values = _parse_params(params)
    if name is None:
        if values:
            raise click.UsageError("-p needs a query NAME")
        _list_queries(fmt)
        return
    from .. import query as q
    from .. import results

    nq = q.get(name)
    if endpoint:
        from ..endpoint import Endpoint, RemoteNameIndex, named_query_text, run_named_remote

        remote = Endpoint(endpoint, auth=auth)
        if show:
            remote_names: Any = RemoteNameIndex(remote) if any(p.type == "entity" for p in nq.params) else None
            click.echo(named_query_text(name, values, remote_names))
            return
        _emit(run_named_remote(remote, name, values), fmt, wide)
        return
    from ..build import open_store

    store = open_store(make_settings(data, corpus, exports))
    names = q.NameIndex(store) if any(p.type == "entity" for p in nq.params) else None
    if show:
        from ..endpoint import named_query_text

        click.echo(named_query_text(name, values, names))
        return
    subs = q.bind(nq, values, names)
    _emit(results.collect(q.run_bound(store, nq, subs)), fmt, wide)


def _read_query(text: str | None, file: Path | None) -> str:
    if text is not None and file is not None:
        raise click.UsageError("give the query as an argument or with --file, not both")
    if file is not None:
        if file.stat().st_size > MAX_QUERY_BYTES:
            raise click.UsageError(f"{file} is larger than {MAX_QUERY_BYTES // 1024} KB")
        return file.read_text(encoding="utf-8")
    if text is not None:
        return text
    if sys.stdin is None or sys.stdin.isatty():
        raise click.UsageError("give a query: an argument, --file FILE, or standard input")
    data = sys.stdin.read(MAX_QUERY_BYTES + 1)
    if len(data) > MAX_QUERY_BYTES:
        raise click.UsageError(f"standard input is larger than {MAX_QUERY_BYTES // 1024} KB")
    return data


@click.command()
@settings_options
@click.argument("text", metavar="[QUERY]", required=False)
@click.option("--file", "file", type=click.Path(dir_okay=False, exists=True, path_type=Path), default=None,
              help="Read the query from this file.")
@click.option("--format", "fmt", type=click.Choice(SELECT_FORMATS + GRAPH_FORMATS), default=None,
              help="SELECT/ASK: table (default), csv, tsv, json, xml, md. CONSTRUCT/DESCRIBE: turtle "
                   "(default), nt, jsonld, rdfxml.")
@click.option("--endpoint", metavar="URL", default=None,
              help="Run against this SPARQL 1.1 query endpoint instead of the local build.")
@click.option("--auth", metavar="USER:PASSWORD", default=None, help="HTTP Basic credentials for --endpoint.")
@click.option("--wide", is_flag=True, help="Do not shorten long cells in the table.")
def sparql(data: Path | None, corpus: Path | None, exports: Path | None, text: str | None,
           file: Path | None, fmt: str | None, endpoint: str | None, auth: str | None, wide: bool) -> None:
    """Run an ad-hoc SPARQL query from an argument, a file or stdin.

    The default graph is the union of all sources' graphs; cpkg's prefixes (cpkg:, id:, src:,
    skos:, org:, prov:, schema: ...) are declared. Updates and SERVICE are refused; FROM may
    name graphs of the build only.
    """
    from .. import namespaces as ns
    from .. import results
    from ..errors import QueryError
    from ..serve_guard import Refused, inspect, with_big_stack

    query_text = _read_query(text, file)
    try:
        info = with_big_stack(inspect, query_text)
    except Refused as exc:
        raise QueryError(exc.message) from None
    if endpoint:
        from ..endpoint import Endpoint

        remote = Endpoint(endpoint, auth=auth)
        if info.from_default or info.from_named:
            result = remote.query(ns.sparql_prefixes() + query_text)
        else:
            result = remote.query_cpkg(query_text)
        _emit(result, fmt, wide)
        return
    from .. import query as q
    from ..build import open_store

    store = open_store(make_settings(data, corpus, exports))
    # no local name for pyoxigraph's result iterator: it must be dropped in this thread (pyo3
    # objects are "unsendable"), not later by the garbage collector in another one
    collected = results.collect(q.run_query(store, query_text, default_graphs=info.from_default or None,
                                            named_graphs=info.from_named or None))
    _emit(collected, fmt, wide)


@click.command()
@settings_options
@click.option("--endpoint", metavar="URL", required=True,
              help="The Graph Store Protocol endpoint: Oxigraph http://HOST:7878/store, Fuseki "
                   "http://HOST:3030/DATASET/data, GraphDB .../repositories/REPO/rdf-graphs/service.")
@click.option("--auth", metavar="USER:PASSWORD", default=None, help="HTTP Basic credentials.")
@click.option("--no-rollback", is_flag=True,
              help="Do not keep the endpoint's current copy of each graph to put back on a failure.")
@click.option("--timeout", type=click.FloatRange(min=1), default=120.0, show_default=True,
              help="Seconds to wait for each request.")
def push(data: Path | None, corpus: Path | None, exports: Path | None, endpoint: str, auth: str | None,
         no_rollback: bool, timeout: float) -> None:
    """Load the built graph into a SPARQL endpoint (Graph Store Protocol).

    One PUT per named graph (one per source, plus the registry and the ontology), each
    replacing that graph whole. If a PUT fails, the graphs already replaced are put back as
    they were (unless --no-rollback) and the command exits 1 naming the graph that failed.
    """
    from ..build import open_store
    from ..endpoint import graphs_of
    from ..endpoint import push as run_push

    graphs = graphs_of(open_store(make_settings(data, corpus, exports)))
    if auth and endpoint.startswith("http://") and not _loopback(endpoint):
        click.echo("warning: sending credentials over plain http", err=True)
    report = run_push(graphs, endpoint, auth=auth, timeout=timeout, rollback=not no_rollback)
    click.echo(f"pushed {len(report.graphs)} graphs ({report.triples} triples) to {endpoint}")


def _loopback(url: str) -> bool:
    from urllib.parse import urlsplit

    host = urlsplit(url).hostname or ""
    return host in ("localhost", "127.0.0.1", "::1")
