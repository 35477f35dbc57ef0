"""The named-query library: headers, parameters, answers on both engines, hostile values."""

from __future__ import annotations

import re
from typing import Any

import pyoxigraph as ox
import pytest

from graph import query as q
from graph.errors import QueryError
from graph.query import inject_values
from graph.settings import Settings

from .conftest import answers_ox, answers_rdflib, norm_ox, same_answers

LEAD_QUERIES = {"lineage", "entity", "conflicts", "stats", "claims", "actors"}
LIB = q.library()

#: Parameter values for the fixture data set (tests/fixtures/mini), by query.
MINI_PARAMS: dict[str, dict[str, str]] = {
    "lineage": {"party": "river-party"}, "ancestors": {"party": "Lotus Party"}, "descendants": {"party": "RP"},
    "members-on-date": {"party": "river-party", "date": "2024-03"}, "detained": {"date": "2024-03-05"},
    "sources-for": {"s": "chan-vuthy", "p": "sentencedTo"}, "leaders": {"party": "river-party"},
    "source-facts": {"source": "https://example.org/beta"}, "statements": {"speaker": "sok-dara"},
    "neighbours": {"entity": "sok-dara"}, "legal-case": {"person": "Chan Vuthey"},
    "entity": {"entity": "chan-vuthy"}, "meetings": {"person": "Dara Sok"},
    "convictions": {"court": "phnom-penh-municipal-court", "charge": "INCITE"},
    "alliances": {"party": "lotus-party"}, "elections": {"party": "river-party"}, "corroboration": {"min": "1"},
}


def values_with_examples(nq: q.NamedQuery, optional: bool) -> dict[str, str]:
    return {p.name: p.example for p in nq.params if optional or not p.optional}


def select_vars(text: str) -> set[str]:
    body = text[text.upper().index("SELECT"):]
    head = body[: re.search(r"\bWHERE\b", body, re.I).start()]  # type: ignore[union-attr]
    return set(re.findall(r"\?(\w+)", head))


def run_rows(store: ox.Store, name: str, values: dict[str, str]) -> list[dict[str, Any]]:
    return q.run_named(store, name, values)


# ------------------------------------------------------------------------------ headers


def test_the_library_has_at_least_15_queries_including_lineage() -> None:
    assert len(LIB) >= 15
    assert "lineage" in LIB and [p.name for p in LIB["lineage"].params] == ["party"]


@pytest.mark.parametrize("name", sorted(LIB))
def test_every_query_says_what_it_answers(name: str) -> None:
    nq = LIB[name]
    assert nq.title and nq.description, "a title and a description"
    assert nq.result, "a `# result:` line naming the columns"
    assert nq.examples and nq.examples[0].startswith(f"cpkg query {name}")
    if name not in LEAD_QUERIES:
        assert "e.g." in nq.result, "an example result line"
    for p in nq.params:
        assert p.example and p.doc, f"param {p.name}: an example and a description"


@pytest.mark.parametrize("name", sorted(LIB))
def test_every_parameter_is_projected_and_the_header_columns_exist(name: str) -> None:
    nq = LIB[name]
    projected = select_vars(nq.text)
    for p in nq.params:  # pyoxigraph substitutes only projected variables
        assert p.name in projected, f"?{p.name} is not in the SELECT clause"
    columns = [c.strip() for c in nq.result.split(";")[0].split(",")]
    missing = [c for c in columns if c not in projected and not re.search(rf"AS \?{re.escape(c)}\b", nq.text)]
    assert not missing, f"the header names columns the query does not return: {missing}"


def test_optional_parameters_are_never_tested_with_bound() -> None:
    # pyoxigraph's BOUND() does not see a substituted value (BOUND(?p) is false even when
    # ?p is given); the queries test optional parameters with COALESCE instead
    for nq in LIB.values():
        for p in nq.params:
            assert not re.search(rf"BOUND\(\s*\?{re.escape(p.name)}\s*\)", nq.text), (nq.name, p.name)


# ------------------------------------------------------------- running on the fixtures


@pytest.mark.parametrize("name", sorted(LIB))
def test_every_query_runs_on_the_fixture_graph(name: str, mini_store: ox.Store) -> None:
    values = MINI_PARAMS.get(name, {})
    rows = run_rows(mini_store, name, values)
    assert isinstance(rows, list)


