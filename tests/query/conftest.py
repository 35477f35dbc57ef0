"""Helpers of the query-library tests: the same query on pyoxigraph and on rdflib.

rdflib's in-memory ``Dataset(default_union=True)`` reading ``exports/graph.nq`` is the second
engine; answers are compared as multisets of rows of normalised terms (a plain literal and an
``xsd:string`` one are the same term). Two differences between the engines are known and
normalised, nothing else:

- ``GROUP_CONCAT`` joins its parts in an unspecified order: such columns compare as the sorted
  list of their parts;
- for an empty group, oxigraph leaves a ``GROUP_CONCAT`` unbound where rdflib gives ``""``.
"""

from __future__ import annotations

import re
import warnings
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner, Result

from graph import namespaces as ns
from graph import query as q
from graph.settings import Settings

XSD_STRING = ns.XSD + "string"
_CONCAT = re.compile(r'GROUP_CONCAT\s*\(.*?separator\s*=\s*"((?:[^"\\]|\\.)*)"\s*\)\s*AS\s*\?(\w+)', re.S | re.I)


@lru_cache(maxsize=4)
def rdflib_dataset(nq_path: str) -> rdflib.Dataset:
    rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False  # never fetch a FROM target (MEASURED.md)
    ds = rdflib.Dataset(default_union=True)
    with warnings.catch_warnings():  # rdflib 7.6 warns about its own default_context on each triple
        warnings.simplefilter("ignore", DeprecationWarning)
        ds.parse(nq_path, format="nquads")
    return ds


def norm_ox(term: Any) -> Any:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return ("iri", term.value)
    if isinstance(term, ox.BlankNode):
        return ("bnode",)
    return ("literal", term.value, term.language or term.datatype.value)


def norm_rdflib(term: Any) -> Any:
    if term is None:
        return None
    if isinstance(term, rdflib.URIRef):
        return ("iri", str(term))
    if isinstance(term, rdflib.BNode):
        return ("bnode",)
    return ("literal", str(term), term.language or (str(term.datatype) if term.datatype else XSD_STRING))


def to_rdflib(term: Any) -> Any:
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))


def concat_columns(text: str) -> dict[str, str]:
    """GROUP_CONCAT output columns of a query and their separators."""
    return {m.group(2): m.group(1).encode().decode("unicode_escape") for m in _CONCAT.finditer(text)}


def _fix_concat(row: tuple[Any, ...], names: list[str], concat: dict[str, str]) -> tuple[Any, ...]:
    out = []
    for name, term in zip(names, row, strict=True):
        if name in concat:
            value = term[1] if term else ""
            out.append(("concat", tuple(sorted(value.split(concat[name]))) if value else ()))
        else:
            out.append(term)
    return tuple(out)


def answers_ox(store: ox.Store, text: str, subs: dict[ox.Variable, Any]) -> tuple[list[str], list[tuple[Any, ...]]]:
    res = q.run(store, text, subs)
    names = [v.value for v in res.variables]
    concat = concat_columns(text)
    return names, [_fix_concat(tuple(norm_ox(s[n]) for n in names), names, concat) for s in res]


def answers_rdflib(nq_path: Path, text: str, subs: dict[ox.Variable, Any],
                   names: list[str]) -> list[tuple[Any, ...]]:
    ds = rdflib_dataset(str(nq_path))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        res = ds.query(text, initNs=dict(ns.PREFIXES),
                       initBindings={v.value: to_rdflib(t) for v, t in subs.items()})
        concat = concat_columns(text)
        return [_fix_concat(tuple(norm_rdflib(row[n]) for n in names), names, concat) for row in res]


def same_answers(a: list[tuple[Any, ...]], b: list[tuple[Any, ...]]) -> bool:
    return Counter(a) == Counter(b)


def cli_args(settings: Settings) -> list[str]:
    return ["--data", str(settings.data_dir), "--corpus", str(settings.corpus_dir),
            "--exports", str(settings.exports_dir)]


def cpkg(*args: str, input: str | None = None) -> Result:
    """Run ``cpkg ARGS`` in process, as a user would."""
    from graph.cli import main

    return CliRunner().invoke(main, list(args), input=input)


@pytest.fixture(scope="session")
def mini_store(mini_built: Settings) -> ox.Store:
    from graph.build import open_store

    return open_store(mini_built)


@pytest.fixture(scope="session")
def real_store(real_built: Settings) -> ox.Store:
    from graph.build import open_store

    return open_store(real_built)
