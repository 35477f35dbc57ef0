"""The graph's facts back in the fact language, entities inline (for score_facts.py)."""

from __future__ import annotations

from typing import Any

from .errors import InputError
from .factfile import Date, Fact
from .load import read_inputs
from .model import load_model
from .settings import Settings


def fact_dict(fact: Fact) -> dict[str, Any]:
    out: dict[str, Any] = {"s": fact.s, "p": fact.p, "o": fact.o.text if isinstance(fact.o, Date) else fact.o}
    for key, value in fact.qualifiers:
        out[key] = value.text if isinstance(value, Date) else value
    if fact.evidence:
        spans = [{"start": a, "end": b} for a, b in fact.evidence]
        out["evidence"] = spans[0] if len(spans) == 1 else spans
    out["status"] = fact.status
    if fact.confidence is not None:
        out["confidence"] = fact.confidence
    if fact.note:
        out["note"] = fact.note
    return out


def facts_document(settings: Settings, *, source: str | None = None, include_drafts: bool = False) -> dict[str, Any]:
    """One document: the source(s), every entity the facts use, and the facts."""
    inputs = read_inputs(settings, load_model(), include_drafts=include_drafts)
    docs = inputs.docs
    if source:
        docs = [d for d in docs if source in (d.meta.id, d.meta.url)]
        if not docs:
            raise InputError(f"no source with id or URL {source!r}", field="--source",
                             hint="see data/sources/ for the ids")
    used: set[str] = set()
    facts = []
    for doc in docs:
        for fact in doc.facts:
            used.add(fact.s)
            if fact.object_is_entity:
                used.add(fact.o)
            used.update(v for k, v in fact.qualifiers if inputs.model.qualifiers[k].kind == "entity")
            facts.append(fact_dict(fact))
    entities = []
    for ent_id in sorted(used):
        e = inputs.registry.entities[ent_id]
        entities.append({"id": e.id, "name": e.name, "type": e.type, "aliases": list(e.aliases)})
    out: dict[str, Any] = {}
    if len(docs) == 1:
        m = docs[0].meta
        out["source"] = {k: v for k, v in {
            "id": m.id, "title": m.title, "publisher": m.publisher, "url": m.url,
            "published": m.published.text if m.published else None, "text_sha256": m.text_sha256,
        }.items() if v is not None}
    else:
        out["sources"] = [d.meta.id for d in docs]
    out["entities"] = entities
    out["facts"] = facts
    return out
