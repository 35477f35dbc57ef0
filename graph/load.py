"""Fact-language files -> an RDF dataset with one named graph per source.

Each fact becomes:

- a *direct edge* ``subject cpkg:<predicate> object`` in its source's named graph, for
  browsing and simple queries;
- a *claim node* (``fact/<hash>``): a reified statement (rdf:subject / rdf:predicate /
  rdf:object) typed with its claim class (a W3C ORG membership, a conviction, a rename...),
  its roles in standard vocabularies (org:member, org:originalOrganization...), its dates
  (cpkg:date plus an OWL-Time instant or interval), its source (prov:wasDerivedFrom), the
  offsets of the words that state it (a Web Annotation text-position selector) and, when
  the article is at hand, the quoted words themselves.

Entities go to the registry graph.  The output is a list of pyoxigraph quads; IRIs come
from :mod:`graph.namespaces`, so the same data in any order gives the same quads.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from . import namespaces as ns
from . import yamlsafe
from .errors import InputError
from .factfile import Date, EntityDecl, Fact, SourceDoc, parse_source_doc, read_registry_file
from .model import Model, Predicate
from .resolve import Registry
from .settings import MAX_ARTICLE_BYTES, MAX_YAML_BYTES, Settings

N = ox.NamedNode
L = ox.Literal

RDF_TYPE = N(ns.RDF + "type")
_XSD = {k: N(ns.XSD + k) for k in ("date", "gYear", "gYearMonth", "duration", "integer", "decimal", "boolean", "string")}


@cache
def cp(local: str) -> ox.NamedNode:
    """A cpkg term; unknown names fail (graph/vocab.py is generated from the ontology).
    Imported here, not at module level: vocab pulls in rdflib, which `cpkg query` never needs."""
    from .vocab import CPKG as CPKG_TERMS

    return N(str(getattr(CPKG_TERMS, local)))


def date_literal(d: Date) -> ox.Literal:
    return L(d.text, datatype=_XSD[d.xsd])


@dataclass
class CorpusText:
    path: Path
    text: str


@dataclass
class Corpus:
    """Article texts by SHA-256, and which texts the corpus metadata expects."""

    texts: dict[str, CorpusText] = field(default_factory=dict)
    expected: dict[str, str] = field(default_factory=dict)  # sha256 or url -> file name
    present: bool = False

    def get(self, sha: str) -> CorpusText | None:
        return self.texts.get(sha)


def read_corpus(corpus_dir: Path) -> Corpus:
    """Hash every ``*.txt`` in the corpus folder (it is read, never copied into the project)."""
    corpus = Corpus(present=corpus_dir.is_dir())
    if not corpus.present:
        return corpus
    for path in sorted(corpus_dir.glob("*.txt")):
        if path.stat().st_size > MAX_ARTICLE_BYTES:
            continue
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            continue
        corpus.texts[hashlib.sha256(raw).hexdigest()] = CorpusText(path, text)
    for meta in sorted(corpus_dir.glob("*.meta.yaml")):
        try:
            data = yamlsafe.load_file(meta)
        except InputError:
            continue
        if isinstance(data, dict):
            name = str(data.get("file", meta.name))
            for key in ("sha256", "url"):
                if data.get(key):
                    corpus.expected[str(data[key])] = name
    return corpus


@dataclass
class Inputs:
    """Everything read from disk for one build."""

    model: Model
    registry: Registry
    docs: list[SourceDoc]
    corpus: Corpus
    warnings: list[str] = field(default_factory=list)


def source_files(settings: Settings, include_drafts: bool = False) -> list[Path]:
    files = sorted(settings.sources_dir.glob("*.yaml")) if settings.sources_dir.is_dir() else []
    if include_drafts and settings.drafts_dir.is_dir():
        files += sorted(settings.drafts_dir.glob("*.yaml"))
    return files


def read_inputs(
    settings: Settings,
    model: Model,
    *,
    files: Iterable[Path] | None = None,
    include_drafts: bool = False,
) -> Inputs:
    """Read the registry and source files, check them against each other, index the corpus."""
    decls: list[EntityDecl] = []
    if settings.registry_path.exists():
        decls += read_registry_file(settings.registry_path, model)
    paths = list(files) if files is not None else source_files(settings, include_drafts)
    docs: list[SourceDoc] = []
    seen: dict[str, tuple[str, bytes]] = {}
    for path in paths:
        if not path.exists():
            raise InputError("no such file", path=path)
        if path.stat().st_size > MAX_YAML_BYTES:
            raise InputError(f"file is larger than {MAX_YAML_BYTES // (1024 * 1024)} MB", path=path)
        raw = path.read_bytes()  # read once: parsed here, and compared for repeated files
        doc = parse_source_doc(yamlsafe.load_bytes(raw, path), str(path), model)
        if not include_drafts and files is None and any(f.status == "draft" for f in doc.facts):
            doc.facts = [f for f in doc.facts if f.status == "reviewed"]
        prior = seen.get(doc.meta.id)
        if prior is not None:
            if prior[1] == raw:
                continue  # the same file given twice: loading is idempotent
            raise InputError(f"source id {doc.meta.id!r} is also used by {prior[0]}", path=path,
                             line=doc.meta.line, field="source.id", hint="each source needs its own id")
        seen[doc.meta.id] = (str(path), raw)
        decls += doc.entities
        docs.append(doc)
    docs.sort(key=lambda d: d.meta.id)
    registry = Registry.from_decls(decls)
    corpus = read_corpus(settings.corpus_dir)
    inputs = Inputs(model, registry, docs, corpus)
    for doc in docs:
        check_doc(inputs, doc)
    return inputs


def _need_entity(inputs: Inputs, ent_id: str, allowed: frozenset[str], fact: Fact, field_name: str, what: str) -> None:
    decl = inputs.registry.entities.get(ent_id)
    if decl is None:
        raise InputError(f"unknown entity {ent_id!r}", path=fact.path, line=fact.line_of(field_name.rsplit(".", 1)[-1]), field=field_name,
                         hint="declare it in data/entities.yaml or the file's entities")
    if allowed and not inputs.model.is_a(decl.type, allowed):
        raise InputError(f"{what} of {fact.p} must be a {' or '.join(sorted(allowed))}, but {ent_id} is a {decl.type}",
                         path=fact.path, line=fact.line, field=field_name)


def check_doc(inputs: Inputs, doc: SourceDoc) -> None:
    """Cross-file checks: entities exist with the right types; evidence fits the text."""
    model = inputs.model
    text: str | None = None
    if doc.meta.text_sha256:
        found = inputs.corpus.get(doc.meta.text_sha256)
        if found is not None:
            text = found.text
        elif inputs.corpus.present and (
            doc.meta.text_sha256 in inputs.corpus.expected or (doc.meta.url or "") in inputs.corpus.expected
        ):
            name = inputs.corpus.expected.get(doc.meta.text_sha256) or inputs.corpus.expected.get(doc.meta.url or "")
            raise InputError(f"the text of {name} no longer has sha256 {doc.meta.text_sha256[:12]}...: it has changed",
                             path=doc.path, line=doc.meta.line, field="source.text_sha256",
                             hint="re-check the offsets against the new text, then update the hash")
        else:
            inputs.warnings.append(f"{doc.path}: article text not at hand; quotes left out, offsets unchecked")
    keys: dict[str, int] = {}
    for i, fact in enumerate(doc.facts):
        pred = model.predicates[fact.p]
        where = f"facts[{i}]"
        _need_entity(inputs, fact.s, pred.subject_types, fact, f"{where}.s", "the subject")
        if fact.object_is_entity:
            if pred.object_kind == "entity-or-literal" and fact.o not in inputs.registry.entities:
                object.__setattr__(fact, "object_is_entity", False)
            else:
                _need_entity(inputs, fact.o, pred.object_types, fact, f"{where}.o", "the object")
        for name, value in fact.qualifiers:
            qual = model.qualifiers[name]
            if qual.kind == "entity":
                _need_entity(inputs, value, qual.object_types, fact, f"{where}.{name}", name)
        for start, end in fact.evidence:
            if text is not None and end > len(text):
                raise InputError(f"span {start}-{end} runs past the end of the text ({len(text)} characters)",
                                 path=fact.path, line=fact.line_of("evidence"), field=f"{where}.evidence")
        if doc.meta.text_sha256 and fact.status == "reviewed" and not fact.evidence and text is not None:
            raise InputError("a fact from an article at hand needs evidence offsets", path=fact.path, line=fact.line,
                             field=f"{where}.evidence")
        key = fact_key(doc.meta.id, fact)
        if key in keys:
            raise InputError(f"the same fact as facts[{keys[key]}]", path=fact.path, line=fact.line, field=where)
        keys[key] = i


def _plain(value: Any) -> Any:
    return value.text if isinstance(value, Date) else value


def fact_key(source_id: str, fact: Fact) -> str:
    return ns.fact_hash(source_id, fact.s, fact.p, _plain(fact.o), {k: _plain(v) for k, v in fact.qualifiers})


class QuadSink:
    """Collects quads, with small helpers for the common shapes."""

    def __init__(self) -> None:
        self.quads: list[ox.Quad] = []

    def add(self, s: ox.NamedNode, p: ox.NamedNode, o: Any, g: ox.NamedNode) -> None:
        self.quads.append(ox.Quad(s, p, o, g))


def _time_node(sink: QuadSink, node: ox.NamedNode, d: Date, g: ox.NamedNode) -> None:
    sink.add(node, RDF_TYPE, N(ns.TIME + "Instant"), g)
    prop = {"date": "inXSDDate", "gYear": "inXSDgYear", "gYearMonth": "inXSDgYearMonth"}[d.xsd]
    sink.add(node, N(ns.TIME + prop), date_literal(d), g)


def emit_registry(sink: QuadSink, model: Model, registry: Registry) -> None:
    g = N(ns.REGISTRY_GRAPH)
    for ent_id in sorted(registry.entities):
        e = registry.entities[ent_id]
        node = N(ns.entity_iri(ent_id))
        sink.add(node, RDF_TYPE, N(model.types[e.type]), g)
        sink.add(node, cp("entityId"), L(ent_id), g)
        sink.add(node, N(ns.SKOS + "prefLabel"), L(e.name), g)
        sink.add(node, N(ns.RDFS + "label"), L(e.name), g)
        if e.type == "Person":
            sink.add(node, N(ns.FOAF + "name"), L(e.name), g)
        for alias in e.aliases:
            sink.add(node, N(ns.SKOS + "altLabel"), L(alias), g)
        for alias, why in e.alias_notes:
            sink.add(node, cp("aliasNote"), L(f"{alias}: {why}"), g)
        if e.description:
            sink.add(node, N(ns.SCHEMA + "description"), L(e.description), g)


def emit_source(sink: QuadSink, inputs: Inputs, doc: SourceDoc) -> None:
    meta = doc.meta
    g = N(ns.graph_iri(meta.id))
    src = N(ns.source_iri(meta.id))
    kind = "NewsArticle" if meta.kind == "NewsArticle" else "WebPage"
    for cls in (cp("Source"), N(ns.SCHEMA + kind), N(ns.PROV + "Entity")):
        sink.add(src, RDF_TYPE, cls, g)
    if meta.title:
        sink.add(src, N(ns.DCTERMS + "title"), L(meta.title), g)
    if meta.publisher:
        sink.add(src, N(ns.DCTERMS + "publisher"), L(meta.publisher), g)
    if meta.url:
        sink.add(src, N(ns.SCHEMA + "url"), N(meta.url), g)
    if meta.published:
        sink.add(src, N(ns.SCHEMA + "datePublished"), date_literal(meta.published), g)
    if meta.published_precision or meta.published_note:
        sink.add(src, cp("datePrecisionNote"), L(meta.published_note or meta.published_precision or ""), g)
    if meta.text_sha256:
        sink.add(src, cp("textSha256"), L(meta.text_sha256), g)
    if meta.language:
        sink.add(src, N(ns.DCTERMS + "language"), L(meta.language), g)
    if meta.note:
        sink.add(src, N(ns.SKOS + "note"), L(meta.note), g)
    found = inputs.corpus.get(meta.text_sha256) if meta.text_sha256 else None
    text = found.text if found is not None else None
    cases: set[str] = set()
    for fact in doc.facts:
        emit_fact(sink, inputs.model, inputs.model.predicates[fact.p], doc, fact, src, g, text, cases)


def _object_term(pred: Predicate, fact: Fact) -> Any:
    if fact.object_is_entity:
        return N(ns.entity_iri(fact.o))
    if isinstance(fact.o, Date):
        return date_literal(fact.o)
    if pred.object_kind == "duration":
        return L(fact.o, datatype=_XSD["duration"])
    return L(fact.o)


def emit_fact(
    sink: QuadSink, model: Model, pred: Predicate, doc: SourceDoc, fact: Fact,
    src: ox.NamedNode, g: ox.NamedNode, text: str | None, cases: set[str],
) -> None:
    digest = fact_key(doc.meta.id, fact)
    claim = N(ns.fact_iri(digest))
    s = N(ns.entity_iri(fact.s))
    p = N(pred.iri)
    o = _object_term(pred, fact)
    add = sink.add
    add(s, p, o, g)  # the direct edge
    add(claim, RDF_TYPE, cp("Claim"), g)
    add(claim, RDF_TYPE, N(pred.claim_class), g)
    add(claim, N(ns.RDF + "subject"), s, g)
    add(claim, N(ns.RDF + "predicate"), p, g)
    add(claim, N(ns.RDF + "object"), o, g)
    add(claim, N(ns.PROV + "wasDerivedFrom"), src, g)
    add(claim, cp("factId"), L(digest), g)
    add(claim, cp("status"), L(fact.status), g)
    add(claim, N(pred.subject_role), s, g)
    if fact.object_is_entity and pred.object_role:
        add(claim, N(pred.object_role), o, g)
    elif not fact.object_is_entity and pred.literal_role:
        add(claim, N(pred.literal_role), o, g)
    role_title = pred.implied_role or (fact.o if pred.name == "holdsRole" else None)
    if role_title:
        role = N(ns.role_iri(role_title))
        add(claim, N(ns.ORG + "role"), role, g)
        add(role, RDF_TYPE, N(ns.ORG + "Role"), g)
        add(role, N(ns.SKOS + "prefLabel"), L(role_title), g)
    if fact.confidence is not None:
        add(claim, cp("confidence"), L(f"{fact.confidence:.3f}".rstrip("0").rstrip(".") if fact.confidence % 1 else f"{fact.confidence:.1f}", datatype=_XSD["decimal"]), g)
    if fact.note:
        add(claim, N(ns.SKOS + "note"), L(fact.note), g)
    quals = dict(fact.qualifiers)
    for name, value in fact.qualifiers:
        qual = model.qualifiers[name]
        if qual.kind == "entity":
            term: Any = N(ns.entity_iri(value))
        elif qual.kind == "date":
            term = date_literal(value)
        elif qual.kind == "boolean":
            term = L("true" if value else "false", datatype=_XSD["boolean"])
        else:
            term = L(value)
        add(claim, N(qual.iri), term, g)
    if "date" in quals:
        node = N(claim.value + "-time")
        add(claim, N(ns.TIME + "hasTime"), node, g)
        _time_node(sink, node, quals["date"], g)
    if "start" in quals or "end" in quals:
        interval = N(claim.value + "-interval")
        add(claim, N(ns.TIME + "hasTime"), interval, g)
        if pred.claim_class in (ns.CPKG + "MembershipClaim", ns.CPKG + "Leadership"):
            add(claim, N(ns.ORG + "memberDuring"), interval, g)
        add(interval, RDF_TYPE, N(ns.TIME + "Interval"), g)
        for key, prop in (("start", "hasBeginning"), ("end", "hasEnd")):
            if key in quals:
                node = N(f"{claim.value}-{key}")
                add(interval, N(ns.TIME + prop), node, g)
                _time_node(sink, node, quals[key], g)
    for i, (start, end) in enumerate(fact.evidence):
        sel = N(f"{claim.value}-evidence-{i}")
        add(claim, cp("evidence"), sel, g)
        add(sel, RDF_TYPE, N(ns.OA + "TextPositionSelector"), g)
        add(sel, N(ns.OA + "start"), L(str(start), datatype=_XSD["integer"]), g)
        add(sel, N(ns.OA + "end"), L(str(end), datatype=_XSD["integer"]), g)
        if text is not None:
            add(sel, N(ns.OA + "exact"), L(text[start:end]), g)
    if pred.legal_step:
        case = N(ns.case_iri(doc.meta.id, fact.s))
        add(claim, cp("inCase"), case, g)
        if case.value not in cases:
            cases.add(case.value)
            add(case, RDF_TYPE, cp("LegalCase"), g)
            add(case, cp("defendant"), s, g)
            add(case, N(ns.PROV + "wasDerivedFrom"), src, g)


def emit_ontology(sink: QuadSink, path: Path) -> None:
    g = N(ns.ONTOLOGY_GRAPH)
    with open(path, "rb") as fh:
        for t in ox.parse(fh, format=ox.RdfFormat.TURTLE):
            sink.add(t.subject, t.predicate, t.object, g)


def build_quads(inputs: Inputs, *, with_ontology: bool = True) -> list[ox.Quad]:
    """All quads of the graph, sorted and without duplicates."""
    from .settings import ONTOLOGY_DIR

    sink = QuadSink()
    emit_registry(sink, inputs.model, inputs.registry)
    for doc in inputs.docs:
        emit_source(sink, inputs, doc)
    if with_ontology:
        emit_ontology(sink, ONTOLOGY_DIR / "cpkg.ttl")
    return sorted(set(sink.quads), key=str)
