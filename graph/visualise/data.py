"""What the pages show, as plain data: actors, facts, sources and their time windows.

The pages never see RDF.  :func:`site_data` turns the actor network of
:func:`graph.network.project_rows` (one edge per claim, as :mod:`graph.export.data` builds it) and the list of sources into flat
records that a page's script reads with ``JSON.parse``:

- an *actor*: ``id``, ``label``, ``type``, ``aliases``, ``desc``, ``deg`` (number of facts),
  ``life`` (``[from, until]``, ISO days or null: before a party's founding or after its
  rename or dissolution it is not on the map) and ``jail`` (a person's detention periods);
- a *fact*: one claim with its source; keys are short because a 10,000-actor graph has
  ~70,000 of them: ``id`` (fact id), ``s`` (subject id), ``o`` (the actor the edge points
  at, absent for a literal fact), ``p`` (predicate), ``k`` (how the edge reads: "renamed",
  "deputy president"), ``v`` (the literal object: a charge, a sentence, a seat count), ``d``
  / ``a`` / ``b`` (date / start / end as the source gives them), ``w`` (the window in which
  the fact holds, as ISO days; absent = undated), ``src`` (index into ``sources``), ``q``
  (the quoted words, when the corpus was at hand at build time), ``n`` (note), ``st``
  ("draft" when not reviewed), ``x`` / ``f`` (expected / former), ``c`` (confidence),
  ``cat`` (timeline category);
- a *source*: ``id``, ``title``, ``publisher``, ``published``, ``url``.

Time rule: the periods are those of :mod:`graph.asof` (its :class:`~graph.asof.Timeline`),
the one set of rules the as-of exports use too: a fact with a start and/or end holds from
the first day of its start to the last day of its end; a fact with only a date holds from
the first day of that date on; an undated fact always holds (and is marked undated); an
organisation exists from its earliest stated beginning (establishment, founding, incoming
rename or merger) to its latest stated end (dissolution, outgoing rename); a detention
lasts until the person's release.  Which facts belong to the lineage or to a timeline
category is read from the claim classes of the ontology, not written here.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import networkx as nx

from .. import namespaces as ns
from ..factfile import Date
from ..model import Model, load_model
from ..settings import ONTOLOGY_DIR

#: Colour, vis-network shape and legend glyph of each actor type (colour-blind-safe
#: Tableau 10 colours; the shape tells types apart without colour).
TYPE_STYLE: dict[str, tuple[str, str, str]] = {
    "Person": ("#4e79a7", "dot", "\u25cf"),
    "PoliticalParty": ("#e15759", "diamond", "\u25c6"),
    "Organization": ("#59a14f", "square", "\u25a0"),
    "GovernmentBody": ("#9c755f", "square", "\u25a0"),
    "Court": ("#b07aa1", "triangleDown", "\u25bc"),
    "Prison": ("#4d4d4d", "triangle", "\u25b2"),
    "Event": ("#f28e2b", "star", "\u2605"),
    "Election": ("#76b7b2", "hexagon", "\u2b22"),
}
OTHER_STYLE = ("#a0a0a0", "dot", "\u25cf")

#: Timeline categories: (key, label, claim classes whose facts fall in it).  The first
#: category whose class is among a fact's claim class and its superclasses wins.
CATEGORIES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("legal", "courts and prisons", ("LegalStep",)),
    ("lineage", "party changes", ("LineageEvent",)),
    ("election", "elections", ("Candidacy", "ElectionResult")),
    ("meeting", "visits and meetings", ("Meeting", "Visit", "Participation")),
    ("role", "roles and memberships", ("MembershipClaim", "Leadership", "PostClaim")),
    ("other", "other facts", ()),
)
#: Claim classes of lineage-page relations and of the key people of a party.
LINEAGE_CLASS = "LineageEvent"
KEY_PERSON_CLASSES = ("Leadership", "PostClaim", "Founding")

#: Colours of lineage relations on the lineage page (by claim class).
RELATION_STYLE: dict[str, tuple[str, str]] = {
    "Rename": ("#1f77b4", "renamed"),
    "Merger": ("#9467bd", "merged into"),
    "FormedOutOf": ("#17becf", "formed out of"),
    "Alliance": ("#2ca02c", "allied with"),
    "Dissolution": ("#d62728", "dissolved by"),
    "Disqualification": ("#ff7f0e", "disqualified by"),
    "Founding": ("#8c8c8c", "founded"),
    "key": ("#b0b0b0", "key people"),
}


@lru_cache(maxsize=1)
def class_ancestors() -> dict[str, frozenset[str]]:
    """Local name of each cpkg class -> itself and every cpkg class above it (rdfs:subClassOf)."""
    import pyoxigraph as ox

    parents: dict[str, set[str]] = defaultdict(set)
    sub = ns.RDFS + "subClassOf"
    with open(ONTOLOGY_DIR / "cpkg.ttl", "rb") as fh:
        for t in ox.parse(fh, format=ox.RdfFormat.TURTLE):
            if t.predicate.value == sub and isinstance(t.object, ox.NamedNode):
                s, o = t.subject.value, t.object.value
                if s.startswith(ns.CPKG) and o.startswith(ns.CPKG):
                    parents[s[len(ns.CPKG):]].add(o[len(ns.CPKG):])
    out: dict[str, frozenset[str]] = {}
    for cls in list(parents):
        seen = {cls}
        todo = [cls]
        while todo:
            for sup in parents.get(todo.pop(), ()):
                if sup not in seen:
                    seen.add(sup)
                    todo.append(sup)
        out[cls] = frozenset(seen)
    return out


def claim_classes(model: Model, predicate: str) -> frozenset[str]:
    """The claim class of a predicate's facts and its superclasses (local names)."""
    pred = model.predicates.get(predicate)
    if pred is None:
        return frozenset()
    local = pred.claim_class.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    return class_ancestors().get(local, frozenset({local}))


