"""Checks on the curated data in data/: the entity registry and one YAML file per source.

Only PyYAML and the standard library, so these run before (and independently of) the
loader in graph/. They hold the rules of ../shared/FACTS.md and of the project:
every fact has a known predicate, subject and object types that fit it, and a source;
a fact from an article points at the article's words by offsets, and the project
never copies twelve or more words in a row from an article.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from functools import cache
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
REGISTRY = DATA / "entities.yaml"
SOURCES = sorted((DATA / "sources").glob("*.yaml"))
CORPUS = Path(os.environ.get("CPKG_CORPUS") or ROOT.parent / "shared" / "corpus")
FACTS_MD = ROOT.parent / "shared" / "FACTS.md"

ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DATE = re.compile(r"^\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?$")
DURATION = re.compile(r"^P(?=\d)(?:\d+Y)?(?:\d+M)?(?:\d+W)?(?:\d+D)?$")
SHA256 = re.compile(r"^[0-9a-f]{64}$")
TYPES = {"Person", "PoliticalParty", "Court", "Prison", "GovernmentBody", "Organization", "Election", "Event"}
LIT = "literal"

# predicate: (subject types, object types (LIT for a literal), qualifiers). Types and predicates are
# FACTS.md's table; the qualifiers are those the ontology (ontology/cpkg.ttl) allows, which add
# `former` (a role or membership the source calls former), `expected` (an expected release) and
# a few dates to FACTS.md's list.
PREDICATES = {
    "memberOf": ({"Person"}, {"PoliticalParty", "Organization"}, {"start", "end", "former"}),
    "holdsRole": ({"Person"}, {LIT}, {"org", "date", "start", "end", "former"}),
    "leaderOf": ({"Person"}, {"PoliticalParty", "Organization"}, {"start", "end", "former"}),
    "founded": ({"Person"}, {"PoliticalParty", "Organization"}, {"date"}),
    "established": ({"PoliticalParty", "Organization"}, {LIT}, set()),
    "renamedTo": ({"PoliticalParty"}, {"PoliticalParty"}, {"date"}),
    "mergedInto": ({"PoliticalParty"}, {"PoliticalParty"}, {"date"}),
    "successorOf": ({"PoliticalParty"}, {"PoliticalParty"}, {"date"}),
    "allianceWith": ({"PoliticalParty"}, {"PoliticalParty"}, {"date", "start", "end"}),
    "dissolvedBy": ({"PoliticalParty"}, {"Court", "GovernmentBody"}, {"date"}),
    "disqualifiedBy": ({"PoliticalParty"}, {"GovernmentBody"}, {"election", "date"}),
    "contested": ({"PoliticalParty"}, {"Election"}, {"date"}),
    "won": ({"PoliticalParty"}, {"Election", LIT}, {"election", "date"}),
    "chargedWith": ({"Person"}, {LIT}, {"date"}),
    "convictedOf": ({"Person"}, {LIT}, {"date", "court"}),
    "convictedBy": ({"Person"}, {"Court"}, {"date"}),
    "sentencedTo": ({"Person"}, {LIT}, {"date"}),
    "detainedAt": ({"Person"}, {"Prison"}, {"date", "start", "end"}),
    "releasedFrom": ({"Person"}, {"Prison", LIT}, {"date", "expected"}),
    "metWith": ({"Person"}, {"Person"}, {"date"}),
    "visited": ({"Person"}, {"Prison", "Person"}, {"date"}),
    "statedBy": ({"Person", "Organization"}, {LIT}, {"date"}),
    "spokespersonOf": ({"Person"}, {"GovernmentBody", "Organization", "PoliticalParty"}, {"date", "start", "end"}),
    "directorOf": ({"Person"}, {"Prison", "Organization"}, {"date", "start", "end"}),
    "defectedTo": ({"Person"}, {"PoliticalParty"}, {"date"}),
    "exiledIn": ({"Person"}, {LIT}, {"date", "start", "end"}),
    "relativeOf": ({"Person"}, {"Person"}, {"relation"}),
    "citizenOf": ({"Person"}, {LIT}, set()),
    "occupation": ({"Person"}, {LIT}, set()),
    "participatedIn": ({"Person", "PoliticalParty"}, {"Event"}, {"date"}),
}
# Keys every fact may carry besides its predicate's qualifiers.
COMMON_KEYS = {"s", "p", "o", "id", "evidence", "status", "confidence", "note"}
# Qualifiers whose value is an entity id, and the type it must have.
ENTITY_QUALIFIERS = {"org": {"PoliticalParty", "Organization", "GovernmentBody", "Court"},
                     "court": {"Court"}, "election": {"Election"}}
DATE_QUALIFIERS = ("date", "start", "end")
ENTITY_KEYS = {"id", "name", "type", "aliases", "alias_notes", "description", "khmer_name"}
SOURCE_KEYS = {"id", "title", "publisher", "url", "published", "published_precision", "published_note",
               "text_sha256", "language", "kind", "note"}


class _StringDates(yaml.SafeLoader):
    """SafeLoader that leaves dates as strings, as the project's loader does."""


