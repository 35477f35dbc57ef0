"""Decide, before anything is evaluated, whether a SPARQL text may run on cpkg's data.

pyoxigraph will happily follow ``SERVICE <http://...>`` (it has an HTTP client) and crashes
the process on a query nested a few thousand brackets deep; rdflib's parser is slow and not
thread-safe. So every ad-hoc query (``cpkg sparql``, ``cpkg serve``) passes two independent
checks first, and is refused if either objects:

1. a lexical scan (:func:`scan`) that knows comments, strings, IRIs, prefixed names and
   variables: it finds the nesting depth (refused past :data:`MAX_DEPTH`, with line and
   column) and any bare ``SERVICE`` keyword (an IRI or a string containing the word is fine);
2. rdflib's SPARQL 1.1 parser (:func:`inspect`): the parse tree says whether the text is a
   query or an update, which form it has, whether a ``SERVICE`` pattern (also ``SILENT`` or
   with a variable) appears anywhere, and which ``FROM`` / ``FROM NAMED`` graphs it names.

Refusals are :class:`Refused` with the HTTP status the endpoint answers with (400 for a
malformed or refused query, 403 for an update) and a one-line message without a traceback.
"""

from __future__ import annotations

import re
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeVar

#: Deepest bracket nesting accepted; pyoxigraph crashes (stack overflow) a few thousand deep.
MAX_DEPTH = 64
#: Keywords that start a SPARQL Update operation.
UPDATE_KEYWORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}

