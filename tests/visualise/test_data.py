"""What the pages are made of: facts with their sources and periods, actors, positions."""

from __future__ import annotations

import json
import random
from pathlib import Path

import networkx as nx
import pytest

from graph.settings import Settings
from graph.visualise import load_site
from graph.visualise.data import SiteData
from graph.visualise.layout import SPRING_MAX, grouped_positions, lineage_positions, network_positions
from graph.visualise.pages import neighbourhood, visual_edges


@pytest.fixture(scope="module")
def mini_data(mini_site: Path) -> SiteData:
    from .conftest import settings_for

    root = mini_site.parent.parent
    return load_site(settings_for(root / "data", root / "data" / "corpus", root / "exports"))


@pytest.fixture(scope="module")
def hostile(hostile_site: Path, hostile_settings: Settings) -> SiteData:
    return load_site(hostile_settings)


def fact(site: SiteData, s: str, p: str) -> dict:
    return next(f for f in site.facts if f["s"] == s and f["p"] == p)


def test_a_conviction_points_at_its_court_and_keeps_the_charge_source_and_quote(mini_data: SiteData) -> None:
    f = fact(mini_data, "chan-vuthy", "convictedOf")
    assert (f["o"], f["k"], f["v"], f["d"], f["cat"]) == (
        "phnom-penh-municipal-court", "convicted by", "incitement", "2023", "legal")
    assert f["w"] == ["2023-01-01", None], "an event stands from the first day its date may mean"
    src = mini_data.sources[f["src"]]
    assert (src["publisher"], src["published"], src["url"]) == ("Test Wire", "2024-03-05", "https://example.org/alpha")
    assert f["q"].startswith("Vuthy was convicted of incitement")


def test_a_role_reads_as_the_role_and_points_at_its_organisation(mini_data: SiteData) -> None:
    f = fact(mini_data, "sok-dara", "holdsRole")
    assert (f["o"], f["k"]) == ("river-party", "deputy president")
    assert "v" not in f, "the role is the edge's label; it is not repeated"


def test_literal_facts_have_no_target_and_a_source_without_a_date_is_undated(mini_data: SiteData) -> None:
    beta = next(f for f in mini_data.facts if f["p"] == "sentencedTo" and "n" in f)
    assert "o" not in beta and beta["v"] == "P1Y6M"
    assert mini_data.sources[beta["src"]]["id"] == "test-beta-page"
    assert "published" not in mini_data.sources[beta["src"]]


def test_party_lives_follow_the_rename(mini_data: SiteData) -> None:
    assert mini_data.actors["river-party"]["life"] == [None, "2020-12-31"]
    assert mini_data.actors["lotus-party"]["life"] == ["2020-01-01", None]
    assert "life" not in mini_data.actors["sok-dara"]


def test_facts_are_in_date_order_undated_last(mini_data: SiteData) -> None:
    keys = [(f["w"][0] or f["w"][1]) if f.get("w") else "9999" for f in mini_data.facts]
    assert keys == sorted(keys)


def test_detentions_and_khmer_names_reach_the_page_data(hostile: SiteData) -> None:
    assert hostile.actors["hostile-person"]["jail"] == [["2023-05-01", None]]
    assert hostile.actors["khmer-party"]["label"] == "\u1782\u178e\u1794\u1780\u17d2\u179f\u1791\u17b8\u1793\u1797\u17d2\u179b\u17ba"
    assert "\u179f\u1798 \u179a\u1784\u17d2\u179f\u17ca\u17b8" in hostile.actors["hostile-person"]["aliases"]


def test_hostile_text_is_kept_verbatim_as_data(hostile: SiteData) -> None:
    assert hostile.actors["hostile-person"]["label"] == "<img src=x onerror=alert(1)>"
    said = fact(hostile, "hostile-person", "statedBy")
    assert said["v"] == "</script><script>alert(13)</script>"
    assert "\u2028" in said["q"]
    assert hostile.sources[0]["title"].startswith('<a href="javascript:alert(8)">')


def test_parallel_facts_share_one_line_undated_lines_are_dashed_symmetric_ones_have_no_arrow(mini_data: SiteData) -> None:
    everything = set(mini_data.actors)
    edges = visual_edges(mini_data, range(len(mini_data.facts)), everything, labels=True)
    met = next(e for e in edges if {e["from"], e["to"]} == {"sok-dara", "chan-vuthy"})
    assert met["arrows"] == {"to": {"enabled": False}}
    assert "dashes" not in met
    ally = next(e for e in edges if e["from"] == "lotus-party" and e["to"] == "river-party")
    assert ally["label"] == "allied with 2021\u2013"
    assert sum(len(e["facts"]) for e in edges) == sum(1 for f in mini_data.facts if f.get("o"))