_StringDates.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_yaml(path: Path):
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_StringDates)  # noqa: S506 - SafeLoader subclass


def norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", str(text)).casefold()
    return " ".join(re.sub(r"[\u2018\u2019'\"“”().,:;!?]", " ", text).split())


@cache
def registry() -> dict:
    doc = read_yaml(REGISTRY)
    return {e["id"]: e for e in doc["entities"]}


@cache
def source_doc(path: Path) -> dict:
    return read_yaml(path)


def entities_for(doc: dict) -> dict:
    ents = dict(registry())
    ents.update({e["id"]: e for e in doc.get("entities") or []})
    return ents


@cache
def corpus_texts() -> dict:
    """sha256 -> decoded text for every article in the corpus folder."""
    if not CORPUS.is_dir():
        return {}
    out = {}
    for p in sorted(CORPUS.glob("*.txt")):
        raw = p.read_bytes()
        out[hashlib.sha256(raw).hexdigest()] = raw.decode("utf-8")
    return out


def need_corpus() -> dict:
    texts = corpus_texts()
    if not texts:
        pytest.skip(f"article corpus not found at {CORPUS} (set CPKG_CORPUS to the folder of the .txt files)")
    return texts


def spans(evidence) -> list:
    return evidence if isinstance(evidence, list) else [evidence]


def source_ids():
    return [p.stem for p in SOURCES]


# --- the registry -----------------------------------------------------------

def test_registry_parses_and_ids_are_well_formed():
    doc = read_yaml(REGISTRY)
    ids = [e["id"] for e in doc["entities"]]
    assert len(ids) == len(set(ids)), "duplicate entity ids"
    for e in doc["entities"]:
        assert ID.match(e["id"]), e["id"]
        assert set(e) <= ENTITY_KEYS, (e["id"], set(e) - ENTITY_KEYS)
        assert isinstance(e.get("name"), str) and e["name"].strip(), e["id"]
        assert e["type"] in TYPES, (e["id"], e["type"])
        aliases = e.get("aliases") or []
        assert all(isinstance(a, str) and a.strip() for a in aliases), e["id"]
        for alias in e.get("alias_notes") or {}:
            assert alias in aliases, f"{e['id']}: alias_notes explains {alias!r}, which is not an alias"


def test_names_and_aliases_are_unambiguous():
    owner: dict[str, str] = {}
    for eid, e in registry().items():
        forms = {norm(f) for f in [e["name"], *(e.get("aliases") or [])]}
        for form in forms:
            assert form not in owner, f"{form!r} names both {owner[form]} and {eid}"
            owner[form] = eid


@pytest.mark.parametrize("form,eid", [
    ("Hun Sun", "hun-sen"), ("Seng Theary", "theary-seng"), ("Theary", "theary-seng"), ("Chhay", "son-chhay"),
    ("CLP", "candlelight-party"), ("Candlelight", "candlelight-party"), ("KWP", "khmer-will-party"),
    ("CPP", "cambodian-peoples-party"), ("NEC", "national-election-committee"), ("Setha", "thach-setha"),
    ("Srouy", "eng-srouy"), ("SRP", "sam-rainsy-party"), ("HRP", "human-rights-party"),
    ("KNP", "khmer-nation-party"), ("UNHCR", "un-human-rights-council"),
    ("Cambodian National Rescue Party", "cnrp"), ("CNRP", "cnrp"),
    ("Cambodian People’s Party", "cambodian-peoples-party"),
])
def test_required_surface_forms_resolve(form, eid):
    hits = [i for i, e in registry().items() if norm(form) in {norm(f) for f in [e["name"], *(e.get("aliases") or [])]}]
    assert hits == [eid]


