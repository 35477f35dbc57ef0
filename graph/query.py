"""Named SPARQL queries: files in ``scripts/queries/*.rq`` with a header that says what
they answer and which parameters they take, run with values bound, never formatted in.

Header lines (``#`` comments at the top of the file)::

    # title: A party's full lineage
    # description: ...
    # param: party | entity | khmer-will-party | the party to start from
    # example: cpkg query lineage -p party=kwp

A parameter's type says how its text becomes an RDF term: ``entity`` (an id, name or
alias, resolved through the registry), ``date`` (YYYY[-MM[-DD]]), ``string``, ``integer``,
``iri``.  Values reach the query as bindings, never formatted into its text by hand:

- free text (``string``) as a pyoxigraph substitution (SEP-0007), so a value such as
  ``x" } ; DROP ALL ; {`` is only ever a value;
- values that are already canonical RDF terms (an entity IRI looked up in the built graph,
  a checked date, whole number or http(s) IRI) as a ``VALUES`` row opening the WHERE
  clause, each term written by pyoxigraph's own N-Triples serialiser.  Oxigraph plans a
  query before it sees its substitutions, so a bound party or person does not steer the
  join order; a VALUES row does.  Measured on the 1M-triple synthetic graph: ``leaders``
  104 ms -> 4 ms, ``entity`` 1.0 s -> 0.14 s (benchmarks/README.md).  Both forms give the
  same answers (tests/query/test_library.py checks every parameterised query).  A query
  whose header says ``# binding: substitution`` keeps substitutions for all its values
  (a VALUES row does not reach into subqueries).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from . import namespaces as ns
from . import results
from .errors import QueryError
from .settings import QUERIES_DIR

PARAM_TYPES = ("entity", "date", "string", "integer", "iri")
_NAME = re.compile(r"^[a-z][a-z0-9-]*$")


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    example: str
    doc: str
    optional: bool = False


@dataclass(frozen=True)
class NamedQuery:
    name: str
    path: Path
    title: str
    description: str
    params: tuple[Param, ...]
    text: str
    examples: tuple[str, ...] = ()
    result: str = ""
    meta: dict[str, str] = field(default_factory=dict)

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


def parse_header(path: Path, text: str) -> NamedQuery:
    """Read the ``# key: value`` header of a query file."""
    meta: dict[str, list[str]] = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line.startswith("#"):
            if line:
                break
            continue
        m = re.match(r"#\s*([a-z_-]+):\s*(.*)$", line)
        if m:
            meta.setdefault(m.group(1), []).append(m.group(2).strip())
        elif meta:
            last = list(meta)[-1]
            meta[last][-1] += " " + line.lstrip("#").strip()
    params = []
    for spec in meta.get("param", []):
        parts = [p.strip() for p in spec.split("|")]
        if len(parts) != 4 or parts[1].rstrip("?") not in PARAM_TYPES:
            raise QueryError(f"bad param line {spec!r}: use `name | type | example | description`", field=str(path))
        params.append(Param(parts[0], parts[1].rstrip("?"), parts[2], parts[3], optional=parts[1].endswith("?")))
    if "title" not in meta:
        raise QueryError("the query file has no `# title:` header", field=str(path))
    return NamedQuery(
        name=path.stem, path=path, title=meta["title"][0], description=" ".join(meta.get("description", [])),
        params=tuple(params), text=text, examples=tuple(meta.get("example", [])),
        result=" ".join(meta.get("result", [])), meta={k: " ".join(v) for k, v in meta.items()},
    )


def library(folder: Path | None = None) -> dict[str, NamedQuery]:
    """Every named query, by name."""
    folder = folder or QUERIES_DIR
    out = {}
    for path in sorted(folder.glob("*.rq")):
        out[path.stem] = parse_header(path, path.read_text(encoding="utf-8"))
    return out


def get(name: str, folder: Path | None = None) -> NamedQuery:
    lib = library(folder)
    if name not in lib:
        raise QueryError(f"no named query {name!r}", hint=f"known: {', '.join(sorted(lib))}")
    return lib[name]