def test_fixture_answers_are_what_the_headers_say(mini_store: ox.Store) -> None:
    lineage = run_rows(mini_store, "lineage", {"party": "river-party"})
    assert {(r["fromLabel"], r["kind"], r["toLabel"]) for r in lineage} == {
        ("River Party", "renamed to", "Lotus Party"), ("Lotus Party", "allied with", "River Party")}
    assert [(r["ancestorLabel"], r["kind"], r["date"]) for r in run_rows(mini_store, "ancestors", {"party": "lotus-party"})] \
        == [("River Party", "renamed to", "2020")]
    assert [r["descendantLabel"] for r in run_rows(mini_store, "descendants", {"party": "RP"})] == ["Lotus Party"]
    members = run_rows(mini_store, "members-on-date", {"party": "river-party", "date": "2024-03-05"})
    assert [(r["personLabel"], r["role"], r["basis"]) for r in members] == [("Sok Dara", "deputy president", "period")]
    assert run_rows(mini_store, "members-on-date", {"party": "river-party", "date": "2023"}) == []
    conv = run_rows(mini_store, "convictions", {"charge": "INCITE"})
    assert [(r["personLabel"], r["offence"], r["courtLabel"], r["date"], r["sentence"]) for r in conv] == [
        ("Chan Vuthy", "incitement", "Phnom Penh Municipal Court", "2023", "P3Y")]
    assert run_rows(mini_store, "convictions", {"charge": "treason"}) == []
    meetings = run_rows(mini_store, "meetings", {"person": "Chan Vuthy"})
    assert [(r["date"], r["aLabel"], r["kind"], r["bLabel"]) for r in meetings] == [
        ("2024-03-04", "Sok Dara", "met with", "Chan Vuthy")]
    sources = run_rows(mini_store, "sources-for", {"s": "chan-vuthy", "p": "sentencedTo"})
    assert sorted((r["objectLabel"], r["source"].rsplit("/", 1)[1]) for r in sources) == [
        ("P1Y6M", "test-beta-page"), ("P3Y", "test-alpha-2024-03-05")]
    by_url = run_rows(mini_store, "source-facts", {"source": "https://example.org/beta"})
    by_id = run_rows(mini_store, "source-facts", {"source": "test-beta-page"})
    assert {r["factId"] for r in by_url} == {r["factId"] for r in by_id} and len(by_id) == 2
    hood = run_rows(mini_store, "neighbours", {"entity": "sok-dara"})
    assert {(r["hops"], r["neighbourLabel"]) for r in hood} >= {
        ("1", "Chan Vuthy"), ("1", "River Party"), ("2", "Lotus Party"), ("2", "Phnom Penh Municipal Court")}
    steps = run_rows(mini_store, "legal-case", {"person": "Chan Vuthey"})
    assert [(r["date"], r["step"], r["detail"]) for r in steps][:2] == [
        ("2023", "convicted of", "incitement"), ("2023", "sentenced to", "P3Y")]
    counts = {r["source"].rsplit("/", 1)[1]: (r["kind"], r["reviewed"]) for r in run_rows(mini_store, "sources", {})}
    assert counts == {"test-alpha-2024-03-05": ("NewsArticle", "6"), "test-beta-page": ("WebPage", "2")}
    assert run_rows(mini_store, "corroboration", {"min": "2"}) == []
    assert run_rows(mini_store, "drafts", {}) == []


def test_the_drafts_query_lists_drafts_of_a_build_with_drafts(mini: Settings) -> None:
    from graph.build import build

    mini.drafts_dir.mkdir()
    draft = (mini.sources_dir / "test-beta-page.yaml").read_text(encoding="utf-8")
    draft = draft.replace("test-beta-page", "test-gamma-draft").replace("status: reviewed", "status: draft\n    confidence: 0.7")
    (mini.drafts_dir / "test-gamma-draft.yaml").write_text(draft, encoding="utf-8")
    build(mini, include_drafts=True)
    store = ox.Store.read_only(str(mini.store_dir / "db"))
    rows = q.run_named(store, "drafts")
    assert {(r["predicate"], r["confidence"]) for r in rows} == {("sentencedTo", "0.7"), ("allianceWith", "0.7")}
    assert all(r["source"].endswith("/test-gamma-draft") for r in rows)


# -------------------------------------------------------------- the project's own data


def test_lineage_of_the_khmer_will_party_reaches_the_cnrp_and_the_khmer_nation_party(real_store: ox.Store) -> None:
    rows = run_rows(real_store, "lineage", {"party": "kwp"})
    reached = {r["from"].rsplit("/", 1)[1] for r in rows} | {r["to"].rsplit("/", 1)[-1] for r in rows}
    assert {"cnrp", "khmer-nation-party", "candlelight-party", "sam-rainsy-party"} <= reached
    assert all(r["source"].startswith("https://w3id.org/cpkg/source/") for r in rows)