_TOKEN = re.compile(
    r"""
    (?P<comment>\#[^\n\r]*)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
               |"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040\u00c0-\uffff]+)
  | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<pname>(?:[A-Za-z\u00c0-\uffff][\w.\-\u00b7\u00c0-\uffff]*)?:(?:[\w\-.:%\u00b7\u00c0-\uffff]|\\.)*)
  | (?P<word>[A-Za-z_][\w]*)
  | (?P<bracket>[(){}\[\]])
  | (?P<space>\s+)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


class Refused(Exception):
    """A query the endpoint (or the command line) will not run."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Scan:
    depth: int
    depth_at: int  # offset of the bracket that reached the deepest level
    service_at: int | None  # offset of a bare SERVICE keyword
    first_keyword: str | None


@dataclass(frozen=True)
class QueryInfo:
    """What the checks learnt about an accepted query."""

    form: str  # SELECT | CONSTRUCT | ASK | DESCRIBE
    from_default: tuple[str, ...] = ()
    from_named: tuple[str, ...] = ()


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    line = text.count("\n", 0, offset) + 1
    start = text.rfind("\n", 0, offset) + 1
    return line, offset - start + 1


def scan(text: str) -> Scan:
    """One pass over the text: deepest bracket nesting, a bare SERVICE, the first keyword.

    Brackets are counted everywhere except in comments and strings (also inside anything that
    looks like an IRI: an IRI holding brackets only makes the count larger, never smaller).
    """
    depth = best = 0
    best_at = 0
    service_at = None
    first = None
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind in ("comment", "string", "space"):
            continue
        if kind == "iri":
            for i, c in enumerate(m.group(), m.start()):
                if c in "([{":
                    depth += 1
                    if depth > best:
                        best, best_at = depth, i
                elif c in ")]}":
                    depth -= 1
            continue
        if kind == "bracket":
            if m.group() in "([{":
                depth += 1
                if depth > best:
                    best, best_at = depth, m.start()
            else:
                depth -= 1
            continue
        if kind == "word":
            word = m.group().upper()
            if first is None and word not in ("PREFIX", "BASE"):
                first = word
            if word == "SERVICE" and service_at is None:
                service_at = m.start()
    return Scan(best, best_at, service_at, first)


_PARSE_LOCK = threading.Lock()


def _walk(node: Any, found: Callable[[Any], bool], depth: int = 0) -> bool:
    """True if any node of an rdflib parse tree satisfies ``found``."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    if depth > 10_000:
        return True  # deeper than any accepted text can make it: treat as suspicious
    if isinstance(node, CompValue):
        if found(node):
            return True
        return any(_walk(v, found, depth + 1) for v in node.values())
    if isinstance(node, (ParseResults, list, tuple)):
        return any(_walk(v, found, depth + 1) for v in node)
    if isinstance(node, dict):
        return any(_walk(v, found, depth + 1) for v in node.values())
    return False


def _walk_items(node: Any) -> list[Any]:
    """Every CompValue in a (small) parse subtree, in order."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        return [node]
    if isinstance(node, (ParseResults, list, tuple)):
        return [x for item in node for x in _walk_items(item)]
    return []


def _iri_text(term: Any, prologue: Any) -> str:
    """A FROM target as text: an IRI, or ``prefix:local`` resolved through the prologue."""
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(term, CompValue) and term.name == "pname":
        prefix = term["prefix"] if "prefix" in term else ""
        local = term["localname"] if "localname" in term else ""
        for item in _walk_items(prologue):
            if getattr(item, "name", "") == "PrefixDecl" and (item["prefix"] if "prefix" in item else "") == prefix:
                return str(item["iri"]) + str(local or "")
        return f"{prefix}:{local or ''}"
    return str(term)


def _parse(text: str) -> QueryInfo:
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    with _PARSE_LOCK:  # rdflib's (pyparsing's) parser is not thread-safe
        try:
            parsed = parseQuery(text)
        except ParseException as exc:
            try:
                parseUpdate(text)
            except Exception:
                raise Refused(400, f"syntax error at line {exc.lineno}, column {exc.col}: {exc.msg}") from None
            raise Refused(403, "updates are refused: this endpoint is read-only") from None
        except RecursionError:
            raise Refused(400, f"the query is nested too deeply (more than {MAX_DEPTH} levels)") from None
    prologue, body = parsed[0], parsed[1]
    if _walk(body, lambda n: n.name == "ServiceGraphPattern"):
        raise Refused(400, "SERVICE is refused: this endpoint queries only its own data and makes no requests")
    defaults: list[str] = []
    named: list[str] = []
    # CompValue.get() answers a missing key with the key's name: use `in` and item access
    for clause in (body["datasetClause"] if "datasetClause" in body else []):
        if "default" in clause:
            defaults.append(_iri_text(clause["default"], prologue))
        if "named" in clause:
            named.append(_iri_text(clause["named"], prologue))
    form = body.name.replace("Query", "").upper()
    return QueryInfo(form, tuple(defaults), tuple(named))


def inspect(text: str) -> QueryInfo:
    """Check a query text; raise :class:`Refused` with a status and a one-line message.

    Answers are cached by text (the same query asked again is not scanned or parsed again).
    """
    if len(text) > 64 * 1024:  # the cache holds at most 1024 texts of at most 64 KB
        return _inspect(text)
    info, refusal = _inspect_cached(text)
    if refusal is not None:
        raise Refused(refusal.status, refusal.message)  # a fresh exception: no traceback pile-up
    assert info is not None
    return info


@lru_cache(maxsize=1024)
def _inspect_cached(text: str) -> tuple[QueryInfo | None, Refused | None]:
    try:
        return _inspect(text), None
    except Refused as exc:
        return None, exc


def _inspect(text: str) -> QueryInfo:
    if not text or not text.strip():
        raise Refused(400, "empty query: give a SPARQL query in the `query` parameter")
    s = scan(text)
    if s.depth > MAX_DEPTH:
        line, col = line_col(text, s.depth_at)
        raise Refused(400, f"the query is nested more than {MAX_DEPTH} levels deep at line {line}, column {col}")
    if s.first_keyword in UPDATE_KEYWORDS:
        raise Refused(403, "updates are refused: this endpoint is read-only")
    if s.service_at is not None:
        line, col = line_col(text, s.service_at)
        raise Refused(400, f"SERVICE (line {line}, column {col}) is refused: this endpoint queries only "
                           "its own data and makes no requests")
    return _parse(text)


T = TypeVar("T")


def with_big_stack(func: Callable[..., T], *args: Any) -> T:
    """Run ``func`` in a thread with a large stack, so a deeply nested (but accepted) query
    cannot exhaust the recursion limit of rdflib's recursive-descent parser."""
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = func(*args)
        except BaseException as exc:  # re-raised in the caller's thread
            box["error"] = exc

    old_limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old_limit, 50_000))
    old_size = threading.stack_size()
    threading.stack_size(256 * 1024 * 1024)
    try:
        thread = threading.Thread(target=target, name="sparql-check")
        thread.start()
    finally:
        threading.stack_size(old_size)
    thread.join()
    if "error" in box:
        raise box["error"]
    return box["value"]
