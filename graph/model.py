"""The fact language's model, read from the ontology (``ontology/cpkg.ttl``).

Nothing about predicates is hard-coded: which subjects and objects a predicate takes, its
qualifiers, the claim class it becomes and how it projects to a network edge are all
annotations in the ontology.  :func:`load_model` reads them once and checks them, so a
mistake in the ontology fails loudly at start-up rather than as odd data later.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .errors import InputError
from .namespaces import CPKG, RDF, RDFS
from .settings import ONTOLOGY_DIR

#: Keys every fact may carry besides its predicate's qualifiers.
UNIVERSAL_KEYS = frozenset({"s", "p", "o", "evidence", "status", "confidence", "note", "id"})
OBJECT_KINDS = frozenset({"entity", "literal", "entity-or-literal", "date", "duration"})
QUALIFIER_KINDS = frozenset({"entity", "literal", "date", "boolean"})


@dataclass(frozen=True)
class Predicate:
    """One fact-language predicate and everything the ontology says about it."""

    name: str
    iri: str
    label: str
    comment: str
    subject_types: frozenset[str]
    object_types: frozenset[str]
    object_kind: str
    qualifiers: frozenset[str]
    claim_class: str
    subject_role: str
    object_role: str | None
    literal_role: str | None
    implied_role: str | None
    edge_label: str
    edge_target: str
    lineage: bool
    single_valued: bool
    symmetric: bool
    legal_step: bool

    @property
    def takes_entity(self) -> bool:
        return self.object_kind in {"entity", "entity-or-literal"}

    @property
    def takes_literal(self) -> bool:
        return self.object_kind != "entity"


@dataclass(frozen=True)
class Qualifier:
    name: str
    iri: str
    kind: str
    object_types: frozenset[str]


@dataclass(frozen=True)
class Model:
    """Entity types, predicates and qualifiers of the fact language."""

    types: dict[str, str]  # fact-language type name -> class IRI
    supertypes: dict[str, frozenset[str]]  # type name -> itself and every type it is a kind of
    predicates: dict[str, Predicate]
    qualifiers: dict[str, Qualifier]
    class_labels: dict[str, str] = field(default_factory=dict)

    def is_a(self, type_name: str, allowed: frozenset[str]) -> bool:
        """True if an entity of ``type_name`` may stand where ``allowed`` types are asked for."""
        return bool(self.supertypes.get(type_name, frozenset({type_name})) & allowed)


def _literal_set(triples: dict[tuple[str, str], list[str]], s: str, p: str) -> list[str]:
    return triples.get((s, p), [])


@lru_cache(maxsize=4)
def load_model(path: Path | None = None) -> Model:
    """Read the ontology's fact-language annotations into a :class:`Model`."""
    import pyoxigraph as ox

    path = path or ONTOLOGY_DIR / "cpkg.ttl"
    values: dict[tuple[str, str], list[str]] = {}
    try:
        with open(path, "rb") as fh:
            for t in ox.parse(fh, format=ox.RdfFormat.TURTLE):
                s = t.subject.value if isinstance(t.subject, ox.NamedNode) else str(t.subject)
                values.setdefault((s, t.predicate.value), []).append(t.object.value)
    except (OSError, SyntaxError) as exc:
        raise InputError(f"cannot read the ontology: {exc}", path=path) from None

    def one(s: str, p: str, default: str | None = None) -> str | None:
        got = _literal_set(values, s, p)
        return sorted(got)[0] if got else default

    def flag(s: str, p: str) -> bool:
        return one(s, p) == "true"

    fact_name = CPKG + "factName"
    named = {s: v[0] for (s, p), v in values.items() if p == fact_name}
    rdf_type = RDF + "type"
    subclass = RDFS + "subClassOf"

    types = {name: iri for iri, name in named.items() if "http://www.w3.org/2002/07/owl#Class" in values.get((iri, rdf_type), [])}
    iri_to_type = {iri: name for name, iri in types.items()}

    def ancestors(iri: str) -> set[str]:
        seen: set[str] = set()
        todo = [iri]
        while todo:
            cur = todo.pop()
            for sup in values.get((cur, subclass), []):
                if sup not in seen:
                    seen.add(sup)
                    todo.append(sup)
        return seen

    supertypes = {
        name: frozenset({name} | {iri_to_type[a] for a in ancestors(iri) if a in iri_to_type})
        for name, iri in types.items()
    }

    def type_names(iri: str, p: str) -> frozenset[str]:
        out = set()
        for cls in values.get((iri, CPKG + p), []):
            if cls not in iri_to_type:
                raise InputError(f"{iri} names {cls} as {p}, which has no cpkg:factName", path=path)
            out.add(iri_to_type[cls])
        return frozenset(out)

    predicates: dict[str, Predicate] = {}
    qualifiers: dict[str, Qualifier] = {}
    fact_predicate = CPKG + "FactPredicate"
    for iri, name in named.items():
        kinds = values.get((iri, rdf_type), [])
        if fact_predicate in kinds:
            kind = one(iri, CPKG + "objectKind")
            claim = one(iri, CPKG + "claimClass")
            role = one(iri, CPKG + "subjectRole")
            if kind not in OBJECT_KINDS or not claim or not role:
                raise InputError(f"predicate {name} lacks objectKind, claimClass or subjectRole", path=path)
            predicates[name] = Predicate(
                name=name,
                iri=iri,
                label=one(iri, RDFS + "label", name) or name,
                comment=one(iri, RDFS + "comment", "") or "",
                subject_types=type_names(iri, "subjectClass"),
                object_types=type_names(iri, "objectClass"),
                object_kind=kind,
                qualifiers=frozenset(values.get((iri, CPKG + "allowsQualifier"), [])),
                claim_class=claim,
                subject_role=role,
                object_role=one(iri, CPKG + "objectRole"),
                literal_role=one(iri, CPKG + "literalRole"),
                implied_role=one(iri, CPKG + "impliedRole"),
                edge_label=one(iri, CPKG + "edgeLabel", name) or name,
                edge_target=one(iri, CPKG + "edgeTarget", "object") or "object",
                lineage=flag(iri, CPKG + "lineage"),
                single_valued=flag(iri, CPKG + "singleValued"),
                symmetric=flag(iri, CPKG + "symmetric"),
                legal_step=flag(iri, CPKG + "legalStep"),
            )
        elif name not in types:
            qkind = one(iri, CPKG + "objectKind")
            if qkind not in QUALIFIER_KINDS:
                raise InputError(f"qualifier {name} has no valid objectKind", path=path)
            qualifiers[name] = Qualifier(name, iri, qkind, type_names(iri, "objectClass"))
    for p in predicates.values():
        unknown = p.qualifiers - set(qualifiers)
        if unknown:
            raise InputError(f"predicate {p.name} allows unknown qualifiers {sorted(unknown)}", path=path)
    labels = {iri: one(iri, RDFS + "label", name) or name for name, iri in types.items()}
    return Model(types=types, supertypes=supertypes, predicates=predicates, qualifiers=qualifiers, class_labels=labels)