def test_real_answers_are_what_the_headers_say(real_store: ox.Store) -> None:
    ancestors = {r["ancestor"].rsplit("/", 1)[1] for r in run_rows(real_store, "ancestors", {"party": "CLP"})}
    assert {"sam-rainsy-party", "khmer-nation-party"} <= ancestors
    descendants = {r["descendant"].rsplit("/", 1)[1] for r in
                   run_rows(real_store, "descendants", {"party": "khmer-nation-party"})}
    assert {"sam-rainsy-party", "candlelight-party", "cnrp"} <= descendants
    members = run_rows(real_store, "members-on-date", {"party": "KWP", "date": "2025-05-08"})
    assert ("Son Chhay", "deputy president") in {(r["personLabel"], r["role"]) for r in members}
    detained = run_rows(real_store, "detained", {"date": "2025-05-08"})
    setha = [r for r in detained if r["person"].endswith("/thach-setha")]
    assert setha and setha[0]["prisonLabel"] == "Prey Sar Prison" and setha[0]["expectedRelease"] == "2026-04"
    assert not [r for r in run_rows(real_store, "detained", {"date": "2010"}) if r["person"].endswith("/thach-setha")]
    convictions = run_rows(real_store, "convictions", {"charge": "incitement"})
    assert ("Thach Setha", "incitement", "P3Y") in {(r["personLabel"], r["offence"], r["sentence"]) for r in convictions}
    meetings = run_rows(real_store, "meetings", {"person": "Thach Setha"})
    assert ("Son Chhay", "Thach Setha") in {(r["aLabel"], r["bLabel"]) for r in meetings}
    dissolved = run_rows(real_store, "sources-for", {"s": "cnrp", "p": "dissolvedBy"})
    assert len({r["source"] for r in dissolved}) >= 2 and {r["objectLabel"] for r in dissolved} == {"Supreme Court of Cambodia"}
    switchers = {r["personLabel"] for r in run_rows(real_store, "party-switchers", {})}
    assert {"Kong Monika", "Son Chhay"} <= switchers
    leaders = run_rows(real_store, "leaders", {"party": "khmer-will-party"})
    assert {"Kong Monika", "Phal Sopha"} <= {r["personLabel"] for r in leaders}
    elections = run_rows(real_store, "elections", {"party": "CLP"})
    assert ("disqualified", "National Election Committee") in {(r["outcome"], r["decidedBy"]) for r in elections}
    facts = run_rows(real_store, "source-facts", {"source": "camboja-2025-05-08-kwp-prison-visit"})
    assert len(facts) > 20 and any(r["quote"] for r in facts)
    said = run_rows(real_store, "statements", {"speaker": "son-chhay"})
    assert said and all(r["source"] for r in said)
    hood = run_rows(real_store, "neighbours", {"entity": "Thach Setha"})
    assert ("1", "Prey Sar Prison") in {(r["hops"], r["neighbourLabel"]) for r in hood}
    assert any(r["hops"] == "2" and r["via"] for r in hood)
    case = run_rows(real_store, "legal-case", {"person": "thach-setha"})
    assert {"convicted of", "sentenced to", "detained at", "released from"} <= {r["step"] for r in case}
    alliances = run_rows(real_store, "alliances", {"party": "KWP"})
    assert "Candlelight Party" in {r["aLabel"] for r in alliances} | {r["bLabel"] for r in alliances}
    several = run_rows(real_store, "corroboration", {"min": "2"})
    assert several and all(int(r["sources"]) >= 2 for r in several)
    assert len(run_rows(real_store, "sources", {})) >= 20


# ------------------------------------------------------------------ two engines agree


def _engine_cases(lib: dict[str, q.NamedQuery], params: dict[str, dict[str, str]] | None) -> list[tuple[str, dict[str, str]]]:
    cases = []
    for name, nq in sorted(lib.items()):
        if params is None:
            cases.append((name, values_with_examples(nq, optional=False)))
            if any(p.optional for p in nq.params):
                cases.append((name, values_with_examples(nq, optional=True)))
        else:
            cases.append((name, params.get(name, {})))
    return cases


@pytest.mark.parametrize("name,values", _engine_cases(LIB, None), ids=lambda x: x if isinstance(x, str) else "-".join(x) or "none")
def test_pyoxigraph_and_rdflib_give_the_same_answers_on_the_real_graph(
        name: str, values: dict[str, str], real_built: Settings, real_store: ox.Store) -> None:
    nq = LIB[name]
    subs = q.bind(nq, values, q.NameIndex(real_store))
    names, ox_rows = answers_ox(real_store, nq.text, subs)
    rdf_rows = answers_rdflib(real_built.exports_dir / "graph.nq", nq.text, subs, names)
    assert same_answers(ox_rows, rdf_rows)


