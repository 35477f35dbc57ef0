"""What changed between two states of the graph, claim by claim, each with its source.

``cpkg diff A [B]`` compares two snapshots (folders, or names under ``exports/snapshots/``), or
a snapshot and the current build (``B`` omitted or ``current``).  Both sides are read the same
way: their canonical N-Quads become claim rows (:func:`graph.export.data.claim_table`), so the
comparison is at the level of the graph's ``cpkg:Claim`` nodes.

- **added** / **removed**: a claim (fact id) on one side only;
- **changed**: either the same fact id with a different note, status, confidence, evidence
  span or quoted words; or a claim removed and one added with the same source, subject and
  predicate but another object, qualifier or date (a corrected fact gets a new fact id, since
  the id is a hash of what the fact says).  Within one source, subject and predicate, a removed
  and an added claim are paired first when they share the object (a changed date or
  qualifier), then if exactly one of each is left (a changed object); anything else stays added
  or removed, so that nothing is paired by guesswork.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import InputError
from .settings import Settings

#: What a fact says (changing one of these gives the fact a new id).
STATEMENT = ("o", "oLiteral", "org", "court", "election", "relation", "date", "start", "end", "expected", "former")
#: What may change under the same fact id.
ANNOTATION = ("status", "confidence", "note", "evidence")


@dataclass
class Side:
    """One side of a diff: a label and its claims by fact id, with its sources."""

    label: str
    claims: dict[str, dict[str, Any]]
    sources: dict[str, dict[str, Any]]
    date: str | None = None


@dataclass
class Diff:
    a: Side
    b: Side
    added: list[dict[str, Any]] = field(default_factory=list)
    removed: list[dict[str, Any]] = field(default_factory=list)
    changed: list[dict[str, Any]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def _side_from_quads(label: str, quads: list[Any], date: str | None) -> Side:
    from .export.data import _group, claim_table, latest_published, source_table

    grouped = _group(quads)
    claims = claim_table(quads, grouped)
    sources = source_table(quads, grouped)
    return Side(label, {c["factId"]: c for c in claims}, {s["id"]: s for s in sources},
                date or latest_published(sources))


def resolve_snapshot(spec: str, settings: Settings) -> Path:
    """A snapshot folder from a path or a name (or unique prefix) under exports/snapshots/."""
    from .snapshot import snapshots_dir

    path = Path(spec)
    if path.is_dir():
        return path
    if path.is_file() and path.suffix == ".nq":
        return path
    root = snapshots_dir(settings)
    if "/" not in spec and root.is_dir():
        exact = root / spec
        if exact.is_dir():
            return exact
        matches = sorted(p for p in root.iterdir() if p.is_dir() and p.name.startswith(spec) and not p.name.startswith("."))
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise InputError(f"{spec!r} names {len(matches)} snapshots: {', '.join(p.name for p in matches)}",
                             hint="give more of the name")
    raise InputError(f"no snapshot {spec!r}", path=root if "/" not in spec else None,
                     hint="give a snapshot folder, a name under exports/snapshots/, or `current`")


def load_side(spec: str | None, settings: Settings) -> Side:
    """``None``/``current``: the current build; else a snapshot folder (its graph.nq) or a .nq file."""
    from .export.data import read_nquads, store_quads

    if spec in (None, "current"):
        return _side_from_quads("current build", store_quads(settings), None)
    path = resolve_snapshot(spec, settings)
    nq = path if path.is_file() else path / "graph.nq"
    date = None
    manifest = path / "manifest.json" if path.is_dir() else None
    if manifest is not None and manifest.is_file():
        try:
            date = json.loads(manifest.read_text(encoding="utf-8")).get("date")
        except (ValueError, OSError):
            date = None
    return _side_from_quads(str(path), read_nquads(nq), date)


def _annotation(c: dict[str, Any], key: str) -> Any:
    if key == "evidence":
        return [[e.get("start"), e.get("end"), e.get("quote")] for e in c.get("evidence") or []]
    return c.get(key)


def _object(c: dict[str, Any]) -> Any:
    return c.get("o") or c.get("oLiteral")


def compare(a: Side, b: Side) -> Diff:
    """Claims added, removed and changed from ``a`` to ``b`` (see the module doc)."""
    d = Diff(a, b)
    only_a = sorted(set(a.claims) - set(b.claims))
    only_b = sorted(set(b.claims) - set(a.claims))
    for fid in sorted(set(a.claims) & set(b.claims)):
        before, after = a.claims[fid], b.claims[fid]
        fields = {k: [_annotation(before, k), _annotation(after, k)] for k in ANNOTATION
                  if _annotation(before, k) != _annotation(after, k)}
        if fields:
            d.changed.append(_change(before, after, fields))
    groups: dict[tuple[str, str, str], tuple[list[str], list[str]]] = {}
    for fid in only_a:
        c = a.claims[fid]
        groups.setdefault((c["source"], c["s"], c["p"]), ([], []))[0].append(fid)
    for fid in only_b:
        c = b.claims[fid]
        groups.setdefault((c["source"], c["s"], c["p"]), ([], []))[1].append(fid)
    for key in sorted(groups):
        gone, new = groups[key]
        pairs: list[tuple[str, str]] = []
        for fa in list(gone):  # same object: a changed date or qualifier
            match = next((fb for fb in new if _object(b.claims[fb]) == _object(a.claims[fa])), None)
            if match is not None:
                pairs.append((fa, match))
                gone.remove(fa)
                new.remove(match)
        if len(gone) == 1 and len(new) == 1:  # one of each left: a changed object
            pairs.append((gone.pop(), new.pop()))
        for fa, fb in pairs:
            before, after = a.claims[fa], b.claims[fb]
            fields = {k: [before.get(k), after.get(k)] for k in STATEMENT if before.get(k) != after.get(k)}
            fields.update({k: [_annotation(before, k), _annotation(after, k)] for k in ANNOTATION
                           if _annotation(before, k) != _annotation(after, k)})
            d.changed.append(_change(before, after, fields))
        d.removed += [_record(a.claims[f]) for f in gone]
        d.added += [_record(b.claims[f]) for f in new]
    d.added.sort(key=_order)
    d.removed.sort(key=_order)
    d.changed.sort(key=lambda c: (c["source"], c["s"], c["p"], c["before"]["factId"]))
    return d


def _order(r: dict[str, Any]) -> tuple[str, str, str, str]:
    return (r["source"], r["s"], r["p"], r["factId"])


RECORD_KEYS = ("factId", "source", "publisher", "published", "url", "s", "p", "o", "oLiteral", "org", "court",
               "election", "relation", "date", "start", "end", "expected", "former", "status", "confidence", "note",
               "quote")


def _record(c: dict[str, Any]) -> dict[str, Any]:
    return {k: c.get(k) for k in RECORD_KEYS if c.get(k) is not None}


def _change(before: dict[str, Any], after: dict[str, Any], fields: dict[str, list[Any]]) -> dict[str, Any]:
    return {"source": after["source"], "s": after["s"], "p": after["p"], "fields": dict(sorted(fields.items())),
            "before": _record(before), "after": _record(after)}


def diff(a: str | None, b: str | None, settings: Settings) -> Diff:
    return compare(load_side(a, settings), load_side(b, settings))


def to_json(d: Diff) -> str:
    doc = {
        "a": {"label": d.a.label, "date": d.a.date, "facts": len(d.a.claims), "sources": len(d.a.sources)},
        "b": {"label": d.b.label, "date": d.b.date, "facts": len(d.b.claims), "sources": len(d.b.sources)},
        "counts": {"added": len(d.added), "removed": len(d.removed), "changed": len(d.changed)},
        "sources_added": sorted(set(d.b.sources) - set(d.a.sources)),
        "sources_removed": sorted(set(d.a.sources) - set(d.b.sources)),
        "added": d.added, "removed": d.removed, "changed": d.changed,
    }
    return json.dumps(doc, indent=2, ensure_ascii=False, sort_keys=True)


def _fact_line(r: dict[str, Any]) -> str:
    obj = r.get("o") or json.dumps(r.get("oLiteral"), ensure_ascii=False)
    quals = [f"{k} {r[k]}" for k in ("org", "court", "election", "relation", "date", "start", "end")
             if r.get(k) and not (k == "org" and r[k] == r.get("o"))]
    quals += [k for k in ("expected", "former") if r.get(k) == "true"]
    return f"{r['s']} {r['p']} {obj}" + (f"  ({', '.join(quals)})" if quals else "")


def _source_line(r: dict[str, Any]) -> str:
    extra = ", ".join(x for x in (r.get("publisher"), r.get("published"), r.get("url")) if x)
    return f"source: {r['source']}" + (f" ({extra})" if extra else "")


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    return text if len(text) <= 120 else text[:117] + "..."


def to_text(d: Diff) -> str:
    lines = [
        f"A: {d.a.label} ({d.a.date or 'undated'}, {len(d.a.claims)} facts from {len(d.a.sources)} sources)",
        f"B: {d.b.label} ({d.b.date or 'undated'}, {len(d.b.claims)} facts from {len(d.b.sources)} sources)",
        f"{len(d.added)} added, {len(d.removed)} removed, {len(d.changed)} changed",
    ]
    for title, mark, items in (("added", "+", d.added), ("removed", "-", d.removed)):
        if items:
            lines += ["", f"{title} ({len(items)}):"]
            for r in items:
                lines.append(f"  {mark} {_fact_line(r)}")
                lines.append(f"      {_source_line(r)}")
    if d.changed:
        lines += ["", f"changed ({len(d.changed)}):"]
        for c in d.changed:
            lines.append(f"  ~ {_fact_line(c['after'])}")
            for k, (old, new) in c["fields"].items():
                lines.append(f"      {k}: {_short(old)} -> {_short(new)}")
            lines.append(f"      {_source_line(c['after'])}")
    return "\n".join(lines) + "\n"