def test_no_bare_family_name_seng_alias():
    for e in registry().values():
        assert "seng" not in {norm(a) for a in e.get("aliases") or []}, e["id"]


# --- every source file ------------------------------------------------------

def test_there_are_sources():
    assert {"camboja-2025-05-08-kwp-prison-visit", "ucanews-2023-06-28-pm-no-release"} <= set(source_ids())


@pytest.mark.parametrize("path", SOURCES, ids=source_ids())
def test_source_header(path):
    doc = source_doc(path)
    assert set(doc) <= {"source", "entities", "facts"}, set(doc)
    src = doc["source"]
    assert src["id"] == path.stem, "a source file is named after its source id"
    assert ID.match(src["id"])
    assert set(src) <= SOURCE_KEYS, set(src) - SOURCE_KEYS
    assert src.get("publisher") and str(src.get("url", "")).startswith(("http://", "https://"))
    if "published" in src:
        assert DATE.match(str(src["published"])), src["published"]
    else:
        assert src.get("published_note"), "an undated source says so in published_note"
    if "text_sha256" in src:
        assert SHA256.match(src["text_sha256"])
    assert doc.get("facts"), "a source file without facts"


@pytest.mark.parametrize("path", SOURCES, ids=source_ids())
def test_facts_fit_the_predicate_table(path):
    doc = source_doc(path)
    ents = entities_for(doc)
    from_text = "text_sha256" in doc["source"]
    problems = []
    for i, f in enumerate(doc["facts"]):
        where = f"fact {i} ({f.get('s')} {f.get('p')} {f.get('o')})"
        if f.get("p") not in PREDICATES:
            problems.append(f"{where}: unknown predicate")
            continue
        subj_types, obj_types, quals = PREDICATES[f["p"]]
        extra = set(f) - COMMON_KEYS - quals
        if extra:
            problems.append(f"{where}: keys {sorted(extra)} not allowed for {f['p']}")
        if f["p"] == "relativeOf" and not f.get("relation"):
            problems.append(f"{where}: relativeOf needs a relation")
        subj = ents.get(f.get("s"))
        if subj is None:
            problems.append(f"{where}: subject is not a known entity id")
        elif subj["type"] not in subj_types:
            problems.append(f"{where}: subject type {subj['type']} not in {sorted(subj_types)}")
        o = f.get("o")
        if not isinstance(o, str) or not o.strip():
            problems.append(f"{where}: object must be a non-empty string")
        elif o in ents:
            if ents[o]["type"] not in obj_types:
                problems.append(f"{where}: object type {ents[o]['type']} not in {sorted(obj_types)}")
        elif LIT not in obj_types:
            problems.append(f"{where}: object must be an entity id of type {sorted(obj_types)}")
        if f["p"] == "sentencedTo" and not DURATION.match(str(o)):
            problems.append(f"{where}: a sentence is an ISO 8601 duration such as P3Y")
        if f["p"] == "statedBy" and len(str(o).split()) > 12:
            problems.append(f"{where}: statedBy holds a short summary, not a quotation")
        for key, types in ENTITY_QUALIFIERS.items():
            if key in f and (f[key] not in ents or ents[f[key]]["type"] not in types):
                problems.append(f"{where}: {key} must be an entity id of type {sorted(types)}")
        for key in DATE_QUALIFIERS:
            if key in f and not DATE.match(str(f[key])):
                problems.append(f"{where}: {key} {f[key]!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
        for flag in ("expected", "former"):
            if flag in f and f[flag] is not True:
                problems.append(f"{where}: {flag} is either true or absent")
        if f.get("status") != "reviewed":
            problems.append(f"{where}: curated facts are status: reviewed")
        if from_text and "evidence" not in f:
            problems.append(f"{where}: a fact from an article needs evidence offsets")
        if not from_text and "evidence" in f:
            problems.append(f"{where}: evidence offsets without the article's text_sha256")
        for sp in spans(f.get("evidence") or []):
            if not (isinstance(sp, dict) and set(sp) == {"start", "end"}
                    and all(isinstance(sp[k], int) and not isinstance(sp[k], bool) for k in sp)
                    and 0 <= sp["start"] < sp["end"]):
                problems.append(f"{where}: evidence must be {{start, end}} integer offsets, start < end")
    assert not problems, "\n".join(problems)


def test_facts_md_table_matches_these_checks():
    if not FACTS_MD.is_file():
        pytest.skip(f"{FACTS_MD} not found")
    table = set(re.findall(r"^\| (\w+) \|", FACTS_MD.read_text(encoding="utf-8"), re.M)) - {"predicate"}
    assert table == set(PREDICATES)


# --- corpus facts against their article --------------------------------------

CORPUS_SOURCES = [p for p in SOURCES if "text_sha256" in source_doc(p)["source"]]


@pytest.mark.parametrize("path", CORPUS_SOURCES, ids=[p.stem for p in CORPUS_SOURCES])
def test_evidence_points_into_the_article(path):
    texts = need_corpus()
    doc = source_doc(path)
    sha = doc["source"]["text_sha256"]
    assert sha in texts, f"no article in {CORPUS} has sha256 {sha}"
    text = texts[sha]
    for f in doc["facts"]:
        for sp in spans(f["evidence"]):
            assert sp["end"] <= len(text), (f["s"], f["p"], f["o"], sp)
            quoted = text[sp["start"]:sp["end"]]
            assert quoted == quoted.strip() and len(quoted.split()) >= 2, (f["s"], f["p"], sp, quoted)


@pytest.mark.parametrize("path", CORPUS_SOURCES, ids=[p.stem for p in CORPUS_SOURCES])
def test_evidence_names_the_subject(path):
    """Each fact's evidence mentions its subject by name or alias (or the span is a quotation whose
    speaker is named in it), a cheap guard against offsets that drifted onto the wrong words."""
    texts = need_corpus()
    doc = source_doc(path)
    text = texts[doc["source"]["text_sha256"]]
    ents = entities_for(doc)
    missing = []
    for f in doc["facts"]:
        subject = ents[f["s"]]
        forms = [subject["name"], *(subject.get("aliases") or [])]
        said = " ".join(text[sp["start"]:sp["end"]] for sp in spans(f["evidence"]))
        if not any(norm(form) in norm(said) for form in forms) and not _pronoun_or_group(f, said):
            missing.append((f["s"], f["p"], f["o"]))
    assert not missing, missing


def _pronoun_or_group(fact, said):
    # The articles refer back with "he", "they", "leaders", "brother": accepted only for these predicates.
    return fact["p"] in {"statedBy", "participatedIn", "relativeOf"} and re.search(
        r"\b(he|they|leaders|brother)\b", said, re.I) is not None


def test_corpus_sources_cover_every_article():
    texts = need_corpus()
    declared = {source_doc(p)["source"]["text_sha256"] for p in CORPUS_SOURCES}
    assert set(texts) <= declared, "an article in the corpus has no source file"


# --- the project never copies an article's sentences --------------------------

def _words(text: str) -> list[str]:
    return re.findall(r"[\w’']+", text.lower())


def test_no_twelve_word_run_of_an_article_in_the_data():
    texts = need_corpus()
    grams = set()
    for text in texts.values():
        w = _words(text)
        grams.update(" ".join(w[i:i + 12]) for i in range(len(w) - 11))
    copied = []
    for path in [REGISTRY, *SOURCES, Path(__file__)]:
        w = _words(path.read_text(encoding="utf-8"))
        if any(" ".join(w[i:i + 12]) in grams for i in range(len(w) - 11)):
            copied.append(path.name)
    assert not copied, f"these files repeat 12+ words in a row of an article: {copied}"
