"""``cpkg query`` and ``cpkg sparql`` as a user runs them (exact messages, exit codes)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyoxigraph as ox

from graph.settings import Settings

from .conftest import cli_args, cpkg


def test_query_lists_the_named_queries_with_their_parameters() -> None:
    result = cpkg("query")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert any(line.startswith("lineage ") and "[party=entity]" in line for line in lines)
    assert any(line.startswith("detained ") and "[date=date?]" in line for line in lines)
    listed = json.loads(cpkg("query", "--format", "json").output)
    assert len(listed) >= 15 and {"name", "title", "params", "examples", "result"} <= set(listed[0])


def test_query_runs_one_with_parameters(mini_built: Settings) -> None:
    result = cpkg("query", "lineage", "-p", "party=RP", *cli_args(mini_built))
    assert result.exit_code == 0, result.output
    header, rule, *rows = result.output.splitlines()
    assert header.split()[:3] == ["party", "from", "fromLabel"] and set(rule) <= {"-", " "}
    assert "renamed to" in rows[0] and "Lotus Party" in rows[0] and rows[-1] == "(2 rows)"


def test_query_formats_are_the_w3c_results_formats(mini_built: Settings) -> None:
    args = ["query", "convictions", "-p", "charge=incitement", *cli_args(mini_built)]
    doc = json.loads(cpkg(*args, "--format", "json").output)
    assert doc["head"]["vars"][:3] == ["court", "charge", "person"]
    assert doc["results"]["bindings"][0]["sentence"] == {"type": "literal", "value": "P3Y"}
    rows = list(csv.DictReader(io.StringIO(cpkg(*args, "--format", "csv").output, newline="")))
    assert rows[0]["person"] == "https://w3id.org/cpkg/id/chan-vuthy" and rows[0]["court"] == ""
    tsv = cpkg(*args, "--format", "tsv").output
    parsed = list(ox.parse_query_results(tsv.encode(), format=ox.QueryResultsFormat.TSV))
    assert parsed[0]["person"] == ox.NamedNode("https://w3id.org/cpkg/id/chan-vuthy")
    md = cpkg(*args, "--format", "md").output
    assert md.startswith("| court | charge | person |") and "| id:chan-vuthy |" in md


def test_query_parameter_errors_are_one_line(mini_built: Settings) -> None:
    missing = cpkg("query", "lineage", *cli_args(mini_built))
    assert missing.exit_code == 1
    assert missing.output.strip() == ("Error: lineage needs -p party=VALUE "
                                      "(the party to start from (id, name or alias), e.g. khmer-will-party)")
    unknown = cpkg("query", "lineage", "-p", "party=RP", "-p", "colour=red", *cli_args(mini_built))
    assert unknown.exit_code == 1 and unknown.output.strip() == "Error: lineage takes no parameter 'colour' (it takes: party)"
    nobody = cpkg("query", "lineage", "-p", 'party=x" || true || "', *cli_args(mini_built))
    assert nobody.exit_code == 1 and nobody.output.startswith("Error: no entity named 'x\" || true || \"'")
    no_query = cpkg("query", "nonesuch")
    assert no_query.exit_code == 1 and no_query.output.startswith("Error: no named query 'nonesuch' (known: actors,")
    bad_date = cpkg("query", "detained", "-p", "date=2023-13-45", *cli_args(mini_built))
    assert bad_date.exit_code == 1 and "2023-13-45" in bad_date.output
    usage = cpkg("query", "lineage", "-p", "party")
    assert usage.exit_code == 2 and "give NAME=VALUE" in usage.output


def test_query_show_prints_the_values_block(mini_built: Settings) -> None:
    result = cpkg("query", "source-facts", "-p", 'source=<urn:a> } ; DROP ALL ; {', "--show", *cli_args(mini_built))
    assert result.exit_code == 0
    assert 'VALUES (?source) { ("<urn:a> } ; DROP ALL ; {") }' in result.output
    entity = cpkg("query", "lineage", "-p", "party=Lotus Party", "--show", *cli_args(mini_built))
    assert "VALUES (?party) { (<https://w3id.org/cpkg/id/lotus-party>) }" in entity.output


def test_sparql_from_an_argument_a_file_and_stdin(mini_built: Settings, tmp_path: Path) -> None:
    text = "SELECT ?label WHERE { ?e cpkg:entityId \"lotus-party\" ; skos:prefLabel ?label }"
    by_arg = cpkg("sparql", text, "--format", "csv", *cli_args(mini_built))
    assert by_arg.exit_code == 0 and by_arg.stdout_bytes == b"label\r\nLotus Party\r\n"
    path = tmp_path / "q.rq"
    path.write_text(text, encoding="utf-8")
    assert cpkg("sparql", "--file", str(path), "--format", "csv", *cli_args(mini_built)).stdout_bytes == by_arg.stdout_bytes
    assert cpkg("sparql", "--format", "csv", *cli_args(mini_built), input=text).stdout_bytes == by_arg.stdout_bytes
    both = cpkg("sparql", text, "--file", str(path), *cli_args(mini_built))
    assert both.exit_code == 2 and "not both" in both.output


def test_sparql_construct_gives_rdf(mini_built: Settings) -> None:
    text = "CONSTRUCT { ?e skos:prefLabel ?l } WHERE { ?e cpkg:entityId \"sok-dara\" ; skos:prefLabel ?l }"
    turtle = cpkg("sparql", text, *cli_args(mini_built)).output
    assert '<https://w3id.org/cpkg/id/sok-dara> skos:prefLabel "Sok Dara"' in turtle.replace("id:sok-dara", "<https://w3id.org/cpkg/id/sok-dara>")
    doc = json.loads(cpkg("sparql", text, "--format", "jsonld", *cli_args(mini_built)).output)
    assert doc[0]["@id"] == "https://w3id.org/cpkg/id/sok-dara"
    nt = cpkg("sparql", text, "--format", "nt", *cli_args(mini_built)).output
    assert nt.strip() == '<https://w3id.org/cpkg/id/sok-dara> <http://www.w3.org/2004/02/skos/core#prefLabel> "Sok Dara" .'
    wrong = cpkg("sparql", text, "--format", "csv", *cli_args(mini_built))
    assert wrong.exit_code == 2 and "RDF" in wrong.output


def test_sparql_refuses_service_updates_and_bad_syntax_in_one_line(mini_built: Settings) -> None:
    service = cpkg("sparql", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", *cli_args(mini_built))
    assert service.exit_code == 1 and service.output.startswith("Error: SERVICE (line 1, column 18) is refused")
    drop = cpkg("sparql", "DROP ALL", *cli_args(mini_built))
    assert drop.exit_code == 1 and drop.output.strip() == "Error: updates are refused: this endpoint is read-only"
    bad = cpkg("sparql", "SELECT * WHERE {\n ?s ?p ", *cli_args(mini_built))
    assert bad.exit_code == 1 and bad.output.startswith("Error: syntax error at line 2") and "Traceback" not in bad.output


def test_sparql_from_names_only_graphs_of_the_build(mini_built: Settings) -> None:
    one = ("SELECT (COUNT(*) AS ?n) FROM <https://w3id.org/cpkg/graph/test-beta-page> "
           "WHERE { ?c a cpkg:Claim }")
    assert cpkg("sparql", one, "--format", "csv", *cli_args(mini_built)).stdout_bytes == b"n\r\n2\r\n"
    outside = cpkg("sparql", "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }", *cli_args(mini_built))
    assert outside.exit_code == 1
    assert outside.output.strip() == ("Error: FROM <file:///etc/passwd>: no such graph in the built graph "
                                      "(cpkg reads only its own store, never a file or URL)")