@pytest.mark.parametrize("name,values", _engine_cases(LIB, MINI_PARAMS), ids=lambda x: x if isinstance(x, str) else "-".join(x) or "none")
def test_pyoxigraph_and_rdflib_give_the_same_answers_on_the_fixture_graph(
        name: str, values: dict[str, str], mini_built: Settings, mini_store: ox.Store) -> None:
    nq = LIB[name]
    subs = q.bind(nq, values, q.NameIndex(mini_store))
    names, ox_rows = answers_ox(mini_store, nq.text, subs)
    rdf_rows = answers_rdflib(mini_built.exports_dir / "graph.nq", nq.text, subs, names)
    assert same_answers(ox_rows, rdf_rows)


@pytest.mark.parametrize("how", ["all values", "prepared"])
@pytest.mark.parametrize("name", sorted(n for n, nq in LIB.items() if nq.params))
def test_a_values_block_binds_like_a_substitution(name: str, how: str, mini_store: ox.Store) -> None:
    # "all values": what a remote endpoint gets (graph/endpoint.py); "prepared": what a local
    # run sends (graph.query.prepare); both mean what the file with its substitutions means
    nq = LIB[name]
    subs = q.bind(nq, MINI_PARAMS.get(name, {}), q.NameIndex(mini_store))
    _, by_subs = answers_ox(mini_store, nq.text, subs)
    if how == "all values":
        text, rest = inject_values(nq.text, {v.value: t for v, t in subs.items()}), {}
    else:
        text, rest = q.prepare(nq, subs)
    _, by_values = answers_ox(mini_store, text, rest)
    assert same_answers(by_subs, by_values)


def test_prepare_puts_canonical_values_in_a_values_row_and_keeps_free_text_a_substitution(
        mini_store: ox.Store) -> None:
    # Oxigraph plans before it sees substitutions; a VALUES row lets a bound person steer the plan
    nq = LIB["sources-for"]
    subs = q.bind(nq, {"s": "chan-vuthy", "p": 'x" } ; DROP ALL ; {'}, q.NameIndex(mini_store))
    text, rest = q.prepare(nq, subs)
    assert "VALUES (?s) { (<https://w3id.org/cpkg/id/chan-vuthy>) }" in text
    assert "DROP ALL" not in text
    assert rest == {ox.Variable("p"): ox.Literal('x" } ; DROP ALL ; {')}


def test_a_query_whose_header_asks_for_substitution_keeps_its_text() -> None:
    # neighbours uses its parameter inside subqueries, which a VALUES row would not reach
    nq = LIB["neighbours"]
    subs = {ox.Variable("entity"): ox.NamedNode("https://w3id.org/cpkg/id/hun-sen")}
    assert nq.meta["binding"].startswith("substitution")
    assert q.prepare(nq, subs) == (nq.text, subs)


# ------------------------------------------------------------------- hostile values

HOSTILE = ['x" || true || "', '<urn:a> } ; DROP ALL ; {', "') } UNION { ?s ?p ?o } #", "\\\" } #",
           "គណបក្សឆន្ទៈខ្មែរ", "$(id)", "\u202eevil", ""]


@pytest.mark.parametrize("value", HOSTILE)
def test_a_hostile_string_parameter_is_only_a_value(value: str, mini_store: ox.Store) -> None:
    before = len(mini_store)
    assert q.run_named(mini_store, "source-facts", {"source": value}) == []
    assert q.run_named(mini_store, "sources-for", {"s": "chan-vuthy", "p": value}) == []
    by_charge = q.run_named(mini_store, "convictions", {"charge": value})
    assert len(by_charge) == (0 if value else len(q.run_named(mini_store, "convictions")))  # "" is in every text
    # the same value in a VALUES block, as a remote endpoint receives it
    text = inject_values(LIB["source-facts"].text, {"source": ox.Literal(value)})
    assert [norm_ox(x) for x in q.rows(q.run(mini_store, text))] == []
    assert len(mini_store) == before


@pytest.mark.parametrize("name,param", [("lineage", "party"), ("members-on-date", "date"), ("corroboration", "min")])
@pytest.mark.parametrize("value", HOSTILE[:3])
def test_a_hostile_typed_parameter_is_a_clear_error(name: str, param: str, value: str, mini_store: ox.Store) -> None:
    values = dict(MINI_PARAMS.get(name, {}), **{param: value})
    with pytest.raises(QueryError) as err:
        q.run_named(mini_store, name, values)
    assert value in err.value.one_line() or "entity named" in err.value.one_line()