class NameIndex:
    """Resolves entity names and aliases to IRIs from the built store."""

    def __init__(self, store: ox.Store) -> None:
        from .resolve import name_key

        self.by_key: dict[str, str] = {}
        q = ns.sparql_prefixes() + f"""
            SELECT ?e ?label WHERE {{
              GRAPH <{ns.REGISTRY_GRAPH}> {{ ?e cpkg:entityId|skos:prefLabel|skos:altLabel ?label }}
            }}"""
        for row in select(store, q):
            self.by_key.setdefault(name_key(row["label"].value), row["e"].value)
        self.name_key = name_key

    def resolve(self, name: str) -> str:
        found = self.by_key.get(self.name_key(name))
        if found is None:
            raise QueryError(f"no entity named {name!r}", hint="give an id, a name or an alias; see `cpkg stats`")
        return found


def bind(query: NamedQuery, values: dict[str, str], names: NameIndex | None) -> dict[ox.Variable, Any]:
    """Turn ``-p name=value`` strings into typed RDF terms for the query's parameters."""
    from .errors import InputError
    from .factfile import parse_date

    unknown = set(values) - {p.name for p in query.params}
    if unknown:
        raise QueryError(f"{query.name} takes no parameter {sorted(unknown)[0]!r}",
                         hint=f"it takes: {', '.join(p.name for p in query.params) or 'none'}")
    out: dict[ox.Variable, Any] = {}
    for p in query.params:
        if p.name not in values:
            if p.optional:
                continue
            raise QueryError(f"{query.name} needs -p {p.name}=VALUE", hint=f"{p.doc}, e.g. {p.example}")
        value = values[p.name]
        term: Any
        if p.type == "entity":
            if names is None:
                raise QueryError("entity parameters need the built graph")
            term = ox.NamedNode(names.resolve(value))
        elif p.type == "date":
            try:
                d = parse_date(value, path="", line=0, field_name=p.name)
            except InputError as exc:
                raise QueryError(exc.message, field=p.name) from None
            term = ox.Literal(d.text, datatype=ox.NamedNode(ns.XSD + d.xsd))
        elif p.type == "integer":
            if not re.fullmatch(r"-?\d{1,12}", value):
                raise QueryError(f"{value!r} is not a whole number", field=p.name)
            term = ox.Literal(value, datatype=ox.NamedNode(ns.XSD + "integer"))
        elif p.type == "iri":
            if not re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", value):
                raise QueryError(f"{value!r} is not an http(s) IRI", field=p.name)
            term = ox.NamedNode(value)
        else:
            term = ox.Literal(value)
        out[ox.Variable(p.name)] = term
    return out


_VAR = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
#: parameter types whose terms are canonical by construction (see the module docstring)
PLANNED_TYPES = ("entity", "date", "integer", "iri")


def _where_brace(text: str) -> int:
    """Offset of the ``{`` opening the WHERE clause (comments, strings and IRIs skipped)."""
    from .serve_guard import _TOKEN

    depth = 0
    seen_construct = seen_where = False
    for m in _TOKEN.finditer(text):
        kind, tok = m.lastgroup, m.group()
        if kind == "word" and depth == 0:
            word = tok.upper()
            if word in ("CONSTRUCT", "DESCRIBE"):
                seen_construct = True
            elif word == "WHERE":
                seen_where = True
        elif kind == "bracket":
            if tok == "{" and depth == 0 and (seen_where or not seen_construct):
                return m.start()
            depth += 1 if tok in "([{" else -1
    raise QueryError("the query has no WHERE clause to bind parameters in")


def inject_values(text: str, bindings: dict[str, Any]) -> str:
    """``text`` with ``VALUES (?a ?b) { (<iri> "literal") }`` opening its WHERE clause.

    Each value is an RDF term (pyoxigraph) written in N-Triples syntax by the library, so
    quotes, braces, ``}`` ``;`` or Khmer script in a value stay inside its literal.  Used
    for remote endpoints, which take no substitutions, and by :func:`prepare`.
    """
    if not bindings:
        return text
    names = []
    terms = []
    for name, term in bindings.items():
        if not _VAR.match(name):
            raise QueryError(f"{name!r} cannot be a SPARQL variable name")
        if not isinstance(term, (ox.NamedNode, ox.Literal)):
            raise QueryError(f"parameter {name} must be an IRI or a literal")
        names.append("?" + name)
        terms.append(results.term_nt(term))
    at = _where_brace(text) + 1
    block = f"\n  VALUES ({' '.join(names)}) {{ ({' '.join(terms)}) }}\n"
    return text[:at] + block + text[at:]


