"""The graph as it stood on a date: one set of rules, used by the exports and the HTML slider.

A claim says something about the world at a time (a membership from 2012, a conviction in
June 2022).  ``--as-of D`` keeps what was then the case; these are the rules, in one place:

1. **A claim's own period** (:func:`validity`).  It starts at its ``start`` qualifier, else at
   its ``date`` (a role or membership "attested only by a date counts from that date"; an
   event such as a conviction or a meeting stands from the day it happened on), and for an
   establishment at the date it states.  It ends at its ``end`` qualifier, else never.  A
   claim the source calls ``former`` ends at the source's publication date at the latest.
   A claim with none of these dates is **undated**: it stays in every as-of view, marked
   ``undated``.
2. **Imprecise dates are read generously.**  ``2023`` starts on 2023-01-01 and ends on
   2023-12-31; ``2022-06`` spans June 2022.  A claim holds on D when D may fall in its period.
3. **Parties and other organisations exist** from their earliest stated beginning (an
   establishment, a founding, an incoming rename or an incoming merger) until their latest
   stated end (a dissolution, an outgoing rename); either side may be open.  A renamed party
   is its own node under each name, so before the rename the old name shows and after it the
   new one.  A claim that touches (as subject, object or qualifier) an entity that did not
   exist on D is dropped with it.
4. **Detentions**: a ``detainedAt`` holds from its date until the first release of that
   person (``releasedFrom`` not marked ``expected``) dated on or after it (to the last day
   the release date may mean, by rule 2).  An expected
   release does not end it: it had not happened when the source wrote.  In addition, a
   dated ``sentencedTo`` counts as a detention from its date for the sentence's length
   (unless released earlier) **when its source says the person was jailed**: the claim's
   note or quoted words speak of jail, prison or imprisonment, or the same source states a
   detention of that person; words such as "in absentia" or "suspended" rule it out.  These
   periods make a person ``detained`` on D (:meth:`Timeline.detained`); an undated detention
   leaves the person's state unknown, so it does not count.

The RDF as-of view (:func:`filter_quads`) is the same graph with the claims that do not hold
on D removed (their claim node, its time, interval and evidence nodes, and their direct edge
unless another claim that holds states the same edge) and the entities that did not exist
removed with every triple about them; nothing is added.  The network view
(:func:`filter_graph`) keeps the nodes that existed and the edges and node facts that held.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

__all__ = [
    "Validity", "ClaimTime", "Timeline", "parse_day", "parse_as_of", "lower", "upper", "validity",
    "filter_graph", "filter_quads", "annotate_graph", "intervals_for_html",
]

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_DURATION = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$")
JAILED = re.compile(r"\b(jail|jailed|jailing|prison|prisoner|imprison\w*|behind bars|detained|detention|incarcerat\w*)\b",
                    re.IGNORECASE)
NOT_JAILED = re.compile(r"\b(in absentia|suspended|probation)\b", re.IGNORECASE)

#: Claim classes (local names in the cpkg ontology) whose claims open or close an entity's existence.
STARTS = {"Establishment": "subject-literal", "Founding": "object", "Rename": "object", "Merger": "object"}
ENDS = {"Dissolution": "subject", "Rename": "subject"}


class Validity(NamedTuple):
    """A closed period of days; ``None`` on a side means open on that side."""

    start: dt.date | None
    end: dt.date | None

    def contains(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)

    def iso(self) -> tuple[str | None, str | None]:
        return (self.start.isoformat() if self.start else None, self.end.isoformat() if self.end else None)


def _parts(text: str) -> tuple[int, int | None, int | None] | None:
    m = _DATE.match(text.strip()) if isinstance(text, str) else None
    if not m:
        return None
    y, mo, d = m.groups()
    return int(y), int(mo) if mo else None, int(d) if d else None


def lower(text: str | None) -> dt.date | None:
    """The first day ``2023`` / ``2023-06`` / ``2023-06-28`` may mean (``None`` if not a date)."""
    p = _parts(text) if text else None
    if p is None:
        return None
    y, mo, d = p
    try:
        return dt.date(y, mo or 1, d or 1)
    except ValueError:
        return None


def upper(text: str | None) -> dt.date | None:
    """The last day a date at the source's precision may mean."""
    p = _parts(text) if text else None
    if p is None:
        return None
    y, mo, d = p
    try:
        if d:
            return dt.date(y, mo or 1, d)
        if mo:
            return dt.date(y, mo, calendar.monthrange(y, mo)[1])
        return dt.date(y, 12, 31)
    except ValueError:
        return None