def test_an_undated_line_is_dashed_and_its_fact_has_no_window() -> None:
    from graph.visualise.data import site_data

    g = nx.MultiDiGraph()
    g.add_node("a", label="A", type="Person")
    g.add_node("b", label="B", type="Person")
    g.add_edge("a", "b", key="0123456789abcdef", predicate="metWith", label="met", source="s1", publisher="P",
               url="https://example.org/", object="b")
    site = site_data(g, [{"id": "s1", "title": "T"}])
    assert "w" not in site.facts[0]
    (edge,) = visual_edges(site, [0], {"a", "b"}, labels=True)
    assert edge["dashes"] is True and edge["label"] == "met"
    assert site.sources == [{"id": "s1", "title": "T"}]


def test_neighbourhood_two_steps(mini_data: SiteData) -> None:
    assert neighbourhood(mini_data, "prey-sar-prison", 1) == {"prey-sar-prison", "sok-dara"}
    assert neighbourhood(mini_data, "prey-sar-prison", 2) == {"prey-sar-prison", "sok-dara", "river-party", "chan-vuthy"}


def _random_graph(n: int, seed: int = 3) -> nx.MultiDiGraph:
    rng = random.Random(seed)
    g = nx.MultiDiGraph()
    parties = [f"party-{i}" for i in range(max(3, n // 50))]
    for p in parties:
        g.add_node(p, type="PoliticalParty")
    for i in range(n - len(parties)):
        g.add_node(f"person-{i}", type="Person")
        g.add_edge(f"person-{i}", rng.choice(parties), key=f"f{i}")
        if i and rng.random() < 0.5:
            g.add_edge(f"person-{i}", f"person-{rng.randrange(i)}", key=f"m{i}")
    return g


def test_network_positions_are_deterministic_and_place_everyone(mini_data: SiteData) -> None:
    a = network_positions(mini_data.graph)
    b = network_positions(mini_data.graph)
    assert a == b and set(a) == set(mini_data.graph)
    assert len(set(a.values())) == len(a), "no two actors on the same spot"


def test_big_graphs_get_the_grouped_layout_members_around_their_party() -> None:
    g = _random_graph(SPRING_MAX * 3)
    types = {n: g.nodes[n]["type"] for n in g}
    pos = grouped_positions(g, types)
    assert set(pos) == set(g)
    assert len(set(pos.values())) == len(pos)
    assert pos == network_positions(g, types), "above SPRING_MAX the network page uses it"
    # a member sits nearer its own party than the average party does
    person = "person-7"
    party = next(iter(g.successors(person)))
    d_own = abs(complex(*pos[person]) - complex(*pos[party]))
    parties = [n for n in g if types[n] == "PoliticalParty"]
    d_avg = sum(abs(complex(*pos[person]) - complex(*pos[p])) for p in parties) / len(parties)
    assert d_own < d_avg
    json.dumps(pos)  # plain floats


def test_lineage_puts_years_left_to_right_and_a_renamed_party_in_its_predecessors_lane() -> None:
    pos, axis = lineage_positions(
        {"knp": "1995", "srp": "1998", "hrp": "2007", "cnrp": "2012", "odd": None},
        [("knp", "srp"), ("srp", "cnrp"), ("hrp", "cnrp")],
        {"cnrp": ["leader-a", "leader-b"]},
        {"court": "2017"},
    )
    xs = {k: pos[k][0] for k in ("knp", "srp", "hrp", "cnrp", "court")}
    assert xs["knp"] < xs["srp"] < xs["hrp"] < xs["cnrp"] < xs["court"]
    assert pos["odd"][0] < xs["knp"], "undated parties stand left of the first year"
    assert pos["knp"][1] == pos["srp"][1] == pos["cnrp"][1], "one lane along the renames and the merger"
    assert pos["hrp"][1] != pos["cnrp"][1]
    assert pos["leader-a"][1] < pos["leader-b"][1] and pos["leader-a"][1] > pos["cnrp"][1]
    assert pos["court"][1] > max(pos[p][1] for p in ("knp", "srp", "hrp", "cnrp", "odd", "leader-b"))
    assert [c["label"] for c in axis["columns"]] == ["undated", "1995", "1998", "2007", "2012", "2017"]


def test_the_built_pages_and_cpkg_viz_read_one_projection(tmp_path: Path) -> None:
    # `cpkg build` reuses the network its GraphML/CSV exports were made from; `cpkg viz` reads
    # the build back: a page, an export and another page never disagree on a fact
    from graph.build import build
    from graph.visualise.data import site_data

    from .conftest import MINI, copy_data

    settings = copy_data(MINI, tmp_path)
    result = build(settings)
    built = site_data(result.export_data.graph, result.export_data.sources)
    read_back = load_site(settings)
    assert built.facts == read_back.facts and built.actors == read_back.actors
    assert built.sources == read_back.sources


def test_project_gives_researchers_the_network_of_the_build(tmp_path: Path) -> None:
    from graph.network import project

    from .conftest import MINI, copy_data

    g = project(copy_data(MINI, tmp_path))  # builds first: nothing was built in this folder
    assert g.nodes["chan-vuthy"]["aliases"] == ["Chan Vuthey", "Vuthy"]
    assert all("valid_from" in d and "source" in d for _, _, d in g.edges(data=True))
