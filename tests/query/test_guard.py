"""The checks every ad-hoc query passes before it is evaluated (graph/serve_guard.py)."""

from __future__ import annotations

import pytest

from graph.serve_guard import MAX_DEPTH, Refused, _parse, inspect, scan, with_big_stack


def refusal(text: str) -> Refused:
    with pytest.raises(Refused) as err:
        with_big_stack(inspect, text)
    return err.value


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { SERVICE <http://169.254.169.254/latest/meta-data/> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE SILENT <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * WHERE { BIND(<http://x/> AS ?e) SERVICE ?e { ?s ?p ?o } }",
    "select * where { service<http://x/>{?s ?p ?o} }",
    "SELECT * WHERE { ?a ?b ?c OPTIONAL { SERVICE <http://x/> { ?a ?d ?e } } }",
    "SELECT * WHERE { { SELECT ?s WHERE { SERVICE <http://x/> { ?s ?p ?o } } } }",
    "ASK { FILTER EXISTS { SERVICE <http://x/> { ?s ?p ?o } } }",
])
def test_service_is_refused_in_any_form(text: str) -> None:
    err = refusal(text)
    assert err.status == 400 and "SERVICE" in err.message and "refused" in err.message


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE SILENT ?x { ?s ?p ?o } }",
    "ASK { FILTER NOT EXISTS { SERVICE <http://x/> {} } }",
])
def test_the_parse_tree_finds_service_without_the_lexical_scan(text: str) -> None:
    # the second, independent check (rdflib's parser) catches it on its own
    with pytest.raises(Refused):
        with_big_stack(_parse, text)


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { ?s <http://example.org/SERVICE> \"SERVICE\" } # SERVICE <http://x/> {}",
    "PREFIX ex: <http://e/> SELECT ?SERVICE WHERE { ?s ex:SERVICE ?SERVICE . ?s ex:p \"\"\"SERVICE\n<x:y>\"\"\"@en }",
    "SELECT * WHERE { ?s ?p 'SERVICE <http://x/> { }' }",
])
def test_the_word_service_elsewhere_is_not_refused(text: str) -> None:
    assert with_big_stack(inspect, text).form == "SELECT"


@pytest.mark.parametrize("text", ["DROP ALL", "INSERT DATA { <a:a> <a:b> <a:c> }", "LOAD <http://x/>",
                                  "PREFIX x: <a:> CLEAR GRAPH x:g", "DELETE WHERE { ?s ?p ?o }",
                                  "WITH <a:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }"])
def test_updates_are_refused_with_403(text: str) -> None:
    err = refusal(text)
    assert err.status == 403 and "read-only" in err.message


@pytest.mark.parametrize("text,where", [
    ("SELEC * WHERE { ?s ?p ?o }", "line 1, column 1"),
    ("SELECT * WHERE {\n  ?s ?p ?o\n", "line 3"),
    ("SELECT * WHERE { ?s ?p ?o }}", "line 1"),
])
def test_malformed_queries_name_line_and_column(text: str, where: str) -> None:
    err = refusal(text)
    assert err.status == 400 and err.message.startswith("syntax error at") and where in err.message
    assert "Traceback" not in err.message


def test_empty_and_deeply_nested_queries_are_refused_quickly() -> None:
    assert refusal("").status == 400 and "empty" in refusal("   \n").message
    deep = "SELECT * WHERE { FILTER(" + "(" * 100 + "1" + ")" * 100 + ") }"
    err = refusal(deep)
    assert err.status == 400 and f"more than {MAX_DEPTH} levels" in err.message and "line 1, column" in err.message
    braces = "SELECT * WHERE " + "{" * 5000 + "}" * 5000  # would overflow pyoxigraph's stack
    assert "levels" in refusal(braces).message


def test_brackets_in_comments_and_strings_do_not_count_but_iris_cannot_hide_them() -> None:
    assert scan("SELECT * { ?s ?p \"((((((\" } # ((((((((").depth == 1
    assert scan("SELECT * { ?s ?p <http://x/((((((> }").depth == 7


def test_accepted_queries_report_their_form_and_dataset() -> None:
    info = with_big_stack(inspect, "PREFIX g: <https://w3id.org/cpkg/graph/> SELECT * FROM g:a FROM NAMED <urn:b> "
                                   "WHERE { ?s ?p ?o }")
    assert (info.form, info.from_default, info.from_named) == ("SELECT", ("https://w3id.org/cpkg/graph/a",), ("urn:b",))
    assert with_big_stack(inspect, "CONSTRUCT WHERE { ?s ?p ?o }").form == "CONSTRUCT"
    assert with_big_stack(inspect, "DESCRIBE <urn:x>").form == "DESCRIBE"
    assert with_big_stack(inspect, "ASK {}").form == "ASK"
