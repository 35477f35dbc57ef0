"""Finding actors and linking them to the registry (never on a weak match)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from graph.ingest.mentions import Linker, find_mentions


def links(text: str, registry: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    found = find_mentions(text, 0, len(text), Linker(registry), dt.date(2024, 6, 1))
    return [(text[m.start:m.end], m.entity, m.how) for m in found.mentions]


def types(text: str, registry: list[dict[str, Any]]) -> dict[str, str]:
    found = find_mentions(text, 0, len(text), Linker(registry), dt.date(2024, 6, 1))
    return {e.id: e.type for e in found.entities.values()}


def test_khmer_name_order(registry: list[dict[str, Any]]) -> None:
    got = links("Members welcomed Sovann Chea at the airport.", registry)
    assert got == [("Sovann Chea", "chea-sovann", "swap")]


def test_surname_after_full_mention_only(registry: list[dict[str, Any]]) -> None:
    assert links("Bopha spoke first.", registry) == []  # a lone word: weak
    got = links("Meas Bopha spoke first. Bopha said more.", registry)
    assert got == [("Meas Bopha", "meas-bopha", "exact"), ("Bopha", "meas-bopha", "surname")]


def test_shared_surname_is_ambiguous(registry: list[dict[str, Any]]) -> None:
    got = links("Sok Dara and Sok Pisey came. Sok said little.", registry)
    assert ("Sok", "sok-dara", "surname") not in got and ("Sok", "sok-pisey", "surname") not in got
    assert [g[1] for g in got] == ["sok-dara", "sok-pisey"]


def test_near_miss_links_when_unambiguous(registry: list[dict[str, Any]]) -> None:
    assert links("Spokesperson Lim Dora spoke.", registry) == [("Lim Dora", "lim-dara", "near-miss")]
    assert links("Prime Minister Hun Sun spoke.", registry) == [("Hun Sun", "hun-sen", "near-miss")]


def test_near_miss_refused_when_two_people_are_as_close(registry: list[dict[str, Any]]) -> None:
    got = links("Keo Rath, who was there, said nothing.", registry)
    assert all(g[1] not in {"keo-rith", "keo-roth"} for g in got)


def test_both_words_wrong_is_not_a_near_miss(registry: list[dict[str, Any]]) -> None:
    assert all(g[1] != "lim-dara" for g in links("Director Lum Dora spoke.", registry))


def test_acronym_after_its_expansion(registry: list[dict[str, Any]]) -> None:
    text = "The Cambodian Farmers Alliance Party (CFAP) registered. CFAP spokesperson Nuon Chantha spoke."
    got = links(text, registry)
    ids = [g[1] for g in got]
    assert ids.count("cambodian-farmers-alliance-party") == 3
    assert ("Nuon Chantha", "nuon-chantha", "new") in got


def test_acronym_from_initials_of_a_named_party(registry: list[dict[str, Any]]) -> None:
    got = links("The Grassroots Renewal Party met. GRP leaders spoke.", registry)
    assert [g[1] for g in got] == ["grassroots-renewal-party", "grassroots-renewal-party"]


def test_new_entities_are_typed_by_their_head_noun(registry: list[dict[str, Any]]) -> None:
    text = ("He was held in Battambang Provincial Prison after the Siem Reap Provincial Court ruled; "
            "the Ministry of Justice and the Free Farmers Party objected.")
    got = types(text, registry)
    assert got["battambang-provincial-prison"] == "Prison"
    assert got["siem-reap-provincial-court"] == "Court"
    assert got["ministry-of-justice"] == "GovernmentBody"
    assert got["free-farmers-party"] == "PoliticalParty"


def test_people_are_proposed_only_with_evidence(registry: list[dict[str, Any]]) -> None:
    assert types("Party director Nov Sreyneang spoke.", registry).get("nov-sreyneang") == "Person"
    assert types("Visitors praised Angkor Wat at length.", registry) == {}
    assert "phnom-penh" not in types("He said Phnom Penh was calm.", registry)


def test_descriptive_words_are_not_part_of_a_name(registry: list[dict[str, Any]]) -> None:
    got = links("Former Grassroots Renewal Party president Meas Bopha spoke on Monday.", registry)
    assert got[0] == ("Grassroots Renewal Party", "grassroots-renewal-party", "exact")


def test_elections_are_entities(registry: list[dict[str, Any]]) -> None:
    got = types("The party won seats at last year's commune elections and the 2023 election.", registry)
    assert got == {"2023-commune-election": "Election", "2023-general-election": "Election"}