def category(model: Model, predicate: str) -> str:
    classes = claim_classes(model, predicate)
    for key, _label, members in CATEGORIES:
        if any(m in classes for m in members):
            return key
    return "other"


def bounds(text: str | None) -> tuple[str, str] | None:
    """First and last ISO day a ``YYYY[-MM[-DD]]`` date may mean; None if absent or odd."""
    if not text or len(text) not in (4, 7, 10):
        return None
    try:
        return Date(text).bounds()
    except (ValueError, KeyError):
        return None


def _sort_key(fact: dict[str, Any]) -> tuple[str, str]:
    w = fact.get("w")
    when = (w[0] or w[1] or "") if w else ""
    return (when or "9999", fact["id"])


@dataclass
class SiteData:
    """Everything the pages are made of, with indexes the page builders share."""

    graph: nx.MultiDiGraph
    actors: dict[str, dict[str, Any]]
    facts: list[dict[str, Any]]
    sources: list[dict[str, Any]]
    types: list[dict[str, Any]]
    categories: list[dict[str, str]]
    facts_of: dict[str, list[int]] = field(default_factory=dict)
    classes: dict[str, frozenset[str]] = field(default_factory=dict)

    def range(self) -> dict[str, str] | None:
        """Earliest and latest day any fact, actor life or source date mentions (the slider's ends)."""
        days = [d for f in self.facts if f.get("w") for d in f["w"] if d]
        days += [d for a in self.actors.values() if a.get("life") for d in a["life"] if d]
        days += [b[1] for s in self.sources for b in [bounds(s.get("published"))] if b]
        return {"min": min(days), "max": max(days)} if days else None