def parse_day(text: str) -> dt.date:
    """A full ``YYYY-MM-DD`` date (the ``--as-of`` argument); ValueError otherwise."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text or ""):
        raise ValueError(f"{text!r} is not a date in the form YYYY-MM-DD")
    return dt.date.fromisoformat(text)


def parse_as_of(value: str | dt.date | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return parse_day(value)


def add_duration(start: dt.date, duration: str) -> dt.date | None:
    """``start`` plus an ISO 8601 duration (P6Y, P1Y6M, P70D), day clamped to the month."""
    m = _DURATION.match(duration or "")
    if not m or duration == "P":
        return None
    y, mo, w, d = (int(g or 0) for g in m.groups())
    months = start.month - 1 + mo + 12 * y
    year, month = start.year + months // 12, months % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    try:
        return dt.date(year, month, day) + dt.timedelta(days=d + 7 * w)
    except OverflowError:
        return None


@dataclass(frozen=True)
class ClaimTime:
    """What the as-of rules need to know of one claim (from a claim row or a network edge)."""

    fact_id: str
    claim_class: str          # local name: MembershipClaim, Detention, Rename...
    subject: str              # entity id
    obj: str | None           # entity id or literal text
    obj_is_entity: bool
    entities: tuple[str, ...]  # every entity the claim touches (subject, object, qualifiers)
    date: str | None = None
    start: str | None = None
    end: str | None = None
    former: bool = False
    expected: bool = False
    published: str | None = None
    source: str | None = None
    words: str = ""            # note and quoted words, for the "jailed" rule


def validity(row: dict[str, Any] | ClaimTime, *, claim_class: str | None = None) -> Validity | None:
    """A claim's own period (rules 1-2 of the module doc), or ``None`` when it is undated.

    ``row`` is a claim row (``claims`` named query keys: date, start, end, former, published,
    p, oLiteral) or a :class:`ClaimTime`.  Periods that depend on other claims (a detention
    ended by a release) come from :meth:`Timeline.validity`.
    """
    if isinstance(row, ClaimTime):
        ct = row
    else:
        ct = _from_row(row, claim_class=claim_class)
    return _own(ct)


def _own(ct: ClaimTime) -> Validity | None:
    begin_text = ct.start or ct.date
    if ct.claim_class == "Establishment" and not begin_text:
        begin_text = ct.obj
    start = lower(begin_text)
    end = upper(ct.end)
    if ct.former and ct.published:
        pub = upper(ct.published)
        if pub is not None:
            end = pub if end is None else min(end, pub)
    if start is None and end is None:
        return None
    if start is not None and end is not None and end < start:
        end = start  # a former claim dated after its source: keep its day rather than invert it
    return Validity(start, end)


def _truthy(value: Any) -> bool:
    return value is True or value == "true"


def _model_classes() -> dict[str, str]:
    from .model import load_model

    return {name: p.claim_class.rsplit("#", 1)[-1] for name, p in load_model().predicates.items()}


def _from_row(row: dict[str, Any], claim_class: str | None = None, classes: dict[str, str] | None = None) -> ClaimTime:
    cls = claim_class or (classes or _model_classes()).get(row.get("p") or "", "Claim")
    obj_entity = bool(row.get("o"))
    subject = row.get("s") or ""
    ents = [subject] + ([row["o"]] if obj_entity else []) + [row[k] for k in ("org", "court", "election") if row.get(k)]
    words = " ".join(x for x in (row.get("note"), row.get("quote")) if x)
    return ClaimTime(
        fact_id=row.get("factId") or "", claim_class=cls, subject=subject, obj=row.get("o") or row.get("oLiteral"),
        obj_is_entity=obj_entity, entities=tuple(dict.fromkeys(e for e in ents if e)), date=row.get("date"), start=row.get("start"),
        end=row.get("end"), former=_truthy(row.get("former")), expected=_truthy(row.get("expected")),
        published=row.get("published"), source=row.get("source"), words=words,
    )


@dataclass
class Timeline:
    """Periods of every claim, entity existence and detention, computed once per graph."""

    claims: dict[str, Validity | None] = field(default_factory=dict)
    touches: dict[str, tuple[str, ...]] = field(default_factory=dict)
    entities: dict[str, Validity] = field(default_factory=dict)
    detentions: dict[str, list[tuple[Validity, str]]] = field(default_factory=dict)

    # -- construction -------------------------------------------------------------------
    @classmethod
    def from_rows(cls, rows: Iterable[dict[str, Any]]) -> Timeline:
        """From claim rows (the ``claims`` named query, or :func:`graph.export.data.claim_table`)."""
        classes = _model_classes()
        seen: dict[str, ClaimTime] = {}
        for row in rows:
            ct = _from_row(row, classes=classes)
            prior = seen.get(ct.fact_id)
            if prior is not None and prior.words and ct.words and ct.words not in prior.words:
                ct = ClaimTime(**{**prior.__dict__, "words": prior.words + " " + ct.words})
            seen[ct.fact_id] = ct
        return cls.from_claims(seen.values())

    @classmethod
    def from_graph(cls, g: Any) -> Timeline:
        """From a network projection (:func:`graph.network.project_rows`): its edges and node facts."""
        classes = _model_classes()
        out = []
        for u, v, key, a in g.edges(keys=True, data=True):
            out.append(_from_attrs(key, u, v, a, classes))
        for n, a in g.nodes(data=True):
            for f in a.get("literal_facts") or []:
                out.append(_from_attrs(f["id"], n, None, f, classes))
        return cls.from_claims(out)

    @classmethod
    def from_claims(cls, claims: Iterable[ClaimTime]) -> Timeline:
        tl = cls()
        items = sorted(claims, key=lambda c: c.fact_id)
        releases: dict[str, list[dt.date]] = {}
        detained_by_source: set[tuple[str, str]] = set()
        starts: dict[str, list[dt.date]] = {}
        ends: dict[str, list[dt.date]] = {}
        for ct in items:
            own = _own(ct)
            tl.claims[ct.fact_id] = own
            tl.touches[ct.fact_id] = ct.entities
            if ct.claim_class == "Release" and not ct.expected:
                day = upper(ct.date)  # generous: a release in "2022" may be on 2022-12-31
                if day is not None:
                    releases.setdefault(ct.subject, []).append(day)
            if ct.claim_class == "Detention":
                detained_by_source.add((ct.source or "", ct.subject))
            where = STARTS.get(ct.claim_class)
            if where and own is not None and own.start is not None:
                ent = ct.subject if where == "subject-literal" else (ct.obj if ct.obj_is_entity else None)
                if ent:
                    starts.setdefault(ent, []).append(own.start)
            where = ENDS.get(ct.claim_class)
            if where and ct.date:
                day = upper(ct.date)
                if day is not None:
                    ends.setdefault(ct.subject, []).append(day)
        for ent in sorted(set(starts) | set(ends)):
            first = min(starts[ent]) if ent in starts else None
            last = max(ends[ent]) if ent in ends else None
            if first is not None and last is not None and last < first:
                last = None  # sources contradict each other: do not hide the entity
            tl.entities[ent] = Validity(first, last)
        for dates in releases.values():
            dates.sort()

        def released_after(person: str, day: dt.date) -> dt.date | None:
            return next((r for r in releases.get(person, []) if r >= day), None)

        for ct in items:
            if ct.claim_class == "Detention":
                own = tl.claims[ct.fact_id]
                if own is None or own.start is None:
                    continue
                rel = released_after(ct.subject, own.start)
                period = Validity(own.start, rel if own.end is None else own.end)
                if rel is not None and period.end is not None and rel < period.end:
                    period = Validity(own.start, rel)
                tl.claims[ct.fact_id] = period
                tl.detentions.setdefault(ct.subject, []).append((period, ct.fact_id))
            elif ct.claim_class == "Sentence" and ct.date and not ct.obj_is_entity:
                jailed = bool(JAILED.search(ct.words)) or (ct.source or "", ct.subject) in detained_by_source
                if not jailed or NOT_JAILED.search(ct.words):
                    continue
                begin = lower(ct.date)
                stop = add_duration(begin, ct.obj or "") if begin else None
                if begin is None or stop is None:
                    continue
                stop -= dt.timedelta(days=1)
                rel = released_after(ct.subject, begin)
                if rel is not None and rel < stop:
                    stop = rel
                tl.detentions.setdefault(ct.subject, []).append((Validity(begin, stop), ct.fact_id))
        for periods in tl.detentions.values():
            periods.sort(key=lambda pv: (pv[0].start or dt.date.min, pv[1]))
        return tl

    # -- questions ----------------------------------------------------------------------
    def validity(self, fact_id: str) -> Validity | None:
        """The claim's period, detentions ended by releases; ``None``: undated."""
        return self.claims.get(fact_id)

    def exists(self, entity: str, day: dt.date) -> bool:
        period = self.entities.get(entity)
        return period is None or period.contains(day)

    def holds(self, fact_id: str, day: dt.date) -> bool:
        """True when the claim held on ``day`` (or is undated) and everything it touches existed."""
        period = self.claims.get(fact_id)
        if period is not None and not period.contains(day):
            return False
        return all(self.exists(e, day) for e in self.touches.get(fact_id, ()))

    def detained(self, person: str, day: dt.date) -> bool:
        return any(p.contains(day) for p, _ in self.detentions.get(person, []))

    def detained_on(self, day: dt.date) -> list[str]:
        return sorted(p for p in self.detentions if self.detained(p, day))

    def detention_periods(self, person: str) -> list[Validity]:
        return [p for p, _ in self.detentions.get(person, [])]


