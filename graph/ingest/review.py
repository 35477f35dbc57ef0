"""Review a draft: accept, reject or correct its facts.

Accepted facts move into the curated source file ``data/sources/<source-id>.yaml`` with
``status: reviewed`` (no confidence, no draft id), together with the proposed entities
they need; rejected facts leave the draft (their ids are remembered, so that ingesting
the same text again does not propose them again); the rest stay in the draft.  The
curated file is written first, atomically, and never receives a fact it already holds:
running the same review twice changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import yamlsafe
from ..errors import InputError
from .draft import _strip, atomic_write, dumps_draft, fact_id

EDITABLE = ("s", "p", "o", "org", "relation", "election", "court", "start", "end", "date", "expected", "note")
PREDICATES = {
    "memberOf", "holdsRole", "leaderOf", "founded", "established", "renamedTo", "mergedInto", "successorOf",
    "allianceWith", "dissolvedBy", "disqualifiedBy", "contested", "won", "chargedWith", "convictedOf",
    "convictedBy", "sentencedTo", "detainedAt", "releasedFrom", "metWith", "visited", "statedBy",
    "spokespersonOf", "directorOf", "defectedTo", "exiledIn", "relativeOf", "citizenOf", "occupation",
    "participatedIn",
}
_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")


@dataclass
class ReviewResult:
    accepted: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    edited: list[str] = field(default_factory=list)
    already_curated: list[str] = field(default_factory=list)
    remaining: int = 0
    curated_path: Path | None = None


def load_draft(path: Path) -> dict[str, Any]:
    doc = yamlsafe.load_file(path)
    if not isinstance(doc, dict) or not isinstance(doc.get("source"), dict) or not isinstance(doc.get("facts"), list):
        raise InputError("not a draft (expected source: and facts:)", path=path)
    sid = doc["source"].get("id")
    if not isinstance(sid, str) or not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,119}", sid):
        raise InputError(f"source id {sid!r} is not lowercase [a-z0-9-]", path=path, field="source.id")
    for i, f in enumerate(doc["facts"]):
        if not isinstance(f, dict) or not isinstance(f.get("id"), str):
            raise InputError("fact without an id", path=path, line=getattr(f, "line", None), field=f"facts[{i}]")
    return doc


def parse_assignment(text: str) -> tuple[str, Any]:
    """``field=value`` -> (field, value), with ``true``/``false`` for ``expected``."""
    name, sep, value = text.partition("=")
    name = name.strip()
    if not sep or name not in EDITABLE:
        raise InputError(f"cannot set {text!r}", hint="use FIELD=VALUE with FIELD one of " + ", ".join(EDITABLE))
    value = value.strip()
    if name == "expected":
        if value not in {"true", "false"}:
            raise InputError(f"expected must be true or false, not {value!r}")
        return name, value == "true"
    if name in {"date", "start", "end"} and value and not _DATE.match(value):
        raise InputError(f"{name} {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    if name == "p" and value not in PREDICATES:
        raise InputError(f"unknown predicate {value!r}", hint="see FACTS.md")
    return name, value


def review(
    draft_path: Path,
    *,
    accept: str | Iterable[str] | None = None,
    reject: Iterable[str] = (),
    edits: Iterable[tuple[str, str]] = (),
    sources_dir: Path | None = None,
    registry_ids: set[str] | None = None,
) -> ReviewResult:
    """Apply decisions to a draft; ``accept`` is ``"all"`` or fact ids; ``edits`` are
    ``(fact id, "field=value")`` pairs, applied first (an edited fact may then be accepted)."""
    if sources_dir is None or registry_ids is None:
        from ..settings import get_settings
        from .registry import load_registry

        settings = get_settings()
        sources_dir = settings.sources_dir if sources_dir is None else sources_dir
        if registry_ids is None:
            registry_ids = {e["id"] for e in load_registry(settings.registry_path, None)}
    draft = load_draft(draft_path)
    facts: list[dict[str, Any]] = draft["facts"]
    by_id = {f["id"]: f for f in facts}
    result = ReviewResult()

    def known(fid: str) -> dict[str, Any]:
        if fid not in by_id:
            raise InputError(f"no fact with id {fid!r} in this draft", path=draft_path)
        return by_id[fid]

    for fid, assignment in edits:
        fact = known(fid)
        name, value = parse_assignment(assignment)
        if value == "" and name not in {"s", "p", "o"}:
            fact.pop(name, None)
        else:
            fact[name] = value
        fact["edited"] = True
        result.edited.append(fid)
    reject = list(dict.fromkeys(reject))
    for fid in reject:
        known(fid)
    if accept == "all":
        accept_ids = [f["id"] for f in facts if f["id"] not in reject]
    else:
        accept_ids = list(dict.fromkeys(accept or []))
        for fid in accept_ids:
            known(fid)
            if fid in reject:
                raise InputError(f"fact {fid!r} is both accepted and rejected", path=draft_path)

    if accept_ids:
        result.curated_path, added, dup = _merge(draft, [by_id[i] for i in accept_ids], sources_dir, registry_ids)
        result.accepted, result.already_curated = added, dup
    done = set(accept_ids) | set(reject)
    draft["facts"] = [f for f in facts if f["id"] not in done]
    if reject:
        state = draft.setdefault("review", {})
        state["rejected"] = sorted(set(state.get("rejected") or []) | set(reject))
        result.rejected = reject
    result.remaining = len(draft["facts"])
    atomic_write(draft_path, dumps_draft(draft))
    return result


def _curated_fact(fact: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in fact.items() if k not in {"id", "confidence", "status", "edited"}}
    out["status"] = "reviewed"
    return out


def _merge(draft: dict[str, Any], accepted: list[dict[str, Any]], sources_dir: Path,
           registry_ids: set[str]) -> tuple[Path, list[str], list[str]]:
    src = draft["source"]
    path = sources_dir / f"{src['id']}.yaml"
    if path.is_file():
        doc = yamlsafe.load_file(path) or {}
        if not isinstance(doc, dict):
            raise InputError("expected a mapping at the top", path=path)
        old_sha = (doc.get("source") or {}).get("text_sha256")
        if old_sha and src.get("text_sha256") and old_sha != src["text_sha256"]:
            raise InputError(
                "the curated source was made from a different text (text_sha256 differs); "
                "its evidence offsets would not match", path=path, field="source.text_sha256")
    else:
        doc = {"source": {k: v for k, v in src.items()}}
    doc.setdefault("entities", [])
    doc.setdefault("facts", [])
    have = {fact_id(_strip(f)) for f in doc["facts"] if isinstance(f, dict)}
    declared = {e.get("id") for e in doc["entities"] if isinstance(e, dict)}
    draft_entities = {e["id"]: e for e in draft.get("entities") or [] if isinstance(e, dict) and "id" in e}
    added, dup = [], []
    for fact in accepted:
        cur = _curated_fact(fact)
        key = fact_id(_strip(cur))
        if key in have:
            dup.append(fact["id"])
            continue
        have.add(key)
        doc["facts"].append(cur)
        added.append(fact["id"])
        for ref in ("s", "o", "org", "election", "court"):
            v = cur.get(ref)
            if isinstance(v, str) and v in draft_entities and v not in registry_ids and v not in declared:
                ent = draft_entities[v]
                doc["entities"].append({k: ent[k] for k in ("id", "name", "type", "aliases") if k in ent})
                declared.add(v)
    if not doc["entities"]:
        doc.pop("entities")
    if added:
        atomic_write(path, yamlsafe.dumps(doc))
    return path, added, dup


def describe(fact: dict[str, Any]) -> str:
    """One line for a terminal: ``[id] s p o (qualifiers) conf``."""
    quals = ", ".join(f"{k}={fact[k]}" for k in EDITABLE[3:] if k in fact)
    conf = fact.get("confidence")
    return (f"[{fact['id']}] {fact['s']} {fact['p']} {fact['o']}" + (f" ({quals})" if quals else "")
            + (f"  confidence {conf}" if conf is not None else ""))