def _source_records(g: nx.MultiDiGraph, sources: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Sources by id, from the store's rows, filled in from the edges where a row lacks one."""
    by_id: dict[str, dict[str, Any]] = {}
    for row in sources:
        sid = row.get("id")
        if sid and sid not in by_id:
            by_id[sid] = {k: row.get(k) for k in ("id", "title", "publisher", "published", "url") if row.get(k)}
    claims = [d for *_e, d in g.edges(data=True)] + [f for _n, a in g.nodes(data=True) for f in a.get("literal_facts", [])]
    for d in claims:
        sid = d.get("source")
        if sid and sid not in by_id:
            by_id[sid] = {"id": sid, **{k: d.get(k) for k in ("publisher", "published", "url") if d.get(k)}}
    return [by_id[k] for k in sorted(by_id)]


def site_data(g: nx.MultiDiGraph, sources: Iterable[dict[str, Any]] = (), model: Model | None = None) -> SiteData:
    """Flatten the projected network and the sources into page records (see module doc)."""
    from ..asof import Timeline

    model = model or load_model()
    timeline = Timeline.from_graph(g)  # the periods of graph.asof, read directly (no JSON detour)
    srcs = _source_records(g, sources)
    src_index = {s["id"]: i for i, s in enumerate(srcs)}
    classes = {p: claim_classes(model, p) for p in model.predicates}
    cat_of = {p: category(model, p) for p in model.predicates}

    periods = timeline.claims
    optional = (("date", "d"), ("start", "a"), ("end", "b"), ("quote", "q"), ("note", "n"))

    def fact(fid: str, s: str, o: str | None, d: dict[str, Any]) -> dict[str, Any]:
        p = d.get("predicate")
        k = d.get("label") or p
        f: dict[str, Any] = {"id": fid, "s": s, "p": p, "k": k}
        if o is not None:
            f["o"] = o
        value = d.get("object")
        if value is not None and value != o and value != k:
            f["v"] = value
        for key, short in optional:
            x = d.get(key)
            if x:
                f[short] = x
        period = periods.get(fid)
        if period is not None and (period.start or period.end):
            f["w"] = [period.start.isoformat() if period.start else None,
                      period.end.isoformat() if period.end else None]
        i = src_index.get(d.get("source"))  # type: ignore[arg-type]
        if i is not None:
            f["src"] = i
        st = d.get("status")
        if st and st != "reviewed":
            f["st"] = st
        if d.get("expected"):
            f["x"] = True
        if d.get("former"):
            f["f"] = True
        c = d.get("confidence")
        if c is not None:
            f["c"] = c
        f["cat"] = cat_of.get(p or "", "other")
        return f

    facts = [fact(k, u, v, d) for u, v, k, d in g.edges(keys=True, data=True)]
    for n, a in g.nodes(data=True):
        for lf in a.get("literal_facts", []):
            facts.append(fact(lf["id"], n, None, lf))
    facts.sort(key=_sort_key)

    facts_of: dict[str, list[int]] = defaultdict(list)
    for i, f in enumerate(facts):
        facts_of[f["s"]].append(i)
        if f.get("o") and f["o"] != f["s"]:
            facts_of[f["o"]].append(i)

    actors: dict[str, dict[str, Any]] = {}
    for n in sorted(g):
        a = g.nodes[n]
        rec: dict[str, Any] = {"id": n, "label": a.get("label") or n, "type": a.get("type") or "Actor",
                               "deg": len(facts_of.get(n, ()))}
        if a.get("aliases"):
            rec["aliases"] = list(a["aliases"])
        if a.get("description"):
            rec["desc"] = a["description"]
        life = timeline.entities.get(n)
        if life is not None and (life.start or life.end):
            rec["life"] = list(life.iso())
        if timeline.detentions.get(n):
            rec["jail"] = [list(p.iso()) for p, _fact in timeline.detentions[n]]
        actors[n] = rec

    counts = Counter(a["type"] for a in actors.values())
    type_labels = {name: model.class_labels.get(iri, name) for name, iri in model.types.items()}
    types = []
    for name in sorted(counts, key=lambda t: (list(TYPE_STYLE).index(t) if t in TYPE_STYLE else 99, t)):
        colour, shape, glyph = TYPE_STYLE.get(name, OTHER_STYLE)
        types.append({"name": name, "label": type_labels.get(name, name), "color": colour, "shape": shape,
                      "glyph": glyph, "count": counts[name]})
    cats = [{"key": k, "label": label} for k, label, _m in CATEGORIES]
    return SiteData(g, actors, facts, srcs, types, cats, dict(facts_of), classes)