def _from_attrs(fact_id: str, u: str, v: str | None, a: dict[str, Any], classes: dict[str, str]) -> ClaimTime:
    pred = a.get("predicate") or ""
    obj = a.get("object")
    ents = (u,) if v is None else (u, v)
    obj_is_entity = v is not None and obj == v  # else the edge points at a qualifier (a role's org)
    words = " ".join(x for x in (a.get("note"), a.get("quote")) if isinstance(x, str) and x)
    return ClaimTime(
        fact_id=fact_id, claim_class=classes.get(pred, "Claim"), subject=u, obj=obj, obj_is_entity=obj_is_entity,
        entities=ents, date=a.get("date"), start=a.get("start"), end=a.get("end"), former=_truthy(a.get("former")),
        expected=_truthy(a.get("expected")), published=a.get("published"), source=a.get("source"), words=words,
    )


# -- network view --------------------------------------------------------------------------

def annotate_graph(g: Any, timeline: Timeline | None = None) -> Timeline:
    """Add the periods to a projection, in place: ``valid_from``/``valid_to``/``undated`` on
    every edge and node fact, ``exists_from``/``exists_to`` on entities with a known existence,
    ``detained_periods`` (list of ``(from, to)``) on persons with a dated detention."""
    tl = timeline or Timeline.from_graph(g)
    for _, _, key, a in g.edges(keys=True, data=True):
        _mark(a, tl.validity(key))
    for n, a in g.nodes(data=True):
        for f in a.get("literal_facts") or []:
            _mark(f, tl.validity(f["id"]))
        period = tl.entities.get(n)
        if period is not None:
            a["exists_from"], a["exists_to"] = period.iso()
        periods = tl.detention_periods(n)
        if periods:
            a["detained_periods"] = [list(p.iso()) for p in periods]
    return tl


