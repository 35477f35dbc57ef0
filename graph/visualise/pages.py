"""The five pages (overview, network, lineage, actor, timeline) as HTML strings.

Each builder takes a :class:`~graph.visualise.data.SiteData` and returns one complete,
self-contained page (see :mod:`graph.visualise.render`).  The data handed to a page is
the part of the graph it shows plus every fact touching what it draws, so that the side
panel can list each fact of a clicked actor with its source.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

from ..model import load_model
from . import layout
from .data import KEY_PERSON_CLASSES, LINEAGE_CLASS, RELATION_STYLE, SiteData, bounds
from .render import page_html, vis_network

#: Above this many drawn lines a page drops edge labels and curves and hides edges while
#: dragging or zooming, which is what keeps a 10,000-actor page responsive.
BIG_EDGES = 2500
#: Key people drawn under each party on the lineage page (the others are in its panel);
#: 3 when there are more than 40 parties.
KEY_PEOPLE_CAP = 8
FONT = "system-ui, 'Noto Sans', 'Noto Sans Khmer', 'Khmer OS System', 'Khmer OS', 'Khmer UI', sans-serif"


def _year(day: str | None) -> int | None:
    return int(day[:4]) if day else None


def _date_text(f: dict[str, Any]) -> str:
    if f.get("a") or f.get("b"):
        return f"{f.get('a') or '…'}–{f.get('b') or ''}"
    return f.get("d") or ""


def _symmetric() -> frozenset[str]:
    return frozenset(p.name for p in load_model().predicates.values() if p.symmetric)


def _pred_label(name: str) -> str:
    pred = load_model().predicates.get(name)
    return pred.label if pred else name


def _options(big: bool, *, labels: bool, zoom_labels: bool = False) -> dict[str, Any]:
    """vis-network options; ``zoom_labels``: line labels appear only once zoomed in.

    ``big`` (thousands of lines) drops what costs most per item when vis-network builds and
    draws: arrow heads, node borders, curves, size scaling, and edges while dragging/zooming.
    """
    return {
        "autoResize": True,
        "physics": {"enabled": False, "stabilization": {"enabled": False}},
        "layout": {"improvedLayout": False, "randomSeed": 1},
        "interaction": {"hover": not big, "hideEdgesOnDrag": big, "hideEdgesOnZoom": big,
                        "tooltipDelay": 3_600_000, "navigationButtons": False, "keyboard": False,
                        "multiselect": False, "dragNodes": True, "zoomSpeed": 0.7},
        "nodes": {"font": {"face": FONT, "size": 14, "strokeWidth": 3, "strokeColor": "#ffffff"},
                  # vis-network replaces a nested option object whole: every key of label is given
                  "scaling": {"min": 8, "max": 30, "label": {"enabled": False, "min": 14, "max": 30,
                                                             "maxVisible": 30, "drawThreshold": 6}},
                  "borderWidth": 0 if big else 1,
                  "size": 10 if big else 12},
        "edges": {"smooth": False if big else {"enabled": True, "type": "curvedCW", "roundness": 0.1},
                  "arrows": {"to": {"enabled": not big, "scaleFactor": 0.5}},
                  "color": {"color": "#9aa3ad", "highlight": "#1a1a1a", "hover": "#4a4a4a", "inherit": False},
                  "font": {"size": 11 if labels else 0, "face": FONT, "align": "horizontal", "strokeWidth": 3},
                  "scaling": {"label": {"enabled": False, "min": 14, "max": 30, "maxVisible": 30,
                                        "drawThreshold": 10 if zoom_labels else 5}},
                  "width": 1, "selectionWidth": 2},
    }


def _groups(site: SiteData) -> dict[str, Any]:
    return {t["name"]: {"shape": t["shape"], "color": {"background": t["color"], "border": t["color"],
                                                        "highlight": {"background": t["color"], "border": "#1a1a1a"},
                                                        "hover": {"background": t["color"], "border": "#1a1a1a"}}}
            for t in site.types}


def _vis_node(site: SiteData, node: str, pos: tuple[float, float] | None, *, sized: bool = True) -> dict[str, Any]:
    """A vis-network node; ``sized``: its size grows with its number of facts."""
    a = site.actors[node]
    out: dict[str, Any] = {"id": node, "label": a["label"], "group": a["type"]}
    if sized:
        out["value"] = 1 + a["deg"]
    if pos is not None:
        out["x"], out["y"] = pos
    return out


def visual_edges(site: SiteData, fact_ids: Iterable[int], drawn: set[str], *, labels: bool,
                 colour: dict[int, str] | None = None, arrows: bool = True) -> list[dict[str, Any]]:
    """One drawn line per (subject, target) pair, listing the facts it stands for."""
    sym = _symmetric()
    facts = site.facts
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i in fact_ids:
        f = facts[i]
        o = f.get("o")
        if o and o in drawn and f["s"] in drawn:
            groups[(f["s"], o)].append(i)
    edges = []
    for n, ((s, o), idx) in enumerate(sorted(groups.items())):
        e: dict[str, Any] = {"id": f"e{n}", "from": s, "to": o, "facts": idx}
        dated = symmetric = False
        all_symmetric = True
        for i in idx:
            f = facts[i]
            dated = dated or "w" in f
            symmetric = f["p"] in sym
            all_symmetric = all_symmetric and symmetric
        if not dated:
            e["dashes"] = True
        if all_symmetric and arrows:
            e["arrows"] = {"to": {"enabled": False}}
        if labels:
            seen: list[str] = []
            for i in idx:
                f = site.facts[i]
                text = " ".join(x for x in (f["k"], _date_text(f)) if x)
                if text not in seen:
                    seen.append(text)
            label = "; ".join(seen)
            e["label"] = label if len(label) <= 48 else label[:47] + "…"
        if colour and idx[0] in colour:
            c = colour[idx[0]]
            e["color"] = {"color": c, "highlight": c, "hover": c, "inherit": False}
            e["width"] = 2
        edges.append(e)
    return edges


def _base(site: SiteData, page: str, standalone: bool, actors: Iterable[str], facts: list[int],
          **extra: Any) -> dict[str, Any]:
    """The JSON common to every page.  Facts are re-indexed; actors are those they name."""
    idx = sorted(set(facts))
    whole = len(idx) == len(site.facts)  # every fact: the numbering stays as it is
    renumber = {} if whole else {old: new for new, old in enumerate(idx)}
    named = set(actors)
    for i in idx:
        named.add(site.facts[i]["s"])
        if site.facts[i].get("o"):
            named.add(site.facts[i]["o"])
    data: dict[str, Any] = {
        "page": page,
        "site": not standalone,
        "types": site.types,
        "categories": site.categories,
        "range": site.range(),
        "sources": site.sources,
        "actors": [site.actors[a] for a in sorted(named) if a in site.actors],
        "facts": site.facts if whole else [site.facts[i] for i in idx],
        "relations": [{"key": k, "label": label, "color": c} for k, (c, label) in RELATION_STYLE.items()]
        if page == "lineage" else [],
    }
    data.update(extra)
    if "net" in data and not whole:
        for e in data["net"]["edges"]:
            e["facts"] = [renumber[i] for i in e["facts"] if i in renumber]
    return data


def network_page(site: SiteData, *, as_of: str | None = None, standalone: bool = False,
                 title: str = "Network of actors") -> str:
    """Every actor and every relation between them, positions precomputed."""
    types = {a: r["type"] for a, r in site.actors.items()}
    pos = layout.network_positions(site.graph, types)
    drawn = set(site.actors)
    n_edges = sum(1 for f in site.facts if f.get("o"))
    big = n_edges > BIG_EDGES
    edges = visual_edges(site, range(len(site.facts)), drawn, labels=not big, arrows=not big)
    options = _options(big, labels=not big, zoom_labels=True)
    options["groups"] = _groups(site)
    net = vis_network([_vis_node(site, a, pos.get(a), sized=not big) for a in sorted(drawn)], edges, options)
    data = _base(site, "network", standalone, drawn, list(range(len(site.facts))), net=net, asOf=as_of, big=big)
    heading = title + (f" as of {as_of}" if as_of else "")
    return page_html(title, "network", data, nav=not standalone, heading=heading)


def lineage_page(site: SiteData, *, standalone: bool = False, title: str = "Party lineage") -> str:
    """Parties in time, the changes between them, and their key people."""
    model = load_model()
    classes = site.classes
    parties = {a for a, r in site.actors.items() if r["type"] == "PoliticalParty"}
    first: dict[str, int | None] = {}
    for p in parties:
        years = []
        for i in site.facts_of.get(p, []):
            f = site.facts[i]
            w = f.get("w")
            if w and (w[0] or w[1]):
                years.append(_year(w[0] or w[1]))
            b = bounds(str(f.get("v") or "")) if "Establishment" in classes.get(f["p"], ()) and f["s"] == p else None
            if b:
                years.append(_year(b[0]))
        first[p] = min(y for y in years if y is not None) if any(y is not None for y in years) else None

    lineage_facts: list[int] = []
    successions: list[tuple[str, str]] = []
    key_counts: dict[str, Counter[str]] = defaultdict(Counter)
    key_facts: list[int] = []
    others_year: dict[str, int | None] = {}
    for i, f in enumerate(site.facts):
        o = f.get("o")
        if not o:
            continue
        cls = classes.get(f["p"], frozenset())
        pred = model.predicates.get(f["p"])
        person_key = (any(c in cls for c in KEY_PERSON_CLASSES)
                      or ("MembershipClaim" in cls and pred is not None and pred.takes_literal))
        if person_key and o in parties and site.actors.get(f["s"], {}).get("type") == "Person":
            key_counts[f["s"]][o] += 1
            key_facts.append(i)
            continue
        if LINEAGE_CLASS in cls and f["s"] in parties:
            lineage_facts.append(i)
            if o not in parties:
                y = _year(f["w"][0]) if f.get("w") and f["w"][0] else None
                prev = others_year.get(o)
                others_year[o] = y if prev is None else (min(prev, y) if y is not None else prev)
            if "Rename" in cls or "Merger" in cls:
                successions.append((f["s"], o))
            elif "FormedOutOf" in cls:
                successions.append((o, f["s"]))

    people: dict[str, list[str]] = defaultdict(list)
    weight: dict[str, int] = {}
    for person, counts in key_counts.items():
        party = min(counts, key=lambda p: (-counts[p], first.get(p) or 9999, p))
        people[party].append(person)
        weight[person] = sum(counts.values())
    cap = KEY_PEOPLE_CAP if len(parties) <= 40 else 3
    for party in people:
        people[party] = sorted(people[party], key=lambda x: (-weight[x], x))[:cap]
    drawn_people = {x for xs in people.values() for x in xs}

    ends = {p: site.actors[p]["life"][1][:4] for p in parties if (site.actors[p].get("life") or [None, None])[1]}
    pos, axis = layout.lineage_positions({p: str(y) if y else None for p, y in first.items()}, successions,
                                         people, {o: str(y) if y else None for o, y in others_year.items()}, ends)
    drawn = parties | drawn_people | set(others_year)
    colour: dict[int, str] = {}
    for i in lineage_facts + key_facts:
        cls = classes.get(site.facts[i]["p"], frozenset())
        key = next((k for k in RELATION_STYLE if k in cls), "key")
        colour[i] = RELATION_STYLE[key][0]
    edges = visual_edges(site, lineage_facts, drawn, labels=True, colour=colour)
    edges += visual_edges(site, key_facts, drawn, labels=False, colour=colour)
    for n, e in enumerate(edges):
        e["id"] = f"e{n}"
    options = _options(False, labels=True)
    options["groups"] = _groups(site)
    options["edges"]["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": 0.15}
    options["nodes"]["font"]["size"] = 15
    net = vis_network([_vis_node(site, a, pos.get(a), sized=a in parties) for a in sorted(drawn)], edges, options)
    touching = sorted({i for a in drawn for i in site.facts_of.get(a, [])})
    data = _base(site, "lineage", standalone, drawn, touching, net=net, axis=axis, big=False)
    return page_html(title, "lineage", data, nav=not standalone)


def neighbourhood(site: SiteData, centre: str, hops: int = 2) -> set[str]:
    seen = {centre}
    ring = {centre}
    for _ in range(hops):
        nxt = set()
        for a in ring:
            for i in site.facts_of.get(a, []):
                f = site.facts[i]
                for b in (f["s"], f.get("o")):
                    if b and b not in seen:
                        nxt.add(b)
        seen |= nxt
        ring = nxt
    return seen


def entity_page(site: SiteData, *, focus: str | None = None, standalone: bool = False,
                title: str = "Actors") -> str:
    """One actor at a time, chosen with a selector: its facts in date order, its
    neighbourhood two steps out (laid out in rings by the page: it changes with the choice).

    ``standalone`` (``cpkg viz person``) keeps only ``focus`` and its neighbourhood.
    """
    if standalone and focus:
        members = neighbourhood(site, focus, 2)
    else:
        members = set(site.actors)
    facts = sorted({i for a in members for i in site.facts_of.get(a, [])})
    big = sum(1 for i in facts if site.facts[i].get("o")) > BIG_EDGES
    edges = visual_edges(site, facts, members, labels=True)
    options = _options(False, labels=True)
    options["groups"] = _groups(site)
    net = vis_network([_vis_node(site, a, None) for a in sorted(members)], edges, options)
    if focus is None and site.actors:
        people = [a for a in site.actors.values() if a["type"] == "Person"] or list(site.actors.values())
        focus = min(people, key=lambda a: (-a["deg"], a["id"]))["id"]
    data = _base(site, "entity", standalone, members, facts, net=net, focus=focus, big=big)
    heading = site.actors[focus]["label"] if (standalone and focus in site.actors) else title
    return page_html(heading if standalone else title, "entity", data, nav=not standalone, heading=heading)


def timeline_page(site: SiteData, *, standalone: bool = False, title: str = "Timeline of events") -> str:
    """Every dated fact in date order (convictions, dissolutions, elections, visits...)."""
    dated = [i for i, f in enumerate(site.facts) if f.get("w")]
    data = _base(site, "timeline", standalone, [], dated)
    return page_html(title, "timeline", data, vis=False, nav=not standalone)


def index_page(site: SiteData, counts: dict[str, Any] | None = None, *, title: str = "What is in the graph") -> str:
    """Counts, the sources with publisher, date and link, and the way to every page."""
    per_source = Counter(f.get("src") for f in site.facts)
    per_pred = Counter(f["p"] for f in site.facts)
    sources = [dict(s, facts=per_source.get(i, 0)) for i, s in enumerate(site.sources)]
    summary = {
        "actors": len(site.actors),
        "facts": len(site.facts),
        "sources": len(site.sources),
        "relations": sum(1 for f in site.facts if f.get("o")),
        "dated": sum(1 for f in site.facts if f.get("w")),
        "quoted": sum(1 for f in site.facts if f.get("q")),
        "byPredicate": [[_pred_label(p), p, n] for p, n in sorted(per_pred.items())],
    }
    if counts:
        summary["triples"] = counts.get("triples")
        summary["namedGraphs"] = counts.get("named_graphs")
    data = _base(site, "index", False, site.actors, [], summary=summary)
    data["sources"] = sources
    return page_html(title, "index", data, vis=False)