def prepare(query: NamedQuery, subs: dict[ox.Variable, Any]) -> tuple[str, dict[ox.Variable, Any]]:
    """The text to run and the substitutions left over: canonical terms (entity IRIs, dates,
    numbers, IRIs) open the WHERE clause as a VALUES row so that Oxigraph plans with them;
    free text stays a substitution.  Same answers either way; see the module docstring."""
    if query.meta.get("binding", "").startswith("substitution"):
        return query.text, subs
    types = {p.name: p.type for p in query.params}
    planned = {v.value: t for v, t in subs.items() if types.get(v.value) in PLANNED_TYPES}
    if not planned:
        return query.text, subs
    rest = {v: t for v, t in subs.items() if v.value not in planned}
    return inject_values(query.text, planned), rest


def run_bound(store: ox.Store, query: NamedQuery, subs: dict[ox.Variable, Any]) -> Any:
    """Run a named query with its bound parameters (from :func:`bind`)."""
    text, rest = prepare(query, subs)
    return run(store, text, rest)


def select(store: ox.Store, text: str, **kw: Any) -> ox.QuerySolutions:
    """A SELECT query's solutions (a typed wrapper for internal queries)."""
    result = store.query(text, **kw)
    assert isinstance(result, ox.QuerySolutions), "expected a SELECT query"
    return result


def run(store: ox.Store, text: str, substitutions: dict[ox.Variable, Any] | None = None) -> Any:
    """Run SPARQL over the union of all named graphs; SyntaxError becomes a QueryError."""
    try:
        return store.query(text, use_default_graph_as_union=True, substitutions=substitutions or None,
                           prefixes=dict(ns.PREFIXES))
    except SyntaxError as exc:
        raise QueryError(f"SPARQL syntax error: {exc}") from None


def rows(result: Any) -> list[dict[str, Any]]:
    """SELECT results as dicts of plain Python values (IRIs and literals as strings)."""
    names = [v.value for v in result.variables]
    # zip over the solution's terms: 1.6x faster than looking each variable up by name
    return [dict(zip(names, [t.value if t is not None else None for t in sol], strict=False)) for sol in result]


def run_named(store: ox.Store, name: str, values: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """Run a named query with ``values`` for its parameters; rows as dicts."""
    q = get(name)
    needs_names = any(p.type == "entity" for p in q.params)
    subs = bind(q, values or {}, NameIndex(store) if needs_names else None)
    return rows(run_bound(store, q, subs))


# --- added for ad-hoc queries (cpkg sparql, cpkg serve) -----------------------------------


def run_query(store: ox.Store, text: str, substitutions: dict[ox.Variable, Any] | None = None, *,
              default_graphs: tuple[str, ...] | list[str] | None = None,
              named_graphs: tuple[str, ...] | list[str] | None = None) -> Any:
    """Like :func:`run`, but a query naming graphs (FROM / FROM NAMED, or the protocol's
    ``default-graph-uri`` / ``named-graph-uri``) gets exactly those graphs of the store.

    pyoxigraph ignores FROM when the default graph is the union; and a graph the store does
    not hold is an error here, never a file or URL to read.
    """
    if not default_graphs and not named_graphs:
        return run(store, text, substitutions)
    held = {g.value for g in store.named_graphs()}
    for iri in list(default_graphs or []) + list(named_graphs or []):
        if iri not in held:
            raise QueryError(f"FROM <{iri}>: no such graph in the built graph",
                             hint="cpkg reads only its own store, never a file or URL")
    try:
        return store.query(text, substitutions=substitutions or None, prefixes=dict(ns.PREFIXES),
                           default_graph=[ox.NamedNode(g) for g in default_graphs or []] or ox.DefaultGraph(),
                           named_graphs=[ox.NamedNode(g) for g in named_graphs or []])
    except SyntaxError as exc:
        raise QueryError(f"SPARQL syntax error: {exc}") from None