def _mark(attrs: dict[str, Any], period: Validity | None) -> None:
    attrs["undated"] = period is None
    attrs["valid_from"], attrs["valid_to"] = period.iso() if period is not None else (None, None)


def filter_graph(g: Any, day: dt.date | str, timeline: Timeline | None = None) -> Any:
    """A copy of projection ``g`` as it stood on ``day``: entities then existing, edges and node
    facts then holding (undated ones kept, ``undated=True``); persons get ``detained``."""
    day = parse_as_of(day)  # type: ignore[assignment]
    assert isinstance(day, dt.date)
    tl = timeline or Timeline.from_graph(g)
    out = g.__class__()
    out.graph.update(g.graph)
    out.graph["as_of"] = day.isoformat()
    for n, a in g.nodes(data=True):
        if not tl.exists(n, day):
            continue
        attrs = dict(a)
        attrs["literal_facts"] = [dict(f) for f in a.get("literal_facts") or [] if tl.holds(f["id"], day)]
        for f in attrs["literal_facts"]:
            _mark(f, tl.validity(f["id"]))
        if a.get("type") == "Person" or n in tl.detentions:
            attrs["detained"] = tl.detained(n, day)
        out.add_node(n, **attrs)
    for u, v, key, a in g.edges(keys=True, data=True):
        if u in out and v in out and tl.holds(key, day):
            attrs = dict(a)
            _mark(attrs, tl.validity(key))
            out.add_edge(u, v, key=key, **attrs)
    return out


