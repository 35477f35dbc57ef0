"""The graph as it stood on a date (graph/asof.py): one set of rules for exports and HTML."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pyoxigraph as ox
import pytest

from graph import asof
from graph.asof import ClaimTime, Timeline, Validity, filter_graph, filter_quads, lower, upper, validity
from graph.export import from_quads
from graph.namespaces import entity_iri

D = dt.date


def claim(fid: str, cls: str, s: str, o: str | None = None, entity: bool = True, **kw: Any) -> ClaimTime:
    ents = (s, o) if (entity and o) else (s,)
    return ClaimTime(fact_id=fid, claim_class=cls, subject=s, obj=o, obj_is_entity=entity and o is not None,
                     entities=ents, **kw)


def test_imprecise_dates_are_read_generously() -> None:
    assert (lower("2023"), upper("2023")) == (D(2023, 1, 1), D(2023, 12, 31))
    assert (lower("2024-02"), upper("2024-02")) == (D(2024, 2, 1), D(2024, 2, 29))
    assert (lower("2023-06-28"), upper("2023-06-28")) == (D(2023, 6, 28), D(2023, 6, 28))
    assert lower(None) is None and lower("June 2022") is None


def test_a_claims_own_period() -> None:
    assert validity({"p": "memberOf", "start": "2012", "end": "2017-11"}) == Validity(D(2012, 1, 1), D(2017, 11, 30))
    # a role attested only by a date counts from that date
    assert validity({"p": "holdsRole", "date": "2025-05-08"}) == Validity(D(2025, 5, 8), None)
    # a former role ends at the source's publication date at the latest
    assert validity({"p": "holdsRole", "former": "true", "published": "2025-05-08"}) == Validity(None, D(2025, 5, 8))
    assert validity({"p": "holdsRole", "start": "2019", "former": "true", "published": "2023"}) == \
        Validity(D(2019, 1, 1), D(2023, 12, 31))
    # an establishment stands from the date it states
    assert validity({"p": "established", "oLiteral": "1995-11-02"}) == Validity(D(1995, 11, 2), None)
    # no date at all: undated (kept in every as-of view)
    assert validity({"p": "citizenOf", "oLiteral": "Cambodia"}) is None


def test_parties_exist_from_their_beginning_to_their_end_and_renames_hand_over() -> None:
    tl = Timeline.from_claims([
        claim("a", "Establishment", "old-party", "1995-11-02", entity=False),
        claim("b", "Rename", "old-party", "new-party", date="1998"),
        claim("c", "Rename", "new-party", "newer-party", date="2018"),
        claim("d", "Merger", "new-party", "merged-party", date="2012-07-17"),
        claim("e", "Dissolution", "merged-party", "court", date="2017-11-16"),
    ])
    assert tl.entities["old-party"] == Validity(D(1995, 11, 2), D(1998, 12, 31))
    assert tl.entities["new-party"] == Validity(D(1998, 1, 1), D(2018, 12, 31))
    assert tl.entities["merged-party"] == Validity(D(2012, 7, 17), D(2017, 11, 16))
    assert tl.entities["newer-party"] == Validity(D(2018, 1, 1), None)
    assert tl.exists("merged-party", D(2017, 1, 1)) and not tl.exists("merged-party", D(2017, 11, 17))
    assert tl.exists("anyone-else", D(1900, 1, 1))  # no stated beginning or end: always there
    # a claim touching an entity that did not exist does not hold
    assert tl.holds("e", D(2017, 11, 16)) and not tl.holds("c", D(1997, 1, 1))


def test_a_detention_lasts_until_a_release_that_happened() -> None:
    tl = Timeline.from_claims([
        claim("d1", "Detention", "p", "prison", date="2021-03"),
        claim("r0", "Release", "p", "prison", date="2021-01", expected=False),  # before: does not end it
        claim("r1", "Release", "p", "prison", date="2022-05-10", expected=True),  # expected: does not end it
        claim("r2", "Release", "p", "prison", date="2023-02-01"),
    ])
    assert tl.validity("d1") == Validity(D(2021, 3, 1), D(2023, 2, 1))
    assert not tl.detained("p", D(2021, 2, 28))
    assert tl.detained("p", D(2022, 6, 1)) and not tl.detained("p", D(2023, 2, 2))


def test_a_prison_sentence_counts_as_detention_when_the_source_says_jailed() -> None:
    tl = Timeline.from_claims([
        claim("s1", "Sentence", "jailed", "P6Y", entity=False, date="2022-06", words="jailed for six years"),
        claim("s2", "Sentence", "absent", "P25Y", entity=False, date="2021-03", words="sentenced in absentia to prison"),
        claim("s3", "Sentence", "silent", "P2Y", entity=False, date="2024", words="sentenced to two years", source="x"),
        claim("s4", "Sentence", "held", "P2Y", entity=False, date="2024", words="sentenced to two years", source="y"),
        claim("h4", "Detention", "held", "prison", date="2025-05-08", source="y"),
        claim("s5", "Sentence", "freed", "P3Y", entity=False, date="2020", words="imprisoned for three years"),
        claim("r5", "Release", "freed", "prison", date="2021-06"),
    ])
    assert tl.detention_periods("jailed") == [Validity(D(2022, 6, 1), D(2028, 5, 31))]
    assert tl.detention_periods("absent") == []      # "in absentia" rules it out
    assert tl.detention_periods("silent") == []      # nothing says jailed
    assert Validity(D(2024, 1, 1), D(2025, 12, 31)) in tl.detention_periods("held")  # the same source holds them
    assert tl.detention_periods("freed") == [Validity(D(2020, 1, 1), D(2021, 6, 30))]  # released early
    assert tl.detained_on(D(2024, 6, 1)) == ["held", "jailed"]


def test_filter_graph_keeps_what_held_and_marks_undated(hostile_data: Any) -> None:
    g = hostile_data.graph
    before = filter_graph(g, "2019-01-01")
    assert "lotus-party" not in before and before.graph["as_of"] == "2019-01-01"
    during = filter_graph(g, D(2020, 6, 1))
    assert during.has_edge("khmer-person", "lotus-party")
    occupation = [f for f in during.nodes["khmer-person"]["literal_facts"] if f["predicate"] == "occupation"]
    assert occupation and occupation[0]["undated"] is True and occupation[0]["valid_from"] is None
    assert during.nodes["quote-person"]["detained"] is False
    assert filter_graph(g, D(2021, 6, 1)).nodes["quote-person"]["detained"] is True
    assert filter_graph(g, D(2023, 6, 1)).nodes["quote-person"]["detained"] is False
    after = filter_graph(g, D(2024, 7, 1))
    assert "lotus-party" not in after and not after.has_edge("khmer-person", "lotus-party")


def _claims_in(quads: list[ox.Quad]) -> set[str]:
    return {q.object.value for q in quads if q.predicate.value == "https://w3id.org/cpkg/ontology#factId"}


def _claims_in_graph(g: Any) -> set[str]:
    keys = {k for _, _, k in g.edges(keys=True)}
    return keys | {f["id"] for _, a in g.nodes(data=True) for f in a.get("literal_facts") or []}


@pytest.mark.parametrize("day", ["2019-01-01", "2020-06-01", "2021-06-01", "2024-07-01", "2030-01-01"])
def test_rdf_and_network_views_keep_the_same_claims(hostile_data: Any, day: str) -> None:
    kept = filter_quads(hostile_data.quads, hostile_data.claims, day)
    assert _claims_in(kept) == _claims_in_graph(filter_graph(hostile_data.graph, day))


def test_filter_quads_removes_whole_claims_and_vanished_entities(hostile_data: Any) -> None:
    quads = hostile_data.quads
    kept = filter_quads(quads, hostile_data.claims, "2019-01-01")
    assert set(kept) <= set(quads) and kept == sorted(kept, key=str)
    party = entity_iri("lotus-party")
    assert not any(party in (q.subject.value, getattr(q.object, "value", None)) for q in kept)
    dropped = _claims_in(quads) - _claims_in(kept)
    assert dropped
    leftover = [q for q in kept if any(q.subject.value.startswith(f"https://w3id.org/cpkg/fact/{d}") for d in dropped)]
    assert leftover == []
    # the meeting of 2020-05 had not happened: its direct edge is gone too
    assert not any(q.predicate.value.endswith("#metWith") for q in kept)
    # undated claims stay
    assert any(q.predicate.value.endswith("#occupation") for q in kept)


def test_as_of_export_data_is_cut_consistently(hostile_built: Any) -> None:
    from graph.export import load

    data = load(hostile_built, "2019-01-01")
    assert data.as_of == D(2019, 1, 1) and data.date == "2019-01-01"
    assert "lotus-party" not in {a["id"] for a in data.actors}
    assert {c["factId"] for c in data.claims} == _claims_in(data.quads) == _claims_in_graph(data.graph)


def test_intervals_for_html_give_the_slider_everything_in_json(hostile_data: Any) -> None:
    got = asof.intervals_for_html(hostile_data.graph)
    assert got["entities"]["lotus-party"] == ["2019-03-01", "2024-06-30"]
    assert got["detentions"]["quote-person"] == [["2021-01-01", "2022-12-31"], ["2021-01-01", "2022-12-31"]]
    assert None in got["claims"].values()  # undated claims
    import json

    json.dumps(got)


@pytest.mark.corpus
def test_2017_has_the_cnrp_and_no_candlelight_party(real_built: Any) -> None:
    from graph.export import load

    data = load(real_built, "2017-01-01")
    assert "cnrp" in data.graph and "candlelight-party" not in data.graph
    ids = {a["id"] for a in data.actors}
    assert "cnrp" in ids and "candlelight-party" not in ids
    assert not any(entity_iri("candlelight-party") in (q.subject.value, getattr(q.object, "value", ""))
                   for q in data.quads)


@pytest.mark.corpus
def test_2024_has_the_candlelight_party_and_no_cnrp(real_built: Any) -> None:
    from graph.export import load

    data = load(real_built, "2024-01-01")
    assert "candlelight-party" in data.graph and "cnrp" not in data.graph
    assert not any(entity_iri("cnrp") in (q.subject.value, getattr(q.object, "value", "")) for q in data.quads)


@pytest.mark.corpus
def test_theary_seng_detained_in_june_2023_and_not_in_2016(real_data: Any) -> None:
    g = real_data.graph
    assert filter_graph(g, "2023-06-28", real_data.timeline).nodes["theary-seng"]["detained"] is True
    assert filter_graph(g, "2016-01-01", real_data.timeline).nodes["theary-seng"]["detained"] is False
    assert real_data.timeline.detained("theary-seng", D(2023, 6, 28))
    assert not real_data.timeline.detained("theary-seng", D(2016, 1, 1))


@pytest.mark.corpus
def test_real_views_agree_on_every_probe_date(real_data: Any) -> None:
    for day in ("1996-01-01", "2012-07-17", "2017-11-16", "2017-11-17", "2023-06-28", "2025-05-08"):
        kept = filter_quads(real_data.quads, real_data.timeline, day)
        assert _claims_in(kept) == _claims_in_graph(filter_graph(real_data.graph, day, real_data.timeline)), day
        assert from_quads(real_data.quads, day).as_of == D.fromisoformat(day)