def intervals_for_html(g: Any) -> dict[str, Any]:
    """Everything a time slider needs, as JSON-ready ISO strings: ``claims`` (fact id ->
    ``[from, to]`` or ``None`` for undated), ``entities`` (id -> ``[from, to]``) and
    ``detentions`` (person -> list of ``[from, to]``).  A slider at day D shows an element when
    the same tests as :func:`filter_graph` pass (open ends are ``None``)."""
    tl = Timeline.from_graph(g)
    return {
        "claims": {k: (list(v.iso()) if v else None) for k, v in sorted(tl.claims.items())},
        "touches": {k: list(v) for k, v in sorted(tl.touches.items())},
        "entities": {k: list(v.iso()) for k, v in sorted(tl.entities.items())},
        "detentions": {k: [list(p.iso()) for p, _ in v] for k, v in sorted(tl.detentions.items())},
    }


# -- RDF view ------------------------------------------------------------------------------

def filter_quads(quads: list[Any], claims: Iterable[dict[str, Any]] | Timeline, day: dt.date | str) -> list[Any]:
    """The quads as they stood on ``day`` (see the module doc): sorted input stays sorted.

    ``claims`` are claim rows (or a ready :class:`Timeline`).  Claims that do not hold are
    removed with the nodes they own (``fact/<id>-time``, ``-interval``, ``-start``, ``-end``,
    ``-evidence-N``) and with their direct edge unless a claim that holds states it in the same
    named graph; entities that did not exist are removed with every quad naming them.
    """
    from . import namespaces as ns

    day = parse_as_of(day)  # type: ignore[assignment]
    assert isinstance(day, dt.date)
    tl = claims if isinstance(claims, Timeline) else Timeline.from_rows(claims)
    gone_entities = {ns.entity_iri(e) for e, p in tl.entities.items() if not p.contains(day)}
    dropped = {fid for fid in tl.claims if not tl.holds(fid, day)}
    rdf_s, rdf_p, rdf_o = ns.RDF + "subject", ns.RDF + "predicate", ns.RDF + "object"
    fact_base = ns.FACT
    n = len(fact_base)
    parts: dict[tuple[str, str], dict[str, Any]] = {}
    for q in quads:
        pv = q.predicate.value
        if pv in (rdf_s, rdf_p, rdf_o) and q.subject.value.startswith(fact_base):
            parts.setdefault((q.subject.value, str(q.graph_name)), {})[pv] = q.object
    kept_edges: set[tuple[str, str, str, str]] = set()
    dropped_edges: set[tuple[str, str, str, str]] = set()
    for (claim, graph), spo in parts.items():
        if len(spo) != 3:
            continue
        edge = (graph, str(spo[rdf_s]), str(spo[rdf_p]), str(spo[rdf_o]))
        (dropped_edges if claim[n:n + 16] in dropped else kept_edges).add(edge)
    dropped_edges -= kept_edges

    def keep(q: Any) -> bool:
        s = q.subject.value if hasattr(q.subject, "value") else ""
        if s.startswith(fact_base) and s[n:n + 16] in dropped:
            return False
        if s in gone_entities or (getattr(q.object, "value", None) in gone_entities):
            return False
        if dropped_edges and (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object)) in dropped_edges:
            return False
        return True

    return [q for q in quads if keep(q)]


def iter_days(start: dt.date, stop: dt.date, step_days: int = 1) -> Iterator[dt.date]:
    day = start
    while day <= stop:
        yield day
        day += dt.timedelta(days=step_days)
